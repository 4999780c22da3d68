"""Several app servers behind one address: two gunicorn processes on one Postgres (and its
streaming replica, when there is one), one Redis and one S3-compatible store. What one server
does, the other shows at its next request; a replica or Redis that goes away costs no page."""

import os
import re
import subprocess
import threading
import time
import uuid
from collections import Counter
from datetime import timedelta

import dj_database_url
import pytest
import redis
import requests
from django.db import connection
from django.utils import timezone

from articles.models import Article
from tests.forms import edit_form
from tests.services import AppServer, database_url, need, replica_urls
from tests.test_images import located_jpeg
from thinktank import routers  # noqa: F401  (notes content changes for the servers' replicas)

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the app servers share the Postgres test database (set DATABASE_URL)",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True, databases="__all__"),
]

PREFIX = f"deployment-{uuid.uuid4().hex[:8]}"
PAGES = ["/en/", "/ja/", "/en/speaking-out/", "/en/speaking-out/434/", "/en/archive/",
         "/en/tags/", "/en/search/?q=Russia", "/en/feed/", "/sitemap.xml", "/robots.txt",
         "/en/authors/kenro-nagoshi/"]  # fmt: skip


@pytest.fixture(scope="module")
def servers(
    django_db_setup, django_db_blocker, s3_server, redis_server, static_root, tmp_path_factory
):
    with django_db_blocker.unblock():
        primary = connection.settings_dict
    env = {
        **os.environ,
        **s3_server,
        "DJANGO_SETTINGS_MODULE": "thinktank.settings",
        "SECRET_KEY": "one-key-for-every-server",
        "DEBUG": "0",
        "SECURE_COOKIES": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url(primary),
        "DATABASE_REPLICA_URLS": "",
        "REDIS_URL": redis_server.url,
        "CACHE_KEY_PREFIX": PREFIX,
        "STATIC_ROOT": str(static_root),
    }
    if replica_urls():
        real = dj_database_url.parse(replica_urls()[0])
        env["DATABASE_REPLICA_URLS"] = database_url(primary, real["HOST"], real["PORT"])
    logs = tmp_path_factory.mktemp("logs")
    started = [AppServer(name, env, logs / f"{name}.log") for name in ("app-1", "app-2")]
    yield started
    for server in started:
        server.stop()


@pytest.fixture(autouse=True)
def same_cache(settings, redis_server):
    """This process writes too: its changes must reach the servers' cache, and how far
    replicas must have replayed them (thinktank.routers)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ForgivingRedisCache",
            "LOCATION": redis_server.url,
            "KEY_PREFIX": PREFIX,
        }
    }
    settings.DATABASE_REPLICAS = [alias for alias in settings.DATABASES if alias != "default"]
    # Passwords the servers can check (the tests' own hasher is not in their settings).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]


def get(server, path, session=None, **headers):
    request_id = uuid.uuid4().hex
    response = (session or requests).get(
        server.url + path, headers={"X-Request-ID": request_id, **headers}, timeout=30
    )
    response.line = lambda: server.line(request_id)
    return response


def log_in(server, username="editor", password="pw"):
    session = requests.Session()
    get(server, "/admin/login/", session)
    response = session.post(
        server.url + "/admin/login/?next=/admin/",
        data={"username": username, "password": password,
              "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        timeout=30,
    )  # fmt: skip
    assert response.status_code == 200 and 'id="user-tools"' in response.text
    return session


def post_form(server, session, path, data, files=None):
    data = {**data, "csrfmiddlewaretoken": session.cookies["csrftoken"]}
    response = session.post(server.url + path, data=data, files=files, timeout=60)
    assert response.status_code == 200 and "errornote" not in response.text, response.text[:3000]
    return response


def test_a_login_on_one_server_is_valid_on_the_other(servers, redis_server, editor):
    first, second = servers
    session = log_in(first)
    admin = get(second, "/admin/", session)
    assert admin.status_code == 200 and 'id="user-tools"' in admin.text
    assert admin.url == second.url + "/admin/"
    key = f"{PREFIX}:1:django.contrib.sessions.cached_db{session.cookies['sessionid']}"
    assert redis.Redis.from_url(redis_server.url).exists(key), "sessions are in Redis"


def test_an_image_uploaded_through_one_server_is_shown_by_the_other(servers, editor, article):
    first, second = servers
    assert "<img" not in get(second, article.get_absolute_url()).text
    data = edit_form(article, image_alt="Ships in a harbour", image_caption="", image_credit="")
    post_form(first, log_in(first), f"/admin/articles/article/{article.pk}/change/", data,
              files={"image": ("harbour.jpg", located_jpeg(), "image/jpeg")})  # fmt: skip
    page = get(second, article.get_absolute_url())
    src = re.search(r'<img src="([^"]+)"[^>]*alt="Ships in a harbour"', page.text)
    assert src, "the second server does not show the image"
    image = requests.get(src.group(1), timeout=30)
    assert image.status_code == 200 and image.headers["Content-Type"] == "image/jpeg"


def test_a_piece_published_on_one_server_appears_on_the_other_at_once(
    servers, editor, article, make_article, now
):
    first, second = servers
    draft = make_article(number=501, title="Published on the first server", status="draft",
                         published_at=None)  # fmt: skip
    for server in servers:
        assert draft.title not in get(server, "/en/speaking-out/").text
    published = edit_form(draft, status="published", published_at_0=f"{now:%Y-%m-%d}",
                          published_at_1="00:00:00")  # fmt: skip
    post_form(first, log_in(first), f"/admin/articles/article/{draft.pk}/change/", published)
    assert Article.objects.get(pk=draft.pk).is_published()
    assert draft.title in get(second, "/en/speaking-out/").text


def test_a_scheduled_piece_appears_on_both_servers_when_due(servers, article, make_article):
    scheduled = make_article(number=502, title="Due in three seconds",
                             published_at=timezone.now() + timedelta(seconds=3))  # fmt: skip
    due = Article.objects.get(pk=scheduled.pk).published_at  # as stored: whole seconds
    assert get(servers[0], "/en/speaking-out/").line()["db"]  # built now...
    for server in servers:
        assert scheduled.title not in get(server, "/en/speaking-out/").text
        assert not get(server, "/en/speaking-out/").line()["db"]  # ...and kept, for both
    seen = {}
    while len(seen) < 2 and timezone.now() < due + timedelta(seconds=5):
        for server in servers:
            if server.name not in seen and scheduled.title in get(server, "/en/speaking-out/").text:
                seen[server.name] = timezone.now()
    assert set(seen) == {"app-1", "app-2"}
    assert all(due <= moment < due + timedelta(seconds=2) for moment in seen.values())


def test_public_pages_are_read_from_the_replica_and_an_editor_sees_their_save_at_once(
    servers, replica, editor, article
):
    first, second = servers
    page = get(second, article.get_absolute_url() + "?from=fresh")
    assert page.status_code == 200 and set(page.line()["db"]) == {"replica1"}
    session = log_in(first)
    post_form(first, session, f"/admin/articles/article/{article.pk}/change/",
              edit_form(article, title="Saved a moment ago"))  # fmt: skip
    for server in servers:  # the editor, the other server, the next reader: all at once
        assert "Saved a moment ago" in get(server, article.get_absolute_url(), session).text
        assert "Saved a moment ago" in get(server, article.get_absolute_url()).text
    assert "replica1" not in get(second, "/en/?as-editor", session).line()["db"]


def replica_cluster():
    port = str(dj_database_url.parse(replica_urls()[0])["PORT"])
    clusters = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True)
    for version, name, cluster_port, *_rest in map(str.split, clusters.stdout.splitlines()):
        if cluster_port == port:
            return version, name
    need(f"needs the replica's cluster (port {port}) in pg_lsclusters, to stop and start it")


def test_with_the_replica_stopped_every_page_still_answers(servers, replica, article):
    version, name = replica_cluster()
    for server in servers:  # each has just found it healthy: the first reads after the stop
        page = get(server, f"/en/?from=before-{server.name}")  # its own key: built here
        assert "replica1" in page.line()["db"]  # will fail
    subprocess.run(["pg_ctlcluster", version, name, "stop", "-m", "fast"], check=True)
    try:
        for query, server in enumerate(servers * 2):
            for path in PAGES:  # from= makes a new key, not a new page: built now
                sep = "&" if "?" in path else "?"
                page = get(server, f"{path}{sep}from=stopped{query}")
                assert page.status_code == 200, (path, page.status_code)
                assert "replica1" not in page.line()["db"]
    finally:
        subprocess.run(["pg_ctlcluster", version, name, "start"], check=True)


def test_redis_stopped_during_a_load_run_costs_no_page_and_caching_comes_back(
    servers, redis_server, article
):
    statuses, stop = Counter(), threading.Event()

    def load(server):
        while not stop.is_set():
            for path in PAGES:
                statuses[get(server, path).status_code] += 1

    def served():
        return sum(statuses.values())

    threads = [threading.Thread(target=load, args=(server,)) for server in servers * 2]
    for thread in threads:
        thread.start()
    try:
        wait_until(lambda: served() >= 100)
        redis_server.process.terminate()
        redis_server.process.wait(10)
        down_from = served()
        wait_until(lambda: served() >= down_from + 100)
        redis_server.process = redis_server.start()
        wait_until(lambda: served() >= down_from + 200)
    finally:
        stop.set()
        for thread in threads:
            thread.join(60)
    assert set(statuses) == {200}, statuses
    for server in servers:
        wait_until(lambda server=server: not get(server, "/en/tags/").line()["db"])


def wait_until(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)
