"""One door: every action × every role × every entry point (the action itself, an admin POST,
an old-site import, the restore of an export record, the command), with the outcome each role
must get. A refusal leaves the database as it was; what Editors may do, they can do by every
way in."""

import contextlib
import json
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from archive.importer import Importer
from articles import actions
from articles.models import Article, Revision, Series
from tests.forms import edit_form
from translations import actions as translation_actions
from translations.models import TranslationLink

pytestmark = pytest.mark.django_db

PAGE = (Path(__file__).parent / "pages" / "en_434.txt").read_text()
ROLES = ["Writer", "Translator", "Editor"]
LATER = timezone.now() + timedelta(days=30)


class Desk:
    """A live piece of the writer's, a draft of theirs, a public pair, a piece in the trash."""

    def __init__(self, staff, make_article, series, tmp_path):
        self.writer = staff("Writer", "wanda")
        self.tmp_path = tmp_path
        self.series = series
        # Dated as the sample page is: a re-import of it changes the text, not the date.
        sample_date = datetime(2017, 4, 18, tzinfo=ZoneInfo("Asia/Tokyo"))
        self.live = make_article(
            title="Live title", created_by=self.writer, published_at=sample_date
        )
        self.draft = make_article(number=435, status="draft", published_at=None,
                                  created_by=self.writer)  # fmt: skip
        self.ja = make_article(number=440, language="ja", title="原文")
        self.en = make_article(number=440, title="Translation")
        self.spare = make_article(number=441, title="Another English piece")
        self.link = TranslationLink.objects.create(original=self.ja, translation=self.en)
        self.binned = make_article(number=442, title="Binned")
        actions.trash(self.binned, actions.SYSTEM)

    def state(self, stamps=True):
        """Everything a refusal must leave as it was (not the revisions: a writer's change
        to their live piece is kept as a pending one, by design; nor, with stamps off, the
        version and time of that proposal)."""
        kept = [f.attname for f in Article._meta.concrete_fields]
        if not stamps:
            kept = [name for name in kept if name not in {"version", "updated", "updated_by_id"}]
        return (
            list(Article.objects.order_by("pk").values(*kept)),
            list(TranslationLink.objects.order_by("pk").values()),
            list(Series.objects.order_by("pk").values()),
        )


@pytest.fixture
def desk(staff, make_article, series, tmp_path):
    return Desk(staff, make_article, series, tmp_path)


def actor(role, desk, staff):
    return desk.writer if role == "Writer" else staff(role, role.lower())


# Entry points


def admin_post(url, data):
    def attempt(user, desk, client):
        return client.post(url(desk) if callable(url) else url, data(desk))

    return attempt


def bulk(model, action, which):
    url = reverse(f"admin:{model}_changelist")
    return admin_post(
        url, lambda desk: {"action": action, "_selected_action": [which(desk).pk], "post": "yes"}
    )


def change_form(**changes):
    return admin_post(
        lambda desk: reverse("admin:articles_article_change", args=[desk.live.pk]),
        lambda desk: edit_form(desk.live, **changes),
    )


def import_page(text, as_draft):
    def attempt(user, desk, client):
        return Importer(user=user, as_draft=as_draft).run([("page.txt", text(desk), None)])

    return attempt


def command_page(text, as_draft):
    def attempt(user, desk, client):
        path = desk.tmp_path / "page.txt"
        path.write_text(text(desk))
        options = {"user": user.username, "as_draft": as_draft, "verbosity": 0}
        with contextlib.suppress(CommandError):
            call_command("import_commentaries", str(path), **options)

    return attempt


def restore_record(edit):
    """Exports the site, edits the records with `edit(records, desk)`, imports it as the user."""

    def attempt(user, desk, client):
        folder = desk.tmp_path / "export"
        call_command("export_commentaries", str(folder), verbosity=0)
        path = folder / "commentaries.jsonl"
        records = [json.loads(line) for line in path.read_text().splitlines()]
        edit(records, desk)
        path.write_text("\n".join(json.dumps(record) for record in records) + "\n")
        call_command(
            "import_commentaries", str(folder), user=user.username, as_draft=True, verbosity=0
        )

    def safely(user, desk, client):
        # A refusal is reported and counted: the command exits with its status.
        with contextlib.suppress(CommandError):
            attempt(user, desk, client)

    return safely


def record_of(records, article):
    return next(
        r for r in records
        if r["type"] == "article" and r["number"] == article.number
        and r["language"] == article.language
    )  # fmt: skip


def edit_article(**changes):
    def edit(records, desk):
        record_of(records, desk.live).update(
            {k: v(desk) if callable(v) else v for k, v in changes.items()}
        )

    return edit


def direct(call):
    def attempt(user, desk, client):
        with contextlib.suppress(actions.NotAllowed):
            call(user, desk)

    return attempt


# The page of the sample, as a new piece (#450) or as the live piece (#434) with a new title.
new_page = lambda desk: PAGE.replace("【#434】", "【#450】")  # noqa: E731
retitled_page = lambda desk: PAGE.replace(  # noqa: E731
    "U.S., Russia May Adjust Relations While Demonstrating Confrontation", "Imported title"
)


def live(desk):
    return Article.objects.get(pk=desk.live.pk)


def retitled(desk):
    """The live piece as stored, with a new title in memory."""
    article = live(desk)
    article.title = "Changed live"
    return article


CASES = {
    # action: (what shows it was done, {entry point: attempt})
    "publish": (
        lambda desk: (
            Article.objects.get(pk=desk.draft.pk).status == "published"
            or Article.objects.filter(number=450, status="published").exists()
        ),
        {
            "action": direct(lambda user, desk: actions.publish(desk.draft, user)),
            "admin": bulk("articles_article", "publish", lambda desk: desk.draft),
            "import": import_page(new_page, as_draft=False),
            "command": command_page(new_page, as_draft=False),
        },
    ),
    "change a live piece": (
        lambda desk: live(desk).title in {"Changed live", "Imported title", "Restored title"},
        {
            "action": direct(
                lambda user, desk: actions.save(retitled(desk), user, version=live(desk).version)
            ),
            "admin": change_form(title="Changed live"),
            "import": import_page(retitled_page, as_draft=True),
            "command": command_page(retitled_page, as_draft=True),
            "restore": restore_record(edit_article(title="Restored title")),
        },
    ),
    "set a date": (
        lambda desk: live(desk).unpublish_at is not None,
        {
            "action": direct(lambda user, desk: actions.set_end(desk.live, user, LATER)),
            "admin": change_form(
                unpublish_at_0=LATER.strftime("%Y-%m-%d"), unpublish_at_1="12:00:00"
            ),  # fmt: skip
            "restore": restore_record(edit_article(unpublish_at=LATER.isoformat())),
        },
    ),
    "trash": (
        lambda desk: live(desk).deleted_at is not None,
        {
            "action": direct(lambda user, desk: actions.trash(desk.live, user)),
            "admin": admin_post(
                lambda desk: reverse("admin:articles_article_delete", args=[desk.live.pk]),
                lambda desk: {"post": "yes"},
            ),
            "restore": restore_record(edit_article(deleted_at=timezone.now().isoformat())),
        },
    ),
    "restore from the trash": (
        lambda desk: Article.objects.get(pk=desk.binned.pk).deleted_at is None,
        {
            "action": direct(lambda user, desk: actions.restore_from_trash(desk.binned, user)),
            "admin": bulk("articles_trashedarticle", "restore", lambda desk: desk.binned),
        },
    ),
    "purge": (
        lambda desk: not Article.objects.filter(pk=desk.binned.pk).exists(),
        {
            "action": direct(lambda user, desk: actions.purge(desk.binned, user)),
            "admin": bulk("articles_trashedarticle", "purge", lambda desk: desk.binned),
        },
    ),
    "rename a series": (
        lambda desk: Series.objects.get(pk=desk.series.pk).name_en == "Renamed",
        {
            "admin": admin_post(
                lambda desk: reverse("admin:articles_series_change", args=[desk.series.pk]),
                lambda desk: {
                    "slug": desk.series.slug,
                    "name_en": "Renamed",
                    "name_ja": desk.series.name_ja,
                },  # fmt: skip
            ),
            "restore": restore_record(
                lambda records, desk: next(r for r in records if r["type"] == "series").update(
                    name_en="Renamed"
                )
            ),
        },
    ),
    "re-pair a published pair": (
        lambda desk: TranslationLink.objects.filter(translation=desk.spare).exists(),
        {
            "action": direct(
                lambda user, desk: translation_actions.change_pair(
                    desk.link, user, desk.ja, desk.spare
                )
            ),
            "admin": admin_post(
                lambda desk: reverse(
                    "admin:translations_translationlink_change", args=[desk.link.pk]
                ),
                lambda desk: {"original": desk.ja.pk, "translation": desk.spare.pk},
            ),
        },
    ),
    "unpair a published pair": (
        lambda desk: not TranslationLink.objects.filter(pk=desk.link.pk).exists(),
        {
            "action": direct(lambda user, desk: translation_actions.unpair(desk.link, user)),
            "admin": admin_post(
                lambda desk: reverse(
                    "admin:translations_translationlink_delete", args=[desk.link.pk]
                ),
                lambda desk: {"post": "yes"},
            ),
        },
    ),
    "mark a published pair in step": (
        lambda desk: not TranslationLink.objects.get(pk=desk.link.pk).is_stale,
        {
            "action": direct(lambda user, desk: translation_actions.mark_in_step(desk.link, user)),
            "admin": admin_post(
                lambda desk: reverse(
                    "admin:translations_translationlink_review", args=[desk.link.pk]
                ),
                lambda desk: {},
            ),
            "admin action": bulk(
                "translations_translationlink", "mark_in_step", lambda desk: desk.link
            ),
        },
    ),
}


TABLE = [
    (name, entry, role)
    for name, (_done, entries) in CASES.items()
    for entry in entries
    for role in ROLES
]


@pytest.mark.parametrize("name, entry, role", TABLE)
def test_each_action_by_each_role_through_each_door(
    desk, staff, client_for, name, entry, role, django_capture_on_commit_callbacks
):
    done, entries = CASES[name]
    if name == "mark a published pair in step":
        Article.objects.filter(pk=desk.ja.pk).update(title="原文、改訂")  # the pair goes stale
    user = actor(role, desk, staff)
    # A writer's form or import for their own live piece is kept as a pending change.
    proposes = role == "Writer" and (name == "change a live piece" or entry == "admin")
    before = desk.state(stamps=not proposes)
    with django_capture_on_commit_callbacks(execute=True):
        entries[entry](user, desk, client_for(user))
    if role == "Editor":
        assert done(desk), f"an Editor could not {name} through {entry}"
    else:
        assert not done(desk), f"a {role} could {name} through {entry}"
        after = desk.state(stamps=not proposes)
        assert after == before, f"a {role}'s refused {name} ({entry}) left a trace"


def test_a_writer_changing_their_live_piece_proposes_a_change_by_every_door(
    desk, client_for, django_capture_on_commit_callbacks
):
    for entry in ["admin", "import", "command", "restore"]:
        Revision.objects.filter(pending=True).update(pending=False)
        with django_capture_on_commit_callbacks(execute=True):
            CASES["change a live piece"][1][entry](desk.writer, desk, client_for(desk.writer))
        pending = Revision.objects.filter(article=desk.live, pending=True).first()
        assert pending is not None, entry
        assert pending.title in {"Changed live", "Imported title", "Restored title"}, entry
        assert live(desk).title == "Live title", entry


def test_a_refusal_in_the_admin_says_why_in_the_admins_language(desk, staff, client_for):
    translator = staff("Translator")
    url = reverse("admin:translations_translationlink_review", args=[desk.link.pk])
    Article.objects.filter(pk=desk.ja.pk).update(title="原文、改訂")
    for language, words in [("en", "Only editors mark"), ("ja", "編集者")]:
        response = client_for(translator, language).post(
            url, {}, HTTP_REFERER="http://testserver/admin/"
        )
        assert response.status_code == 403
        html = response.content.decode()
        assert words in html, language
        assert 'href="http://testserver/admin/"' in html  # a way back


def test_the_roles_are_the_real_groups():
    assert set(Group.objects.values_list("name", flat=True)) >= set(ROLES)


def test_a_writer_submits_their_own_draft_and_nobody_elses(desk, staff):
    other = staff("Writer", "walt")
    with pytest.raises(actions.NotAllowed):
        actions.submit(Article.objects.get(pk=desk.draft.pk), other)
    assert Article.objects.get(pk=desk.draft.pk).status == "draft"
    actions.submit(Article.objects.get(pk=desk.draft.pk), desk.writer)
    assert Article.objects.get(pk=desk.draft.pk).status == "review"


def test_staff_without_a_role_write_nothing(desk, django_user_model):
    nobody = django_user_model.objects.create_user("nobody", is_staff=True)
    with pytest.raises(actions.NotAllowed):
        actions.save(Article(series=desk.series, number=999, language="en", title="x",
                             body="x"), nobody)  # fmt: skip
    assert not Article.objects.filter(number=999).exists()
