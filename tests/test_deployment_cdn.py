"""A CDN in front of the site: public pages carry a surrogate key, and a change of content
purges it once committed, through a small HTTP server standing in for the CDN's purge API."""

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import transaction
from django.test import Client
from pytest_django.asserts import assertContains

from articles.models import Article
from tests.forms import edit_form
from tests.services import free_port
from tests.test_workflow import change_url

# Real commits: a purge follows one.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


class PurgeAPI(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.append((self.path, self.headers["Authorization"], json.loads(body)))
        self.send_response(self.server.status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def cdn(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), PurgeAPI)
    server.received, server.status = [], 200
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.CDN_PURGE_URL = f"http://127.0.0.1:{server.server_port}/purge"
    settings.CDN_PURGE_TOKEN = "purge-token"
    yield server
    server.shutdown()
    server.server_close()


def purged(cdn):
    """The keys of each purge the CDN received (with the bearer token)."""
    assert all(
        path == "/purge" and token == "Bearer purge-token" for path, token, _ in cdn.received
    )
    return [body["surrogate_keys"] for _path, _token, body in cdn.received]


def test_a_save_purges_the_cdn_once_after_it_commits(cdn, article, make_article, editor_client):
    other = make_article(number=433, title="An older piece")
    cdn.received.clear()
    saved = editor_client.post(change_url(article), edit_form(article, title="Retitled"))
    assert saved.status_code == 302
    [keys] = purged(cdn)  # one purge for the many rows one save writes
    assert f"pages-a{article.pk}" in keys
    assert f"pages-a{other.pk}" not in keys and "pages" not in keys  # by key, not everything
    with transaction.atomic():
        Article.objects.get(pk=article.pk).delete()
        assert len(purged(cdn)) == 1  # nothing before the commit
    assert f"pages-a{article.pk}" in purged(cdn)[1]
    assert "pages-lists" in purged(cdn)[1]  # gone from the lists too


def test_a_change_rolled_back_purges_nothing(cdn, article):
    cdn.received.clear()
    with pytest.raises(RuntimeError), transaction.atomic():
        article.title = "Never saved"
        article.save()
        raise RuntimeError
    assert cdn.received == []


@pytest.mark.parametrize("failure", ["error", "unreachable"])
def test_a_failing_purge_never_breaks_a_save(
    settings, cdn, failure, article, editor_client, caplog
):
    cdn.status = 503
    if failure == "unreachable":
        settings.CDN_PURGE_URL = f"http://127.0.0.1:{free_port()}/purge"
    caplog.clear()
    saved = editor_client.post(change_url(article), edit_form(article, title="Retitled"))
    assert saved.status_code == 302
    assert Article.objects.get(pk=article.pk).title == "Retitled"
    assert [r.levelno for r in caplog.records if r.name == "core.cdn"] == [logging.ERROR]


purged_by_function = []


def purge_by_function(keys):
    purged_by_function.append(keys)


def test_a_purge_function_can_stand_in_for_the_url(settings, article):
    settings.CDN_PURGE_FUNCTION = "tests.test_deployment_cdn.purge_by_function"
    pk = article.pk
    article.delete()
    [keys] = purged_by_function
    assert f"pages-a{pk}" in keys


def test_public_pages_carry_the_surrogate_key_and_staff_pages_do_not(article, editor_client):
    page = Client().get(article.get_absolute_url())
    assert "s-maxage" in page["Cache-Control"]
    keys = page["Surrogate-Key"].split()
    assert keys[0] == "pages" and f"pages-a{article.pk}" in keys  # everything, and the piece
    assert page["Cache-Tag"].split(",") == keys
    staff = editor_client.get(article.get_absolute_url())
    assertContains(staff, article.title)
    assert "Surrogate-Key" not in staff and "Cache-Tag" not in staff
