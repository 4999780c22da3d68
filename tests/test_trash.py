"""Deleting a commentary moves it to the trash: hidden everywhere, kept whole, restorable;
purging is a separate step."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles import actions
from articles.models import Article, Revision, WorkflowEvent
from tests.forms import article_form
from tests.test_images import picture, stored_files
from tests.test_visibility import public_pages
from tests.test_visibility import site as site  # noqa: F401  (the fixture)
from tests.test_workflow import chief, member, writer  # noqa: F401  (fixtures)
from translations.models import TranslationLink

pytestmark = pytest.mark.django_db

TRASH_URL = reverse("admin:articles_trashedarticle_changelist")
CHANGELIST_URL = reverse("admin:articles_article_changelist")


def delete_url(article):
    return reverse("admin:articles_article_delete", args=[article.pk])


@pytest.fixture
def pair(site):
    """The public zebra pair of the visibility sweep, with a revision and a workflow step."""
    english, japanese = site["visible"][0], site["visible"][1]
    Revision.record(english, note="Saved")
    WorkflowEvent.objects.create(article=english, from_status="review", to_status="published")
    return english, japanese


def record_of(article):
    return {
        "revisions": article.revisions.count(),
        "events": article.events.exclude(comment__contains="trash").count(),
        "tags": sorted(article.tags.names()),
        "authors": [byline.author_id for byline in article.bylines.all()],
        "link": TranslationLink.objects.filter(translation=article).values_list("pk", flat=True)[
            ::1
        ],
    }


def test_deleting_in_the_admin_moves_the_piece_and_its_record_to_the_trash(editor_client, pair):
    english, _japanese = pair
    before = record_of(english)
    response = editor_client.get(delete_url(english))
    assertNotContains(response, "protected")  # nothing is deleted, so nothing is in the way
    response = editor_client.post(delete_url(english), {"post": "yes"}, follow=True)
    assertContains(response, "in the trash")
    english.refresh_from_db()
    assert english.deleted_at is not None and english.deleted_by.username == "editor"
    assert record_of(english) == before and before["revisions"] and before["link"]
    assert english.events.filter(comment="Moved to the trash").exists()
    assertNotContains(editor_client.get(CHANGELIST_URL), "Visible zebra piece")
    assertContains(editor_client.get(TRASH_URL), "Visible zebra piece")


def test_a_trashed_piece_is_absent_from_every_public_page(client, site, pair):
    english, japanese = pair
    urls = [english.get_absolute_url()]
    actions.trash(english, actions.SYSTEM)
    for page in public_pages(site):
        response = client.get(page)
        # Its page is gone; so is the English archive of a month it alone filled.
        assert response.status_code == 404 if page in urls else response.status_code in (200, 404)
        text = response.content.decode()
        for leaked in ["Visible zebra piece", *urls]:
            assert leaked not in text, (page, leaked)
    # Its pair stays public, with no switch or hreflang to the trashed version.
    page = client.get(japanese.get_absolute_url())
    assertContains(page, "公開済みのシマウマ")
    assertNotContains(page, "/en/speaking-out/1/")
    assertContains(page, 'href="/en/speaking-out/?from=1" hreflang="en"')  # "in Japanese only"
    assert "Visible zebra piece" not in client.get("/sitemap-commentaries.xml").content.decode()


def test_previews_of_a_trashed_piece_are_gone(editor_client, client, pair):
    english, _japanese = pair
    link = english.preview_links.create(expires_at=timezone.now() + timedelta(days=1))
    assert client.get(link.get_absolute_url()).status_code == 200
    actions.trash(english, actions.SYSTEM)
    assert client.get(link.get_absolute_url()).status_code == 404
    assert editor_client.get(english.get_preview_url()).status_code == 404


def test_restoring_puts_it_back_with_its_history(editor_client, client, pair):
    english, japanese = pair
    before = record_of(english)
    actions.trash(english, actions.SYSTEM)
    response = editor_client.post(
        TRASH_URL, {"action": "restore", "_selected_action": [english.pk]}, follow=True
    )
    assertContains(response, "1 commentary restored.")
    english.refresh_from_db()
    assert english.deleted_at is None and record_of(english) == before
    assert english.events.filter(comment="Restored from the trash").exists()
    assertContains(client.get(english.get_absolute_url()), "Visible zebra piece")
    assertContains(client.get(japanese.get_absolute_url()), "/en/speaking-out/1/")
    assertContains(client.get("/en/feed/"), "Visible zebra piece")


def test_purging_is_a_separate_confirmed_step(
    editor_client, article, make_article, link, django_capture_on_commit_callbacks
):
    japanese = make_article(number=article.number, language="ja", title="原文")
    link(japanese, article)
    article.image_alt = "Ships"
    article.image.save("x.jpg", ContentFile(picture()))
    assert stored_files()
    actions.trash(article, actions.SYSTEM)
    data = {"action": "purge", "_selected_action": [article.pk]}
    confirm = editor_client.post(TRASH_URL, data)
    assertContains(confirm, "Are you sure")
    assert Article.objects.filter(pk=article.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(TRASH_URL, {**data, "post": "yes"})
    assert not Article.objects.filter(pk=article.pk).exists()
    assert not Revision.objects.filter(article_id=article.pk).exists()
    assert not TranslationLink.objects.exists()
    assert Article.objects.filter(pk=japanese.pk).exists()  # the other version stays
    assert stored_files() == []


def test_the_trash_is_for_editors(writer, chief, make_article):  # noqa: F811
    own = make_article(number=20, status="draft", published_at=None, created_by=writer.user)
    assert writer.post(delete_url(own), {"post": "yes"}).status_code == 403
    assert chief.post(delete_url(own), {"post": "yes"}).status_code == 302
    own.refresh_from_db()
    assert own.deleted_at is not None
    assert writer.get(TRASH_URL).status_code == 403
    restore = {"action": "restore", "_selected_action": [own.pk]}
    assert writer.post(TRASH_URL, restore).status_code == 403
    own.refresh_from_db()
    assert own.deleted_at is not None
    assertContains(chief.get(TRASH_URL), own.title)
    chief.post(TRASH_URL, restore)
    own.refresh_from_db()
    assert own.deleted_at is None


def test_bulk_delete_moves_to_the_trash_too(editor_client, make_article):
    pieces = [make_article(number=number) for number in (1, 2)]
    editor_client.post(
        CHANGELIST_URL,
        {"action": "delete_selected", "_selected_action": [p.pk for p in pieces], "post": "yes"},
    )
    assert Article.objects.trashed().count() == 2 and Article.objects.published().count() == 0


def test_a_trashed_number_is_kept_and_the_form_says_why(editor_client, article, author):
    actions.trash(article, actions.SYSTEM)
    data = article_form(article.series, author, number=str(article.number))
    response = editor_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    assertContains(response, "is in the trash")
    actions.restore_from_trash(article, actions.SYSTEM)  # restoring never meets a clash
    assert Article.objects.published().filter(pk=article.pk).exists()


def test_purge_trash_purges_only_what_is_old_enough(make_article):
    old, recent, kept = (make_article(number=number) for number in (1, 2, 3))
    actions.trash(old, actions.SYSTEM)
    actions.trash(recent, actions.SYSTEM)
    Article.objects.filter(pk=old.pk).update(deleted_at=timezone.now() - timedelta(days=31))
    Article.objects.filter(pk=recent.pk).update(deleted_at=timezone.now() - timedelta(days=29))
    call_command("purge_trash", "--days", "30")
    assert set(Article.objects.values_list("pk", flat=True)) == {recent.pk, kept.pk}


def test_the_desk_leaves_trashed_pieces_out(editor_client, make_article):
    lonely = make_article(number=77, language="ja", title="訳されない原文")
    desk = reverse("admin:translations_desk")
    assertContains(editor_client.get(desk), "訳されない原文")
    actions.trash(lonely, actions.SYSTEM)
    assertNotContains(editor_client.get(desk), "訳されない原文")


def test_cached_archive_counts_follow_the_trash_at_once(client, make_article, yesterday):
    pieces = [make_article(number=number, tags=["Russia"]) for number in (1, 2)]
    year = timezone.localtime(yesterday).year

    def counts():
        years = client.get("/en/archive/").context["object_list"]
        topics = client.get("/en/tags/").context["object_list"]
        return [(row["year"], row["count"]) for row in years], [t.count for t in topics]

    assert counts() == ([(year, 2)], [2])  # now cached
    actions.trash(pieces[0], actions.SYSTEM)
    assert counts() == ([(year, 1)], [1])
    actions.restore_from_trash(pieces[0], actions.SYSTEM)
    assert counts() == ([(year, 2)], [2])
