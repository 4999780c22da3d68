"""The page cache's hit path on a real Redis (issue 21, item 5): a hit is answered before any
other middleware, from the process's own copy of the page when it holds one, checked in one
round trip; it reads no session and no row, sets no cookie and carries every header the page
was built with. (tests/test_cache_processes.py: the copy refused after another process's
change.)"""

import os
import uuid

import pytest
import redis
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core.pagecache import entries

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/8")
PAGE = "/en/speaking-out/434/"
# What the other middleware add to a page, kept with it for the hits they never see.
HEADERS = [
    "Content-Security-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "Cache-Control",
    "Surrogate-Key",
    "Cache-Tag",
    "ETag",
    "Vary",
    "Content-Language",
]


@pytest.fixture(autouse=True)
def shared_redis(settings):
    """The site's Redis cache (core.cache.ForgivingRedisCache), under a prefix of the test's
    own, and the process's copy of pages emptied."""
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.fail(f"these tests need Redis at {REDIS_URL} (.ci/run starts it): {error}")
    prefix = f"tests-{uuid.uuid4().hex[:12]}"
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ForgivingRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    entries._hot.clear()
    yield client, prefix
    entries._hot.clear()
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def forget_pages(shared_redis):
    """The pages kept in Redis removed: only the process's own copies can answer now."""
    client, prefix = shared_redis
    for key in client.scan_iter(f"{prefix}:*pagecache:page:*"):
        client.delete(key)


def test_a_hit_reads_no_row_no_session_and_sets_no_cookie(
    client, article, django_assert_num_queries, django_assert_max_num_queries
):
    built = client.get(PAGE)
    with django_assert_num_queries(0):
        hit = client.get(PAGE)
    stranger = Client()
    stranger.cookies["sessionid"] = "a-session-key-nobody-ever-had"
    with django_assert_max_num_queries(1):  # is it anyone's session? asked once
        stranger.get(PAGE)
    with django_assert_num_queries(0):
        known = stranger.get(PAGE)
    for answer in (hit, known):
        assert answer.status_code == 200
        assert answer.content == built.content
        assert "Set-Cookie" not in answer.headers and not answer.cookies
        assert "cookie" not in answer["Vary"].lower()


def test_hits_from_redis_and_from_the_process_s_copy_carry_the_built_page_s_headers(
    client, article
):
    built = client.get(PAGE, HTTP_ACCEPT_ENCODING="gzip, br")
    entries._hot.clear()
    from_redis = client.get(PAGE, HTTP_ACCEPT_ENCODING="gzip, br")
    hot = client.get(PAGE, HTTP_ACCEPT_ENCODING="gzip, br")
    assert entries._hot, "the process keeps its own copy"
    for name in HEADERS:
        assert built.has_header(name), name
    for answer in (from_redis, hot):
        assert answer.content == built.content
        assert {**answer.headers, "X-Request-ID": ""} == {**built.headers, "X-Request-ID": ""}
        assert answer["X-Request-ID"] != built["X-Request-ID"]
    assert built["Content-Encoding"] == "br"
    assert "Accept-Encoding" in built["Vary"]


def test_the_process_s_copy_answers_alone_and_is_refused_after_a_change(
    client, article, shared_redis, django_assert_num_queries
):
    client.get(PAGE)
    forget_pages(shared_redis)
    with django_assert_num_queries(0):
        assert "Adjust Relations" in client.get(PAGE).content.decode()
    article.title = "A title changed since"
    article.save()
    assert "A title changed since" in client.get(PAGE).content.decode()


def test_the_process_keeps_its_last_pages_only(
    client, make_article, shared_redis, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(entries, "HOT_ENTRIES", 3)
    paths = [make_article(number=number).get_absolute_url() for number in range(1, 6)]
    for path in paths:
        client.get(path)
    assert len(entries._hot) == 3
    forget_pages(shared_redis)
    with django_assert_num_queries(0):  # the last three, from the process's own copies
        for path in paths[2:]:
            assert client.get(path).status_code == 200
    for path in paths[:2]:  # the first two were let go: built again
        with CaptureQueriesContext(connection) as built:
            assert client.get(path).status_code == 200
        assert built.captured_queries, path
    assert len(entries._hot) == 3
