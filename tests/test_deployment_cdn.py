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


PURGE = ("/purge", "Bearer purge-token", {"surrogate_keys": ["pages"]})


def test_a_save_purges_the_cdn_once_after_it_commits(cdn, article, editor_client):
    cdn.received.clear()
    saved = editor_client.post(change_url(article), edit_form(article, title="Retitled"))
    assert saved.status_code == 302
    assert cdn.received == [PURGE]  # one purge for the many rows one save writes
    with transaction.atomic():
        Article.objects.get(pk=article.pk).delete()
        assert cdn.received == [PURGE]  # nothing before the commit
    assert cdn.received == [PURGE, PURGE]


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
    article.delete()
    assert purged_by_function == [["pages"]]


def test_public_pages_carry_the_surrogate_key_and_staff_pages_do_not(article, editor_client):
    page = Client().get(article.get_absolute_url())
    assert "s-maxage" in page["Cache-Control"]
    assert page["Surrogate-Key"] == page["Cache-Tag"] == "pages"
    staff = editor_client.get(article.get_absolute_url())
    assertContains(staff, article.title)
    assert "Surrogate-Key" not in staff and "Cache-Tag" not in staff
