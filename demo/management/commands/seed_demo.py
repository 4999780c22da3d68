import base64
import hashlib
import hmac
import io
import re
from datetime import timedelta
from importlib import util

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from PIL import Image, ImageDraw, ImageFont

from articles import actions
from articles.models import Article, Series, Tag, link_of
from authors.models import Author
from core import lead
from core.markup import render_markdown
from demo.content import AUTHORS, COMMENTARIES, SERIES, TAG_NAMES_JA
from media_library.models import Image as LibraryImage
from translations.actions import pair

DEMO_USERS = [
    ("demo-admin", None),
    ("demo-editor", "Editor"),
    ("demo-writer", "Writer"),
    ("demo-translator", "Translator"),
]


def portrait(initials, colour):
    image = Image.new("RGB", (320, 320), colour)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=120)
    draw.text((160, 160), initials, fill="white", font=font, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return ContentFile(buffer.getvalue())


def seascape():
    """A dawn sea in bands of colour, 1600 pixels wide: enough for every srcset size."""
    image = Image.new("RGB", (1600, 900))
    draw = ImageDraw.Draw(image)
    for y in range(900):
        sky = y < 520
        shade = y / 520 if sky else (y - 520) / 380
        colour = (
            (int(250 - 120 * shade), int(200 - 60 * shade), int(170 + 40 * shade))
            if sky
            else (int(30 + 20 * shade), int(70 + 30 * shade), int(120 + 30 * shade))
        )
        draw.line([(0, y), (1600, y)], fill=colour)
    draw.ellipse((700, 420, 900, 620), fill=(255, 236, 200))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return ContentFile(buffer.getvalue())


def chart():
    """Four falling bars on a grid, 1200 pixels wide, with no words (its alt text says it)."""
    image = Image.new("RGB", (1200, 675), (250, 249, 245))
    draw = ImageDraw.Draw(image)
    for y in range(75, 600, 105):
        draw.line([(90, y), (1130, y)], fill=(215, 215, 208), width=2)
    for index, height in enumerate([480, 360, 250, 140]):
        left = 150 + index * 250
        draw.rectangle((left, 600 - height, left + 150, 600), fill=(31, 78, 121))
    draw.line([(90, 600), (1130, 600)], fill=(60, 60, 60), width=3)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return ContentFile(buffer.getvalue())


def figure_html(image, language):
    """A body's figure, as the editor writes it (media_library.rendering reads it)."""
    return (
        f'<figure data-image="{image.pk}"><img src="{escape(image.file.url)}" '
        f'alt="{escape(image.alt(language))}"><figcaption>'
        f'<span class="figure-caption">{escape(image.caption(language))}</span> '
        f'<span class="figure-credit">{escape(image.credit)}</span></figcaption></figure>'
    )


# Bodies are Markdown until the editor's HTML schema (core/body.py, issue 18) is in place;
# then the note with a figure is written in that schema, footnotes as its spans.
HTML_BODIES = util.find_spec("core.body") is not None
FOOTNOTE_NOTE = re.compile(r"^\[\^(\w+)\]:\s*(.*)$", re.MULTILINE)
FOOTNOTE_MARK = re.compile(r"\[\^(\w+)\]")


def with_figure(text, figure):
    """The body with its figure: in Markdown, raw HTML; in the schema, all of it HTML."""
    if not HTML_BODIES:
        return text.replace("{figure}", figure)
    notes = dict(FOOTNOTE_NOTE.findall(text))
    html = render_markdown(FOOTNOTE_MARK.sub(r"FOOTNOTE\1", FOOTNOTE_NOTE.sub("", text)))
    html = html.replace("<p>{figure}</p>", figure)
    for key, note in notes.items():
        html = html.replace(f"FOOTNOTE{key}", f"<span data-footnote>{escape(note)}</span>")
    return html


class Command(BaseCommand):
    help = (
        "Fills an empty site with demo authors, series and commentaries in both languages. "
        "Safe to run again: what exists is left alone. With DEBUG on it also prints a staff "
        "login for the admin."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            # Logins exist only for local demos (DEBUG): then pieces belong to the demo writer.
            self.users, logins = self.staff_users() if settings.DEBUG else ({}, [])
            created = self.seed()
        # Addresses once the demo's own steps are committed (and their jobs run): its dozens
        # of reviews and publications mail nobody; the desk's mail starts with what you do.
        for user in self.users.values():
            get_user_model().objects.filter(pk=user.pk).update(email=demo_address(user.username))
        self.stdout.write(self.style.SUCCESS(f"Demo content ready: {created} commentaries added."))
        if logins:
            self.stdout.write(self.style.WARNING("\n".join(self.welcome(logins))))

    def seed(self):
        now = timezone.now()
        authors = {data["slug"]: self.author(data) for data in AUTHORS}
        series = {
            data["slug"]: Series.objects.get_or_create(slug=data["slug"], defaults=data)[0]
            for data in SERIES
        }
        created = 0
        for entry in COMMENTARIES:
            versions = {}
            for language in ("ja", "en"):
                if language not in entry:
                    continue
                article, was_created = self.article(entry, language, series, authors, now)
                versions[language] = article
                created += was_created
            if len(versions) == 2:
                self.link(versions["ja"], versions["en"])
        for name, (name_ja, reading) in TAG_NAMES_JA.items():
            untranslated = Tag.objects.filter(name__iexact=name, name_ja="")
            untranslated.update(name_ja=name_ja, reading_ja=reading)
        return created

    def author(self, data):
        data = dict(data)
        colour = data.pop("colour")
        author, created = Author.objects.get_or_create(slug=data["slug"], defaults=data)
        if created:
            initials = "".join(part[0] for part in author.name_en.split())
            author.photo.save(f"{author.slug}.jpg", portrait(initials, colour))
        return author

    def article(self, entry, language, series, authors, now):
        """One version of an entry, made as the desk makes it: written (and submitted) by its
        owner, then published or scheduled by an editor, through articles.actions."""
        state = entry.get(f"{language}_state", "published")
        published_at = now - timedelta(weeks=entry["weeks_ago"], hours=2)
        if language == "en" and state == "published":
            published_at += timedelta(days=1)  # translations follow their originals
        if state == "scheduled":
            published_at = now + timedelta(days=3)
        found = Article.objects.filter(
            series=series[entry["series"]], number=entry["number"], language=language
        ).first()
        if found is not None:
            return found, False
        owner = self.users.get(entry.get("owner", "demo-editor")) or actions.SYSTEM
        editor = self.users.get("demo-editor") or actions.SYSTEM
        article = Article(
            series=series[entry["series"]], number=entry["number"], language=language,
            **entry[language],
        )  # fmt: skip

        if "figure" in entry:
            image = self.library_image(entry["figure"])
            article.body = with_figure(article.body, figure_html(image, language))
        if "image" in entry:
            article.image_alt, article.image_credit = entry["image"][language]
            article.image.save("seascape.jpg", seascape(), save=False)  # stored by the save

        def related():
            actions.set_bylines(article, [authors[slug] for slug in entry["authors"]])
            article.tags.set(entry["tags"])

        actions.save(article, owner, note="Created", save_related=related)
        if state == "review":
            actions.submit(article, owner)
        elif state in {"published", "scheduled"}:
            actions.publish(article, editor, at=published_at)
        pending_lead = entry.get(f"pending_lead_{language}")
        if pending_lead and owner is not actions.SYSTEM:
            actions.propose(
                article,
                owner,
                {"lead": lead.clean(pending_lead)},  # as the form sends it
                version=article.version,
                submit=True,
            )
        return article, True

    def library_image(self, figure):
        """The entry's chart in the media library: one record for both languages."""
        (alt_ja, caption_ja), (alt_en, caption_en) = figure["ja"], figure["en"]
        image = LibraryImage.objects.filter(alt_en=alt_en).first()
        if image is None:
            image = LibraryImage(alt_ja=alt_ja, alt_en=alt_en, caption_ja=caption_ja,
                                 caption_en=caption_en, credit=figure["credit"])  # fmt: skip
            image.file.save("chart.png", chart(), save=False)  # stored by the save
            image.save()
        return image

    def link(self, original, translation):
        if link_of(original) is None and link_of(translation) is None:
            pair(original, translation, self.users.get("demo-editor") or actions.SYSTEM)

    def staff_users(self):
        """One login per role, each with an e-mail address (so the desk's mail reaches them)
        and the same password on every run; printed, for local demos only."""
        users, lines = {}, []
        for username, role in DEMO_USERS:
            password = demo_password(username)
            user, _ = get_user_model().objects.get_or_create(username=username)
            user.is_staff = True
            user.is_superuser = role is None
            user.set_password(password)
            user.save()
            if role:
                user.groups.set([Group.objects.get(name=role)])
            users[username] = user
            lines.append(
                f"  {username} / {password}  ({role or 'superuser'}, {demo_address(username)})"
            )
        return users, lines

    def welcome(self, logins):
        """What to open, and as whom: the last thing `make run` prints before serving."""
        site = settings.SITE_URL
        mail = (
            f"sent to the SMTP server at {settings.EMAIL_HOST}:{settings.EMAIL_PORT}"
            if settings.EMAIL_HOST
            else "printed in this terminal"
        )
        return [
            "",
            f"The site:  {site}/ja/  and  {site}/en/",
            f"The admin: {site}/admin/  with these logins (the same on every run):",
            *logins,
            f"The desk's mail to these users is {mail}.",
            "",
        ]


def demo_address(username):
    return f"{username}@example.org"


def demo_password(username):
    """A password that stays the same from run to run (derived from SECRET_KEY): logins
    written down after one `make run` still work after the next."""
    digest = hmac.new(settings.SECRET_KEY.encode(), username.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest)[:16].decode()
