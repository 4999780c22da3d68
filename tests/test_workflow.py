"""The editorial desk: roles, review, publishing rights, previews, revisions, lost edits."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article, PreviewLink, Revision, WorkflowEvent
from authors.models import Author
from tests.forms import article_form, edit_form

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
    assert not writer.get(change_url(others)).context["has_change_permission"]
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
    opened_by_first = edit_form(article, body="The first editor's text.")
    opened_by_second = edit_form(article, body="The second editor's text.")
    assert editor_client.post(change_url(article), opened_by_first).status_code == 302
    response = chief.post(change_url(article), opened_by_second)
    assert response.status_code == 200
    assertContains(response, "after you opened it. Your changes were not applied")
    article.refresh_from_db()
    assert article.body == "The first editor's text."
    kept = article.revisions.get(applied=False)
    assert kept.body == "The second editor's text."
    assert kept.user.username == "eda"
    assert article.revisions.filter(applied=True, body="The first editor's text.").exists()


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
