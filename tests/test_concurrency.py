"""Two editors saving one version at the same moment: exactly one save is applied."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from articles.models import Article, Revision
from tests.conftest import postgres_only
from tests.forms import edit_form

# Committed for real, so that two connections see each other; the roles made by a
# migration are put back afterwards.
pytestmark = [postgres_only, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TRIALS = 8


def save_at_once(forms, url, users):
    """Posts each form from its own thread and connection, all released together."""
    barrier = threading.Barrier(len(forms))
    responses = [None] * len(forms)

    def post(index):
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(users[index])
        barrier.wait()
        try:
            responses[index] = client.post(url, forms[index])
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(i,)) for i in range(len(forms))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


def test_of_two_simultaneous_saves_exactly_one_is_applied(make_article, django_user_model):
    users = [
        django_user_model.objects.create_superuser(name, f"{name}@example.com", "pw")
        for name in ("ann", "ben")
    ]
    article = make_article()
    url = reverse("admin:articles_article_change", args=[article.pk])
    for trial in range(TRIALS):
        article.refresh_from_db()
        texts = [f"<p>Trial {trial}: ann's text.</p>", f"<p>Trial {trial}: ben's text.</p>"]
        forms = [edit_form(article, body=text) for text in texts]
        responses = save_at_once(forms, url, users)

        codes = sorted(response.status_code for response in responses)
        assert codes == [200, 302], f"trial {trial}: {codes}"
        refused = next(r for r in responses if r.status_code == 200)
        assert "Your changes were not applied" in refused.content.decode()
        winner = texts[[r.status_code for r in responses].index(302)]
        loser = texts[[r.status_code for r in responses].index(200)]
        article.refresh_from_db()
        assert article.body == winner
        assert article.version == 2 + trial
        kept = Revision.objects.get(article=article, applied=False, body=loser)
        assert kept.note.startswith("Refused")


def test_a_save_without_the_version_field_is_refused(make_article, django_user_model):
    editor = django_user_model.objects.create_superuser("ann", "ann@example.com", "pw")
    article = make_article()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(editor)
    form = edit_form(article, body="Overwrites whatever is there.")
    del form["lock_version"]
    response = client.post(reverse("admin:articles_article_change", args=[article.pk]), form)
    assert response.status_code == 200
    assert "does not say which version" in response.content.decode()
    assert Article.objects.get(pk=article.pk).body != "Overwrites whatever is there."
