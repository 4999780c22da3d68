"""What the public may see: published, due commentaries only, on every page that lists them."""

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article

pytestmark = pytest.mark.django_db

PUBLIC_LISTS = [
    "/en/",
    "/en/speaking-out/",
    "/en/authors/kenro-nagoshi/",
]


def test_published_query_is_status_and_time(article, draft, scheduled):
    assert list(Article.objects.published()) == [article]
    assert article.is_published()
    assert not draft.is_published()
    assert not scheduled.is_published()


@pytest.mark.parametrize("url", PUBLIC_LISTS)
def test_lists_show_published_and_hide_drafts_and_scheduled(client, url, article, draft, scheduled):
    response = client.get(url)
    assert response.status_code == 200
    assert article.title in response.text
    assert draft.title not in response.text
    assert scheduled.title not in response.text


def test_draft_and_scheduled_commentaries_are_404_for_the_public(client, draft, scheduled):
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(scheduled.get_absolute_url()).status_code == 404


def test_a_scheduled_commentary_appears_when_due(client, scheduled):
    assert client.get(scheduled.get_absolute_url()).status_code == 404
    Article.objects.filter(pk=scheduled.pk).update(published_at=timezone.now())
    assert client.get(scheduled.get_absolute_url()).status_code == 200


def test_prev_next_skip_unpublished_neighbours(client, make_article):
    first = make_article(number=10, title="Tenth")
    make_article(number=11, title="Eleventh draft", status="draft", published_at=None)
    third = make_article(number=12, title="Twelfth")
    page = client.get(first.get_absolute_url()).text
    assert third.get_absolute_url() in page
    assert "Eleventh draft" not in page
    page = client.get(third.get_absolute_url()).text
    assert first.get_absolute_url() in page


def test_translation_link_hidden_until_translation_is_published(client, make_article, link):
    original = make_article(number=500, language="ja", title="日本語の原文")
    translation = make_article(
        number=500, title="The English version", status="draft", published_at=None
    )
    link(original, translation)
    assert translation.get_absolute_url() not in client.get(original.get_absolute_url()).text

    translation.status = "published"
    translation.published_at = timezone.now()
    translation.save()
    assert translation.get_absolute_url() in client.get(original.get_absolute_url()).text


def test_unpublishing_hides_a_commentary_again(client, article):
    article.status = "draft"
    article.save()
    assert client.get(article.get_absolute_url()).status_code == 404
    assert article.title not in client.get("/en/").text


def test_staff_preview_shows_a_draft_with_a_banner_and_no_cache(editor_client, draft):
    response = editor_client.get(draft.get_preview_url())
    assert response.status_code == 200
    assert draft.title in response.text
    assert "Preview: this page is not public." in response.text
    assert "no-cache" in response["Cache-Control"]


def test_public_and_non_staff_cannot_preview(client, django_user_model, draft):
    response = client.get(draft.get_preview_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    reader = django_user_model.objects.create_user("reader", password="pw")
    client.force_login(reader)
    assert client.get(draft.get_preview_url()).status_code == 403


def test_staff_see_drafts_and_scheduled_in_the_admin(editor_client, article, draft, scheduled):
    response = editor_client.get(reverse("admin:articles_article_changelist"))
    for item in (article, draft, scheduled):
        assert item.title in response.text
