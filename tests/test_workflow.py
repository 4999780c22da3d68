"""The editorial desk: roles, review, publishing rights, previews, revisions, lost edits."""

import email
import email.policy
import socket
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles import actions
from articles.models import (
    Article,
    PreviewLink,
    Revision,
    WorkflowEvent,
    seconds_until_next_publication,
)
from authors.models import Author
from tests.forms import article_form, edit_form, inline
from translations.models import TranslationLink

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")
CHANGELIST_URL = reverse("admin:articles_article_changelist")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def member(django_user_model, name, role):
    user = django_user_model.objects.create_user(name, password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def writer(django_user_model):
    return member(django_user_model, "wanda", "Writer")


@pytest.fixture
def translator(django_user_model):
    return member(django_user_model, "toshi", "Translator")


@pytest.fixture
def chief(django_user_model):
    return member(django_user_model, "eda", "Editor")


@pytest.fixture
def own_draft(writer, make_article):
    return make_article(number=20, title="Writer's draft", status="draft", published_at=None,
                        created_by=writer.user)  # fmt: skip


# Roles


def test_roles_are_groups_and_only_editors_publish():
    roles = {group.name: group for group in Group.objects.all()}
    assert {"Writer", "Translator", "Editor"} <= set(roles)
    can_publish = {
        name
        for name, group in roles.items()
        if group.permissions.filter(codename="publish_article").exists()
    }
    assert can_publish == {"Editor"}


# A writer cannot publish, by any path


def test_writer_cannot_create_a_published_article(writer, series, author):
    form = article_form(series, author, status="published",
                        published_at_0="2020-01-01", published_at_1="10:00:00")  # fmt: skip
    response = writer.post(ADD_URL, form)
    assert response.status_code == 200
    assert "status" in response.context["adminform"].form.errors
    assert not Article.objects.exists()


def test_writer_cannot_publish_own_draft_by_a_crafted_post(writer, own_draft, client):
    response = writer.post(change_url(own_draft), edit_form(own_draft, status="published",
                           published_at_0="2020-01-01", published_at_1="10:00:00"))  # fmt: skip
    assert response.status_code == 200
    own_draft.refresh_from_db()
    assert own_draft.status == "draft"
    assert own_draft.published_at is None
    assert client.get(own_draft.get_absolute_url()).status_code == 404


def test_writer_cannot_schedule(writer, own_draft):
    writer.post(change_url(own_draft), edit_form(own_draft, status="review",
                published_at_0="2020-01-01", published_at_1="10:00:00"))  # fmt: skip
    own_draft.refresh_from_db()
    assert own_draft.status == "review"
    assert own_draft.published_at is None


def test_writer_cannot_publish_with_the_bulk_action(writer, chief, own_draft):
    writer.post(CHANGELIST_URL, {"action": "publish", "_selected_action": [own_draft.pk]})
    own_draft.refresh_from_db()
    assert own_draft.status == "draft"
    assertNotContains(writer.get(CHANGELIST_URL), 'value="publish"')
    assertContains(chief.get(CHANGELIST_URL), 'value="publish"')


def test_writer_cannot_publish_by_restoring_a_published_revision(writer, own_draft, now):
    Revision.record(own_draft, note="imagined", status="published", published_at=now)
    revision = own_draft.revisions.get(note="imagined")
    writer.post(reverse("admin:articles_article_restore", args=[own_draft.pk, revision.pk]))
    own_draft.refresh_from_db()
    assert own_draft.status == "draft"


def test_writer_edits_only_own_drafts(writer, own_draft, make_article, editor):
    others = make_article(number=21, status="draft", published_at=None, created_by=editor)
    assert writer.get(change_url(own_draft)).context["has_change_permission"]
    assert writer.get(change_url(others)).status_code == 403
    response = writer.post(change_url(others), edit_form(others, title="Hijacked"))
    assert response.status_code == 403
    others.refresh_from_db()
    assert others.title != "Hijacked"


def test_translator_edits_draft_translations(translator, make_article, link, editor):
    original = make_article(number=30, language="ja", created_by=editor)
    translation = make_article(number=30, status="draft", published_at=None, created_by=editor)
    link(original, translation)
    assert translator.get(change_url(translation)).context["has_change_permission"]
    assert not translator.get(change_url(original)).context["has_change_permission"]


# Workflow


def test_submit_return_and_publish_are_recorded(writer, chief, own_draft, client):
    writer.post(change_url(own_draft), edit_form(own_draft, status="review", comment="Ready"))
    own_draft.refresh_from_db()
    assert own_draft.status == "review"
    assertContains(chief.get(CHANGELIST_URL), "1 commentary waits for review.")

    chief.post(change_url(own_draft),
               edit_form(own_draft, status="draft", comment="Shorten the second part"))  # fmt: skip
    own_draft.refresh_from_db()
    chief.post(change_url(own_draft), edit_form(own_draft, status="published",
               published_at_0="2020-01-01", published_at_1="10:00:00"))  # fmt: skip
    steps = list(own_draft.events.order_by("created", "pk").values_list(
        "from_status", "to_status", "user__username", "comment"))  # fmt: skip
    assert steps == [
        ("draft", "review", "wanda", "Ready"),
        ("review", "draft", "eda", "Shorten the second part"),
        ("draft", "published", "eda", ""),
    ]
    assert client.get(own_draft.get_absolute_url()).status_code == 200
    assertContains(chief.get(change_url(own_draft)), "Shorten the second part")


def test_unpublishing_archives_and_hides(chief, article, client):
    chief.post(CHANGELIST_URL, {"action": "unpublish", "_selected_action": [article.pk]})
    article.refresh_from_db()
    assert article.status == "archived"
    assert client.get(article.get_absolute_url()).status_code == 404
    assert WorkflowEvent.objects.get(article=article).to_status == "archived"


def test_a_scheduled_piece_appears_exactly_when_due(client, make_article, now):
    due = make_article(number=40, title="Due", published_at=now - timedelta(milliseconds=1))
    later = make_article(number=41, title="Later", published_at=now + timedelta(seconds=30))
    assert client.get(due.get_absolute_url()).status_code == 200
    assert client.get(later.get_absolute_url()).status_code == 404
    assertNotContains(client.get("/en/"), "Later")


# Shared preview links


def test_shared_preview_link_shows_one_draft_until_it_expires_or_is_revoked(client, draft, article):
    link = PreviewLink.objects.create(article=draft, expires_at=timezone.now() + timedelta(days=1))
    response = client.get(link.get_absolute_url())
    assertContains(response, draft.title)
    assertContains(response, "Preview: this page is not public.")
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-cache" in response["Cache-Control"]
    link.revoked = True
    link.save()
    assert client.get(link.get_absolute_url()).status_code == 404
    expired = PreviewLink.objects.create(
        article=draft, expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert client.get(expired.get_absolute_url()).status_code == 404
    assert client.get("/en/preview/shared/not-a-token/").status_code == 404
    assert link.token != expired.token and len(link.token) >= 40


def test_editor_makes_a_preview_link_in_the_admin(chief, article, editor):
    data = edit_form(article)
    data.update({
        "preview_links-TOTAL_FORMS": "1",
        "preview_links-0-expires_at_0": "2099-01-01",
        "preview_links-0-expires_at_1": "10:00:00",
        "preview_links-0-article": article.pk,
    })  # fmt: skip
    response = chief.post(change_url(article), data)
    assert response.status_code == 302
    link = PreviewLink.objects.get()
    assert link.created_by.username == "eda"
    assertContains(chief.get(change_url(article)), link.get_absolute_url())


# Revisions


def test_every_admin_save_keeps_a_revision_that_can_be_compared(chief, article):
    chief.post(change_url(article), edit_form(article, body="First version of the text."))
    article.refresh_from_db()
    chief.post(change_url(article), edit_form(article, body="Second version of the text."))
    revisions = list(article.revisions.all())
    assert len(revisions) == 2
    url = reverse("admin:articles_article_revisions", args=[article.pk])
    response = chief.get(url, {"compare": [r.pk for r in revisions]})
    assertContains(response, "<del>First</del><ins>Second</ins> version of the text.")


def test_restoring_a_revision_restores_tags_and_authors(chief, article, author):
    other = Author.objects.create(slug="other", name_en="Other Writer")
    chief.post(change_url(article), edit_form(article, tags="Russia, diplomacy"))
    first = article.revisions.get()
    article.refresh_from_db()
    data = edit_form(article, title="Changed title", tags="energy")
    data["bylines-0-author"] = other.pk
    chief.post(change_url(article), data)
    article.refresh_from_db()
    assert article.ordered_authors == [other]
    response = chief.post(reverse("admin:articles_article_restore", args=[article.pk, first.pk]))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == first.title
    assert sorted(tag.name for tag in article.tags.all()) == ["Russia", "diplomacy"]
    assert article.ordered_authors == [author]
    assert article.revisions.count() == 3


# No lost edits


def test_a_conflicting_save_is_refused_and_both_versions_remain(chief, editor_client, article):
    opened_by_first = edit_form(article, body="<p>The first editor's text.</p>")
    opened_by_second = edit_form(article, body="<p>The second editor's text.</p>")
    assert editor_client.post(change_url(article), opened_by_first).status_code == 302
    response = chief.post(change_url(article), opened_by_second)
    assert response.status_code == 200
    assertContains(response, "after you opened it. Your changes were not applied")
    article.refresh_from_db()
    assert article.body == "<p>The first editor's text.</p>"
    kept = article.revisions.get(applied=False)
    assert kept.body == "<p>The second editor's text.</p>"
    assert kept.user.username == "eda"
    assert article.revisions.filter(applied=True, body="<p>The first editor's text.</p>").exists()


def test_saving_twice_from_fresh_forms_is_no_conflict(chief, article):
    assert chief.post(change_url(article), edit_form(article, body="One")).status_code == 302
    article.refresh_from_db()
    assert chief.post(change_url(article), edit_form(article, body="Two")).status_code == 302


# Body preview


def test_body_preview_is_rendered_and_sanitised(writer):
    response = writer.post(
        reverse("admin:articles_article_render_body"),
        {"body": "## Heading\n\n<script>x()</script>[a](javascript:alert(1))"},
    )
    html = response.json()["html"]
    assert "<h2>Heading</h2>" in html
    assert "<script" not in html and "javascript:" not in html
    assert Client().post(reverse("admin:articles_article_render_body")).status_code == 302


def test_revisions_page_opens_on_the_latest_change(chief, article):
    chief.post(change_url(article), edit_form(article, body="Before."))
    article.refresh_from_db()
    chief.post(change_url(article), edit_form(article, body="After."))
    response = chief.get(reverse("admin:articles_article_revisions", args=[article.pk]))
    assertContains(response, "<del>Before</del><ins>After</ins>.")


# Writers see their own pieces and what is public, nothing else


def test_writer_cannot_open_or_preview_another_writers_draft(writer, make_article, editor):
    others = make_article(number=21, title="Someone else's draft", status="review",
                          published_at=None, created_by=editor)  # fmt: skip
    Revision.record(others, editor, note="Saved")
    pages = [
        change_url(others),
        reverse("admin:articles_article_history", args=[others.pk]),
        reverse("admin:articles_article_revisions", args=[others.pk]),
        reverse("admin:articles_article_delete", args=[others.pk]),
    ]
    for url in pages:
        assert writer.get(url).status_code == 403, url
    assert writer.get(others.get_preview_url()).status_code == 404
    listing = writer.get(CHANGELIST_URL)
    assertNotContains(listing, "Someone else")


def test_writer_still_opens_and_previews_own_draft(writer, own_draft):
    assert (
        writer.get(reverse("admin:articles_article_history", args=[own_draft.pk])).status_code
        == 200
    )
    assertContains(writer.get(own_draft.get_preview_url()), "Preview: this page is not public.")
    assert own_draft in writer.get(CHANGELIST_URL).context["cl"].result_list


# Translation links: translators and editors make them; a published pair is the editors'


def test_writer_cannot_make_translation_links_by_any_path(writer, own_draft, article, make_article,
                                                          editor):  # fmt: skip
    others = make_article(number=22, status="draft", published_at=None, created_by=editor)
    for target in (own_draft, others, article):
        response = writer.post(reverse("admin:articles_article_translate", args=[target.pk]))
        assert response.status_code == 403
    japanese = make_article(number=20, language="ja", status="draft", published_at=None,
                            created_by=writer.user)  # fmt: skip
    pairing = inline("link_as_translation", original=japanese.pk)
    writer.post(change_url(own_draft), edit_form(own_draft, **pairing))
    assert writer.get(reverse("admin:translations_translationlink_add")).status_code == 403
    assert not TranslationLink.objects.exists()
    assert Article.objects.filter(number=20).count() == 2


def test_translator_cannot_repair_or_unpair_a_published_pair(translator, make_article, link):
    original = make_article(number=30, language="ja")
    published = make_article(number=30)
    spare = make_article(number=31, status="draft", published_at=None)
    pair = link(original, published)
    url = reverse("admin:translations_translationlink_change", args=[pair.pk])
    response = translator.post(url, {"original": original.pk, "translation": spare.pk})
    assert response.status_code == 403
    delete = reverse("admin:translations_translationlink_delete", args=[pair.pk])
    assert translator.post(delete, {"post": "yes"}).status_code == 403
    pair.refresh_from_db()
    assert pair.translation == published


def test_translator_still_pairs_unpublished_pieces(translator, make_article, link):
    original = make_article(number=30, language="ja", status="draft", published_at=None)
    first = make_article(number=30, status="draft", published_at=None)
    other = make_article(number=31, status="draft", published_at=None)
    pair = link(original, first)
    url = reverse("admin:translations_translationlink_change", args=[pair.pk])
    response = translator.post(url, {"original": original.pk, "translation": other.pk})
    assert response.status_code == 302
    pair.refresh_from_db()
    assert pair.translation == other


# Changes to live pieces: kept pending, invisible until an editor publishes them


@pytest.fixture
def own_live(writer, make_article):
    return make_article(number=50, title="Writer's live piece", body="The live text.",
                        created_by=writer.user, tags=["zebra"])  # fmt: skip


def test_writer_proposes_a_change_to_a_live_piece_but_never_publishes_it(writer, own_live, client):
    response = writer.get(change_url(own_live))
    assertNotContains(response, 'name="_save"')
    assertNotContains(response, 'name="bylines-0-author"')  # authors stay as they are
    assertContains(response, 'name="_submit_change"')
    data = edit_form(own_live, title="Corrected title", body="<p>The corrected text.</p>",
                     status="published", _submit_change="1")  # fmt: skip
    response = writer.post(change_url(own_live), data)
    assert response.status_code == 302
    own_live.refresh_from_db()
    assert own_live.title == "Writer's live piece"
    assert own_live.body == "The live text."
    assert own_live.state == Article.State.CHANGED
    change = own_live.revisions.get(pending=True)
    assert change.title == "Corrected title" and change.submitted
    page = client.get(own_live.get_absolute_url())
    assertContains(page, "The live text.")
    assertNotContains(page, "corrected")
    # Nor by the editor's buttons, the bulk action or a restore.
    publish = reverse("admin:articles_article_change_step", args=[own_live.pk, "publish"])
    assert writer.post(publish).status_code == 403
    writer.post(CHANGELIST_URL, {"action": "publish_changes", "_selected_action": [own_live.pk]})
    own_live.refresh_from_db()
    assert own_live.body == "The live text."


def test_the_form_opens_on_the_pending_change_and_compares_it_with_live(writer, chief, own_live):
    writer.post(change_url(own_live), edit_form(own_live, body="<p>The corrected text.</p>",
                                                _propose="1"))  # fmt: skip
    response = chief.get(change_url(own_live))
    assertContains(response, "Live, with unpublished changes")
    assert response.context["adminform"].form.initial["body"] == "<p>The corrected text.</p>"
    listing = chief.get(CHANGELIST_URL)
    assertContains(listing, "Live, with unpublished changes")
    compare = reverse("admin:articles_article_revisions", args=[own_live.pk])
    response = chief.get(compare, {"compare": ["live", "pending"]})
    assertContains(response, "The <del>live</del><ins>corrected</ins> text.")


def test_a_pending_change_shows_nowhere_until_published_then_everywhere(
    chief, make_article, link, client, django_capture_on_commit_callbacks
):
    from tests.test_visibility import public_pages

    with django_capture_on_commit_callbacks(execute=True):
        live = make_article(number=1, title="Visible zebra piece", tags=["zebra"])
        japanese = make_article(number=1, language="ja", title="シマウマ", tags=["zebra"])
        link(japanese, live)
    with django_capture_on_commit_callbacks(execute=True):
        actions.propose(live, chief.user, {"title": "Quagga correction", "body": "Quagga."},
                         version=live.version)  # fmt: skip
    pages = public_pages({"visible": [live, japanese]}) + ["/en/search/?q=Quagga"]
    for page in pages:
        assert "Quagga correction" not in client.get(page).content.decode(), page
    with django_capture_on_commit_callbacks(execute=True):
        actions.publish_change(live, chief.user)
    for page in ["/en/", live.get_absolute_url(), "/en/feed/", japanese.get_absolute_url()]:
        assert "Quagga correction" in client.get(page).content.decode(), page
    assertContains(client.get("/en/search/?q=Quagga"), "</mark> correction")
    live.refresh_from_db()
    assert live.state == Article.State.LIVE
    assert live.events.first().comment == "Changes published"


def test_editor_publishes_a_pending_change_at_a_time(chief, own_live, writer, now):
    writer.post(change_url(own_live), edit_form(own_live, body="<p>Later text.</p>", _propose="1"))
    at = timezone.localtime(now + timedelta(hours=2))
    step = reverse("admin:articles_article_change_step", args=[own_live.pk, "publish"])
    chief.post(step, {"change_go_live_at": f"{at:%Y-%m-%dT%H:%M}"})
    own_live.refresh_from_db()
    assert own_live.body == "The live text."
    with time_machine.travel(now + timedelta(hours=1, minutes=59)):
        assert actions.publish_due_changes() == 0
    with time_machine.travel(now + timedelta(hours=2, minutes=1)):
        out = StringIO()
        call_command("publish_due_changes", stdout=out)
        assert out.getvalue().startswith("1 scheduled change")
    own_live.refresh_from_db()
    assert own_live.body == "<p>Later text.</p>"
    assert own_live.state == Article.State.LIVE


def test_editors_minor_fix_goes_straight_live(chief, article, client):
    chief.post(change_url(article), edit_form(article, body="A fixed typo."))
    assertContains(client.get(article.get_absolute_url()), "A fixed typo.")
    assert not article.revisions.filter(pending=True).exists()


# Scheduled unpublishing: honoured by the public rule, with no job


def test_a_piece_leaves_every_public_surface_at_its_end_time(client, make_article, link, now):
    from tests.test_visibility import public_pages

    ends = now + timedelta(hours=1)
    piece = make_article(number=1, title="Ephemeral zebra", tags=["zebra"], unpublish_at=ends)
    japanese = make_article(number=1, language="ja", title="シマウマ", tags=["zebra"])
    link(japanese, piece)
    with time_machine.travel(ends - timedelta(seconds=1)):
        assert client.get(piece.get_absolute_url()).status_code == 200
        assert piece.state == Article.State.LIVE
    with time_machine.travel(ends + timedelta(seconds=1)):
        assert client.get(piece.get_absolute_url()).status_code == 404
        for page in public_pages({"visible": [japanese]}):
            assert "Ephemeral" not in client.get(page).content.decode(), page
        assert piece.state == Article.State.UNPUBLISHED


def test_a_piece_comes_due_at_the_exact_instant(client, make_article, now):
    due = now + timedelta(minutes=5)
    piece = make_article(number=1, title="Punctual piece", published_at=due)
    with time_machine.travel(due - timedelta(seconds=1), tick=False):
        assert client.get(piece.get_absolute_url()).status_code == 404
        assertNotContains(client.get("/en/"), "Punctual piece")
        assert piece.state == Article.State.SCHEDULED
    with time_machine.travel(due, tick=False):
        assert client.get(piece.get_absolute_url()).status_code == 200
        assertContains(client.get("/en/"), "Punctual piece")


def test_cached_counts_never_outlive_the_next_start_or_end(make_article, now):
    make_article(number=1, published_at=now - timedelta(days=1),
                 unpublish_at=now + timedelta(seconds=90))  # fmt: skip
    make_article(number=2, published_at=now + timedelta(seconds=600))
    with time_machine.travel(now, tick=False):
        assert seconds_until_next_publication() == 90


def test_scheduled_shows_as_scheduled_and_on_the_schedule_page(chief, scheduled, make_article):
    japanese = make_article(number=scheduled.number, language="ja", title="予定の論考",
                            published_at=scheduled.published_at)  # fmt: skip
    listing = chief.get(CHANGELIST_URL, {"state": "scheduled"})
    assert list(listing.context["cl"].result_list) == [japanese, scheduled] or set(
        listing.context["cl"].result_list
    ) == {japanese, scheduled}
    assertContains(listing, '<span class="state state-scheduled">Scheduled</span>', html=True)
    page = chief.get(reverse("admin:articles_article_schedule"))
    assertContains(page, "予定の論考")
    assertContains(page, scheduled.title)
    ((day, rows),) = page.context["days"]
    assert rows[0]["versions"] == {"ja": japanese, "en": scheduled}


# Notifications


def test_editors_hear_of_a_submission_and_the_writer_of_return_and_publication(
    writer, chief, own_draft, mailoutbox, django_capture_on_commit_callbacks
):
    writer.user.email = "wanda@example.com"
    writer.user.save()
    chief.user.email = "eda@example.com"
    chief.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        writer.post(change_url(own_draft), edit_form(own_draft, status="review", comment="Ready"))
    assert [m.to for m in mailoutbox] == [["eda@example.com"]]
    assert "Ready" in mailoutbox[0].body and own_draft.title in mailoutbox[0].subject
    own_draft.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        chief.post(change_url(own_draft), edit_form(own_draft, status="draft",
                                                    comment="Shorten it"))  # fmt: skip
    assert mailoutbox[1].to == ["wanda@example.com"]
    assert "Shorten it" in mailoutbox[1].body
    own_draft.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        chief.post(change_url(own_draft), edit_form(own_draft, status="published",
                   published_at_0="2020-01-01", published_at_1="10:00:00"))  # fmt: skip
    assert mailoutbox[2].to == ["wanda@example.com"]
    assert mailoutbox[2].subject == f"公開: {own_draft}"  # in the institute's language
    assert len(mailoutbox) == 3


def test_translators_hear_when_their_original_changes(
    translator, chief, make_article, link, mailoutbox, django_capture_on_commit_callbacks
):
    translator.user.email = "toshi@example.com"
    translator.user.save()
    original = make_article(number=60, language="ja", body="原文です。")
    translation = make_article(number=60, created_by=translator.user)
    link(original, translation)
    with django_capture_on_commit_callbacks(execute=True):
        chief.post(change_url(original), edit_form(original, body="原文を直しました。"))
    assert [m.to for m in mailoutbox] == [["toshi@example.com"]]
    assert "古くなっています" in mailoutbox[0].body  # "it is stale"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.original_content))
        return "250 OK"


def test_a_submission_is_mailed_through_a_real_smtp_server(
    settings, writer, chief, own_draft, django_capture_on_commit_callbacks
):
    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=free_port())
    server.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = server.hostname, server.port
        chief.user.email = "eda@example.com"
        chief.user.save()
        with django_capture_on_commit_callbacks(execute=True):
            writer.post(change_url(own_draft), edit_form(own_draft, status="review"))
    finally:
        server.stop()
    [(recipients, message)] = inbox.messages
    assert recipients == ["eda@example.com"]
    message = email.message_from_bytes(message, policy=email.policy.default)
    assert message["subject"] == f"確認依頼: {own_draft}"  # "For review: …"
    assert "wanda さんが" in message.get_content()


def test_an_editors_save_of_a_piece_with_a_pending_change_puts_the_form_live(
    writer, chief, own_live, client
):
    writer.post(change_url(own_live), edit_form(own_live, body="Proposed.", _propose="1"))
    own_live.refresh_from_db()
    chief.post(change_url(own_live), edit_form(own_live, body="<p>Proposed, then polished.</p>"))
    own_live.refresh_from_db()
    assert own_live.body == "<p>Proposed, then polished.</p>"
    assert own_live.state == Article.State.LIVE
    assertContains(client.get(own_live.get_absolute_url()), "Proposed, then polished.")


def test_a_writer_restoring_on_a_live_piece_only_proposes(writer, own_live, client):
    old = Revision.record(own_live, writer.user, note="Old", body="An older text.")
    writer.post(reverse("admin:articles_article_restore", args=[own_live.pk, old.pk]))
    own_live.refresh_from_db()
    assert own_live.body == "The live text."
    assert own_live.revisions.get(pending=True).body == "An older text."
    assertNotContains(client.get(own_live.get_absolute_url()), "An older text.")


def test_the_change_form_has_no_empty_link_forms_and_a_create_translation_button(chief, article):
    response = chief.get(change_url(article))
    assertNotContains(response, 'name="link_as_original-0-translation"')
    assertNotContains(response, 'name="link_as_translation-0-original"')
    assertNotContains(response, 'name="bylines-1-author"')  # one author, no empty second form
    assertContains(response, '<button type="submit" class="create-translation">', html=False)


def test_the_desk_shows_scheduled_pieces_and_dates_in_the_sites_format(chief, make_article, link,
                                                                       tomorrow):  # fmt: skip
    original = make_article(number=70, language="ja", published_at=tomorrow)
    translation = make_article(number=70, status="draft", published_at=None)
    pair = link(original, translation)
    response = chief.get(reverse("admin:translations_desk"))
    assertContains(response, "Scheduled")
    synced = timezone.localtime(pair.synced_at)
    assertContains(response, f"{synced:%Y.%m.%d} ({synced:%a}) {synced:%H:%M}")


def test_staff_preview_the_pending_change_as_the_page_will_show_it(writer, chief, own_live):
    proposal = edit_form(own_live, body="## Corrected heading", _propose="1")
    writer.post(change_url(own_live), proposal)
    preview = own_live.get_preview_url()
    assertContains(chief.get(preview + "?pending"), "<h2>Corrected heading</h2>", html=True)
    assertNotContains(chief.get(preview), "Corrected heading")
    assertContains(chief.get(change_url(own_live)), f'href="{preview}?pending"')


def test_the_bulk_actions_say_how_many_they_did_in_the_editors_language(
    staff, client_for, make_article
):
    editor = staff("Editor")
    chief = client_for(editor, "ja")
    drafts = [make_article(number=n, status="draft", published_at=None) for n in (50, 51)]
    live = make_article(number=52)
    pick = [piece.pk for piece in [*drafts, live]]  # the live piece is not published again
    response = chief.post(
        CHANGELIST_URL, {"action": "publish", "_selected_action": pick}, follow=True
    )
    assertContains(response, "2 件の論考を公開しました。")
    assert Article.objects.filter(pk__in=pick, status="published").count() == 3
    live.refresh_from_db()
    actions.propose(live, editor, {"body": "<p>A correction.</p>"}, version=live.version)
    response = chief.post(
        CHANGELIST_URL, {"action": "publish_changes", "_selected_action": pick}, follow=True
    )
    assertContains(response, "1 件の変更を公開しました。")  # only the piece with a change
    live.refresh_from_db()
    assert live.body == "<p>A correction.</p>"
