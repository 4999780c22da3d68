"""Autosave: a copy of what one writer typed into one piece's form, kept on the server while
typing; never the piece, never a revision or a new version; offered back to that writer only."""

import pytest
from django.urls import reverse

from articles.models import Article, Autosave, Revision

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer(staff):
    return staff("Writer", username="wanda")


@pytest.fixture
def draft(make_article, writer):
    return make_article(status="draft", published_at=None, created_by=writer)


def url(article=None):
    if article is None:
        return reverse("admin:articles_article_autosave_new")
    return reverse("admin:articles_article_autosave", args=[article.pk])


def test_an_autosave_keeps_the_text_and_never_touches_the_piece(client_for, writer, draft):
    before = Article.objects.get(pk=draft.pk)
    client = client_for(writer)
    response = client.post(
        url(draft),
        {"title": "A new title", "body": "<p>Half a sentence<script>x()</script></p>"},
    )
    assert response.status_code == 200
    stored = Article.objects.get(pk=draft.pk)
    assert (stored.title, stored.body, stored.version) == (before.title, before.body, 1)
    assert stored.updated == before.updated
    assert not Revision.objects.filter(article=draft).exists()
    copy = client.get(url(draft)).json()
    assert copy["fields"] == {"title": "A new title", "body": "<p>Half a sentence</p>"}


def test_a_copy_is_only_ever_its_writers(client_for, staff, writer, draft):
    client_for(writer).post(url(draft), {"body": "<p>Mine</p>"})
    editor = staff("Editor")
    assert client_for(editor).get(url(draft)).json() == {}
    client_for(editor).post(url(draft), {"body": "<p>The editor's</p>"})
    assert Autosave.objects.filter(article=draft).count() == 2
    assert client_for(writer).get(url(draft)).json()["fields"] == {"body": "<p>Mine</p>"}


def test_a_writer_may_not_autosave_into_someone_elses_draft(client_for, staff, draft):
    other = staff("Writer")
    response = client_for(other).post(url(draft), {"body": "<p>Not mine</p>"})
    assert response.status_code == 403
    assert not Autosave.objects.exists()


def test_saving_the_form_makes_the_copy_old_news(client_for, writer, draft):
    client = client_for(writer)
    client.post(url(draft), {"body": "<p>Typed</p>"})
    assert client.get(url(draft)).json()["fields"] == {"body": "<p>Typed</p>"}
    draft.title = "Saved since"
    draft.save()
    assert client.get(url(draft)).json() == {}


def test_discarding_forgets_the_copy(client_for, writer, draft):
    client = client_for(writer)
    client.post(url(draft), {"body": "<p>Typed</p>"})
    assert client.delete(url(draft)).status_code == 200
    assert not Autosave.objects.exists()


def test_a_new_piece_has_one_copy_per_writer(client_for, writer):
    client = client_for(writer)
    client.post(url(), {"title": "First try", "body": "<p>One</p>"})
    client.post(url(), {"title": "First try", "body": "<p>Two</p>"})
    assert Autosave.objects.get(article=None).fields["body"] == "<p>Two</p>"
    assert client.get(url()).json()["fields"]["title"] == "First try"


def test_an_expired_session_is_sent_to_sign_in_and_keeps_nothing_it_cannot_own(client, draft):
    response = client.post(url(draft), {"body": "<p>Typed</p>"})
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not Autosave.objects.exists()


def test_too_much_text_is_refused_in_words(client_for, writer, draft):
    response = client_for(writer).post(url(draft), {"body": "x" * 2_000_001})
    assert response.status_code == 400
    assert not Autosave.objects.exists()


def test_an_unknown_piece_is_a_refusal_not_an_error(client_for, writer):
    response = client_for(writer).get("/admin/articles/article/999999/autosave/")
    assert response.status_code == 403


def test_a_new_pieces_copy_is_not_offered_once_the_piece_is_saved(client_for, writer, make_article):
    client = client_for(writer)
    client.post(url(), {"title": "First try", "body": "<p>One</p>"})
    make_article(number=900, status="draft", published_at=None, created_by=writer)
    assert client.get(url()).json() == {}
