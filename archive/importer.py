"""Pages read by archive.oldsite, applied to the database: each page whole or not at all."""

import re
from contextlib import nullcontext
from datetime import datetime, time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from articles import actions, counts, search
from articles.actions.rules import may_change_site, may_link, may_publish, require
from articles.models import RESERVED_SLUGS, Article, Series
from authors.models import Author
from core import pagecache
from core.locks import advisory_lock
from redirects.records import old_address
from translations.actions import link_by_number, other_language

from . import oldsite
from .oldsite import JAPANESE, PageError, name_key
from .report import CREATED, FAILED, PROPOSED, UNCHANGED, UPDATED, Report, refusal
from .snapshot import Bundle, Restorer

# The slugs given to a Japanese-only name, replaced when the English name becomes known.
STAND_IN = re.compile(r"(series|author)(-\d+)?")


class Importer:
    """Imports pages into commentaries; `user` is recorded as their author in the history."""

    flush_every = search.BATCH

    def __init__(self, user=None, as_draft=False):
        self.user = user
        self.as_draft = as_draft
        self.report = Report()
        self.forget()

    def forget(self):
        # Name indexes, rebuilt after a page is rolled back so they never hold its rows.
        self._authors = None
        self._series = None

    def run(self, sources, dry_run=False):
        """Imports every (name, text, error) of `sources`; the Report says what happened."""
        self.report.dry_run = dry_run
        # A dry run does everything in one transaction, then rolls it back.
        whole_run = transaction.atomic() if dry_run else nullcontext()
        untouched = pagecache.rolled_back() if dry_run else nullcontext()  # nor the cache
        # One import at a time: two of the same pages cannot both make an author or series.
        with advisory_lock("archive.import"), untouched, search.deferred() as pending, whole_run:
            for index, (name, text, error) in enumerate(sources, start=1):
                if error:
                    self.report.add(FAILED, name, None, error)
                elif isinstance(text, Bundle):
                    Restorer(self, name, text).run()
                else:
                    self.import_text(name, text)
                if index % self.flush_every == 0:
                    search.flush(pending)
            if dry_run:
                transaction.set_rollback(True)
        if not dry_run:
            counts.changed()
        return self.report

    def import_text(self, name, text):
        try:
            page = oldsite.parse(text)
        except PageError as error:
            self.report.add(FAILED, name, error.line, error.reason)
            return
        try:
            with transaction.atomic():
                outcome, article, detail = self.apply(page, name)
                if page.address:
                    detail = " ".join(filter(None, [detail, old_address(page.address, article)]))
        except (DatabaseError, ValidationError, PermissionDenied, actions.Conflict) as error:
            self.forget()
            self.report.add(FAILED, name, None, refusal(error))
            return
        self.report.add(outcome, name, None, f"{article.get_absolute_url()} {detail}".strip())

    def apply(self, page, source):
        series = self.series_for(page)
        authors = self.authors_for(page, series)
        # What a page sets; whatever editors add later (lead, tags, images) an import keeps.
        fields = {
            "title": page.title,
            "body": page.body,
            "author_note": page.author_note,
            "published_at": datetime.combine(
                page.published, time(), tzinfo=timezone.get_default_timezone()
            ),
        }
        article = (
            Article.objects.filter(series=series, number=page.number, language=page.language)
            .prefetch_related("bylines")
            .first()
        )
        if article is None:
            return CREATED, self.create(series, page, authors, fields, source), ""
        if article.deleted_at is not None:
            raise ValidationError(
                _(
                    "%(article)s is in the trash: an editor restores it, or purges it to "
                    "import it anew."
                )
                % {"article": article}
            )
        changed = [name for name, value in fields.items() if getattr(article, name) != value]
        if [b.author_id for b in article.bylines.all()] != [a.pk for a in authors]:
            changed.append("authors")
        if not changed:
            return UNCHANGED, article, ""
        outcome = self.update(article, authors, fields, source)
        return (PROPOSED if outcome == "proposed" else UPDATED), article, ", ".join(changed)

    def create(self, series, page, authors, fields, source):
        if not may_publish(self.user):
            fields = {**fields, "published_at": None}  # only editors set dates
        article = Article(
            series=series,
            number=page.number,
            language=page.language,
            slug=slugify(page.title)[:255],
            status=Article.Status.DRAFT if self.as_draft else Article.Status.PUBLISHED,
            **fields,
        )
        article.clean_fields(exclude=["series", "image"])
        actions.save(
            article,
            self.user,
            note=_("Imported from %(source)s") % {"source": source},
            save_related=lambda: actions.set_bylines(article, authors),
        )
        if may_link(self.user):  # others' drafts wait for a translator or an editor to pair
            link_by_number(article, self.user)
        return article

    def update(self, article, authors, fields, source):
        for name, value in fields.items():
            setattr(article, name, value)
        article.clean_fields(exclude=["series", "image"])
        return actions.save_or_propose(
            article,
            self.user,
            version=article.version,
            note=_("Re-imported from %(source)s") % {"source": source},
            authors=authors,
            save_related=lambda: actions.set_bylines(article, authors),
        )

    # Series and authors, matched by name in either language

    def may_change(self, model):
        """Only editors make or rename series and authors: every list of the site shows them."""
        names = model._meta.verbose_name_plural
        message = _("Only editors add or rename %(model)s.") % {"model": names}
        require(may_change_site(self.user, model), message)

    def series_for(self, page):
        if self._series is None:
            self._series = {}
            for series in Series.objects.all():
                for name in (series.name_en, series.name_ja):
                    self._series.setdefault(name_key(name), series)
        key = name_key(page.series)
        if key not in self._series:
            self._series[key] = self.adopt_series(page) or self.new_series(page)
        return self._series[key]

    def new_series(self, page):
        # Named in one language only: the other name is a copy until someone (or the
        # other language's page, see adopt_series) gives the real one.
        self.may_change(Series)
        series = Series(
            slug=unique_slug(Series, page.series, "series", RESERVED_SLUGS, max_length=60),
            name_en=page.series,
            name_ja=page.series,
            created_by=self.user,
            updated_by=self.user,
        )
        series.full_clean()
        series.save()
        return series

    def adopt_series(self, page):
        """A series made from the other language's pages, still named in that language
        only, that holds the other version of this piece: this page gives its other name."""
        language = "ja" if JAPANESE.search(page.series) else "en"
        other = "en" if language == "ja" else "ja"
        candidates = list(
            Series.objects.filter(
                name_en=F("name_ja"),
                articles__number=page.number,
                articles__language=other_language(page.language),
            ).distinct()[:2]
        )
        if len(candidates) != 1 or bool(JAPANESE.search(candidates[0].name_en)) != (other == "ja"):
            return None
        series = candidates[0]
        self.may_change(Series)
        setattr(series, f"name_{language}", page.series)
        if language == "en" and STAND_IN.fullmatch(series.slug):
            # A Japanese-only name gave a stand-in slug; the English name gives the real one.
            series.slug = unique_slug(Series, page.series, "series", RESERVED_SLUGS, max_length=60)
        series.updated_by = self.user
        series.full_clean()
        series.save()
        return series

    def authors_for(self, page, series):
        if self._authors is None:
            self._authors = {}
            for author in Author.objects.all():
                for name in (author.name_en, author.name_ja):
                    if name:
                        self._authors.setdefault(name_key(name), author)
        whole = self._authors.get(name_key(page.names))
        if whole is not None:
            return [whole]
        authors = []
        for position, name in enumerate(page.authors):
            author = self._authors.get(name_key(name)) or self.new_name(page, series, position)
            self._authors[name_key(name)] = author
            authors.append(author)
        return authors

    def new_name(self, page, series, position):
        """An author known so far by the other language's name only, at the same place on the
        other version of this piece, gets this name; otherwise a new author is made."""
        name = page.authors[position]
        language = "ja" if JAPANESE.search(name) else "en"
        other = (
            Article.objects.untrashed()
            .filter(series=series, number=page.number)
            .exclude(language=page.language)
            .first()
        )
        bylines = list(other.bylines.select_related("author")) if other else []
        if len(bylines) == len(page.authors):
            author = bylines[position].author
            if not getattr(author, f"name_{language}"):
                self.may_change(Author)
                setattr(author, f"name_{language}", name)
                if language == "en" and STAND_IN.fullmatch(author.slug):
                    author.slug = unique_slug(Author, name, "author", max_length=100)
                fill_bio(author, page.language, name, page.author_note)
                author.updated_by = self.user
                author.save()
                return author
        self.may_change(Author)
        author = Author(
            slug=unique_slug(Author, name, "author", max_length=100),
            created_by=self.user,
            updated_by=self.user,
            **{f"name_{language}": name},
        )
        fill_bio(author, page.language, name, page.author_note)
        author.full_clean()
        author.save()
        return author


def fill_bio(author, language, name, note):
    """The author's titles from the bio line as published, if the record has none yet."""
    if getattr(author, f"bio_{language}"):
        return
    for line in note.splitlines():
        if line.startswith(name):
            rest = line[len(name) :].strip(" \u3000")
            if language == "en":
                rest = rest.removeprefix("is ").rstrip(".")
            setattr(author, f"bio_{language}", rest)
            return


def unique_slug(model, name, fallback, reserved=(), max_length=50):
    base = slugify(name)[: max_length - 6].strip("-") or fallback
    slug, number = base, 1
    while slug in reserved or model.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug
