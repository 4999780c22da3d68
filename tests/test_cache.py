"""The page cache in one process: what a hit costs, who never meets it, HTTP caching and
compression, and the exact instant a scheduled piece appears."""

import gzip
import shutil
import socket
import subprocess
from datetime import timedelta

import brotli
import pytest
import time_machine
from django.db import connection
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, PreviewLink, Series, Tag
from authors.models import Author
from translations.models import TranslationLink

pytestmark = pytest.mark.django_db

PAGES = [
    "/en/speaking-out/434/",
    "/ja/",
    "/en/speaking-out/",
    "/en/archive/",
    "/en/tags/russia/",
    "/en/authors/kenro-nagoshi/",
    "/en/search/?q=Relations",
    "/en/feed/",
    "/sitemap.xml",
    "/robots.txt",
]


@pytest.mark.parametrize("path", PAGES)
def test_a_cached_page_runs_no_query_and_is_the_same_bytes(
    client, article, path, django_assert_num_queries
):
    fresh = client.get(path)
    with django_assert_num_queries(0):
        cached = client.get(path)
    assert cached.status_code == fresh.status_code == 200
    assert cached.content == fresh.content
    # Every header but the one naming each request (core.requestlog).
    assert {**cached.headers, "X-Request-ID": ""} == {**fresh.headers, "X-Request-ID": ""}


def test_anonymous_pages_say_public_and_vary_on_no_cookie(client, article):
    response = client.get("/en/speaking-out/434/")
    assert response["Cache-Control"] == (
        "public, max-age=60, s-maxage=60, stale-while-revalidate=5, stale-if-error=3600"
    )
    assert "cookie" not in response.get("Vary", "").lower()
    assert response["ETag"].startswith('W/"')


def test_browsers_and_cdns_keep_no_page_past_the_next_publication(client, article, make_article):
    # The clock stands still on a whole second (times are stored in whole seconds), so a
    # slow machine cannot shift the figure.
    with time_machine.travel(timezone.now().replace(microsecond=0), tick=False):
        make_article(number=500, published_at=timezone.now() + timedelta(seconds=30))
        assert client.get("/en/")["Cache-Control"].startswith("public, max-age=30, s-maxage=30,")


def test_staff_neither_read_nor_fill_the_cache(
    editor_client, article, django_assert_max_num_queries, django_assert_num_queries
):
    reader = Client()
    reader.get("/en/speaking-out/434/")
    with django_assert_max_num_queries(20) as staff_queries:
        staff = editor_client.get("/en/speaking-out/434/")
    assert len(staff_queries) > 0
    assert "private" in staff["Cache-Control"]
    assert "ETag" not in staff

    editor_client.get("/en/speaking-out/")
    with django_assert_max_num_queries(20) as reader_queries:
        reader.get("/en/speaking-out/")
    assert len(reader_queries) > 0  # the staff's page was not kept


def test_a_preview_never_reaches_the_public(editor_client, article, draft, editor):
    reader = Client()
    reader.get("/en/")
    preview = editor_client.get(draft.get_preview_url())
    assert "A draft nobody may read" in preview.content.decode()
    assert "no-store" in preview["Cache-Control"]
    assert "A draft nobody may read" not in reader.get("/en/").content.decode()

    link = PreviewLink.objects.create(article=draft, expires_at=timezone.now() + timedelta(days=1))
    shared = reverse("articles:shared-preview", kwargs={"token": link.token})
    for _ in range(2):
        response = reader.get(shared)
        assert "A draft nobody may read" in response.content.decode()
        assert "no-store" in response["Cache-Control"]
        assert "ETag" not in response
    link.revoked = True
    link.save()
    assert reader.get(shared).status_code == 404


UPDATES = {
    "an author": lambda article: Author.objects.update(name_en="Renamed by update()"),
    "a series": lambda article: Series.objects.update(name_en="Renamed by update()"),
    "a topic": lambda article: Tag.objects.filter(name="Russia").update(name="Renamed by update()"),
    "a translation link": lambda article: TranslationLink.objects.update(  # roles swapped
        original=F("translation"), translation=F("original")
    ),
}


@pytest.mark.parametrize("model", UPDATES)
def test_update_of_any_content_model_empties_the_cache(client, article, link, model):
    """QuerySet.update() sends no signal; every content model's starts a new generation."""
    original = Article.objects.create(
        series=article.series,
        number=article.number,
        language="ja",
        title="日本語の原文",
        body="本文",
        status="published",
        published_at=article.published_at,
    )
    link(original, article)
    before = client.get(article.get_absolute_url()).content.decode()
    UPDATES[model](article)
    after = client.get(article.get_absolute_url()).content.decode()
    assert after != before
    if model == "a translation link":
        assert "Japanese original" in before
        assert "Japanese original" not in after  # now the original itself
    else:
        assert "Renamed by update()" in after


def test_a_conditional_get_answers_304_until_the_page_changes(
    client, article, django_assert_num_queries
):
    first = client.get("/en/speaking-out/434/")
    with django_assert_num_queries(0):
        unchanged = client.get("/en/speaking-out/434/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert unchanged.status_code == 304
    assert unchanged.content == b""

    article.title = "Relations adjusted"
    article.save()
    changed = client.get("/en/speaking-out/434/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert "Relations adjusted" in changed.content.decode()
    assert changed["ETag"] != first["ETag"]


def test_feeds_answer_304_to_if_modified_since(client, article):
    feed = client.get("/en/feed/")
    since = client.get("/en/feed/", HTTP_IF_MODIFIED_SINCE=feed["Last-Modified"])
    assert since.status_code == 304
    article.title = "A later title"
    article.save()
    again = client.get("/en/feed/", HTTP_IF_NONE_MATCH=feed["ETag"])
    assert again.status_code == 200
    assert "A later title" in again.content.decode()


@pytest.mark.parametrize(
    ("encoding", "decompress"), [("gzip", gzip.decompress), ("br", brotli.decompress)]
)
def test_public_pages_are_compressed_for_clients_that_ask(client, article, encoding, decompress):
    plain = client.get("/en/speaking-out/434/")
    for _ in range(2):  # fresh, then from the cache
        packed = client.get("/en/speaking-out/434/", HTTP_ACCEPT_ENCODING=f"{encoding}, identity")
        assert packed["Content-Encoding"] == encoding
        assert decompress(packed.content) == plain.content
        assert int(packed["Content-Length"]) == len(packed.content) < len(plain.content)
        assert packed["Vary"] == "Accept-Encoding"


def test_pages_with_a_secret_are_neither_compressed_nor_cached(editor_client, article):
    login = Client().get("/admin/login/", HTTP_ACCEPT_ENCODING="gzip, br")
    assert b"csrfmiddlewaretoken" in login.content
    assert "Content-Encoding" not in login
    assert "no-store" in login["Cache-Control"]
    staff = editor_client.get("/en/speaking-out/434/", HTTP_ACCEPT_ENCODING="gzip, br")
    assert "Content-Encoding" not in staff


def test_pages_outside_a_language_are_kept_per_language(client, article):
    for _ in range(2):
        assert client.get("/robots.txt", HTTP_ACCEPT_LANGUAGE="en")["Content-Language"] == "en"
        assert client.get("/robots.txt", HTTP_ACCEPT_LANGUAGE="ja")["Content-Language"] == "ja"
    root = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert root.status_code == 302
    assert root["Location"] == "/en/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="ja")["Location"] == "/ja/"


def test_a_scheduled_piece_appears_at_the_instant_it_is_due(
    client, article, make_article, django_assert_num_queries
):
    due = timezone.now().replace(microsecond=0) + timedelta(minutes=10)
    make_article(number=500, title="Due at ten past", published_at=due)
    with time_machine.travel(due - timedelta(minutes=5), tick=False):
        assert "Due at ten past" not in client.get("/en/").content.decode()
    with time_machine.travel(due - timedelta(seconds=1), tick=False), django_assert_num_queries(0):
        assert "Due at ten past" not in client.get("/en/").content.decode()
    with time_machine.travel(due, tick=False):
        assert "Due at ten past" in client.get("/en/").content.decode()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_server(port):
    return subprocess.Popen(
        ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )


@pytest.fixture
def own_redis(settings):
    """A Redis of the test's own, to stop and start again."""
    if shutil.which("redis-server") is None:
        if connection.vendor == "postgresql":
            pytest.fail("redis-server is required on CI (apt-get install redis-server)")
        pytest.skip("needs redis-server (apt-get install redis-server)")
    port = free_port()
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ForgivingRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    process = redis_server(port)
    yield port, process
    process.kill()
    process.wait()


def wait_for_port(port):
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            continue


def test_a_redis_gone_away_means_uncached_pages_then_recovery(
    client, article, own_redis, django_assert_num_queries, caplog
):
    port, process = own_redis
    wait_for_port(port)
    client.get("/en/speaking-out/434/")
    with django_assert_num_queries(0):
        assert client.get("/en/speaking-out/434/").status_code == 200

    process.kill()
    process.wait()
    for _ in range(2):
        response = client.get("/en/speaking-out/434/")
        assert response.status_code == 200
        assert "Adjust Relations" in response.content.decode()
    assert "Cache unavailable" in caplog.text

    restarted = redis_server(port)
    try:
        wait_for_port(port)
        with time_machine.travel(timezone.now() + timedelta(seconds=3)):
            client.get("/en/speaking-out/434/")
            with django_assert_num_queries(0):
                assert client.get("/en/speaking-out/434/").status_code == 200
    finally:
        restarted.kill()
        restarted.wait()


def test_uploaded_images_are_served_as_images_kept_a_year(client, media_root):
    from tests.test_images import picture

    (media_root / "articles").mkdir(parents=True)
    (media_root / "articles" / "flags.png").write_bytes(picture((40, 30), "PNG"))
    (media_root / "articles" / "page.html").write_text("<script>alert(1)</script>")
    image = client.get("/media/articles/flags.png")
    assert image.status_code == 200
    assert image["Content-Type"] == "image/png"
    assert image["X-Content-Type-Options"] == "nosniff"
    assert image["Cache-Control"] == "public, max-age=31536000, immutable"
    for path in ("/media/articles/page.html", "/media/../pyproject.toml", "/media/x/gone.png"):
        assert client.get(path).status_code == 404, path


# --- Issue 21: a cache that cannot be blown up, no stampede ---------------------------------


def test_tracking_parameters_share_the_page_s_one_entry(client, article, django_assert_num_queries):
    plain = client.get("/en/speaking-out/434/")
    addresses = [f"?utm_source=n{n}" for n in range(100)]
    addresses += [f"?fbclid={n}&gclid=x{n}" for n in range(100)]
    addresses += [f"?anything{n}=1&utm_campaign=spring" for n in range(100)]
    with django_assert_num_queries(0):
        for query in addresses:
            tracked = client.get(f"/en/speaking-out/434/{query}")
            assert tracked.content == plain.content


def test_parameters_that_change_a_page_still_do_and_tracking_ones_never_reach_it(
    client, make_article
):
    for number in range(1, 15):
        make_article(number=number)
    first = client.get("/en/?utm_source=mail").content.decode()
    second = client.get("/en/?page=2&utm_source=mail").content.decode()
    assert first != second
    assert "utm_source" not in first + second  # the pagination's links drop it


def test_a_session_cookie_of_nobody_signed_in_gets_the_cached_page(
    client, article, django_assert_max_num_queries, django_assert_num_queries
):
    reader = client.get("/en/speaking-out/434/")
    stranger = Client()
    stranger.cookies["sessionid"] = "a-garbage-session-key-nobody-ever-had"
    with django_assert_max_num_queries(1):  # is it anyone's session?
        first = stranger.get("/en/speaking-out/434/")
    with django_assert_num_queries(0):  # known to be nobody's now
        second = stranger.get("/en/speaking-out/434/")
    for answer in (first, second):
        assert answer.content == reader.content
        assert answer["ETag"] == reader["ETag"]
        assert "sessionid" not in answer.cookies


def lock_held_for(path):
    """As if another worker were building the page at this moment."""
    from django.core.cache import cache
    from django.test import RequestFactory

    from core import pagecache

    cache.add(f"{pagecache.page_key(RequestFactory().get(path))}:lock", 1, 30)


def test_while_another_builds_a_changed_page_readers_get_the_last_copy_for_seconds(
    client, article, settings, django_assert_num_queries
):
    settings.PAGE_CACHE_WAIT_SECONDS = 0.2
    client.get("/en/speaking-out/434/")
    article.title = "A newer title"
    article.save()
    lock_held_for("/en/speaking-out/434/")
    with django_assert_num_queries(0):
        stale = client.get("/en/speaking-out/434/")
    assert stale["X-Cache"] == "stale"
    assert "max-age=0" in stale["Cache-Control"]  # no browser or CDN keeps it
    assert "Adjust Relations" in stale.content.decode()
    with time_machine.travel(timezone.now() + timedelta(seconds=6)):
        # Out of date for longer than PAGE_CACHE_STALE_WHILE_REVALIDATE: never served.
        later = client.get("/en/speaking-out/434/")
    assert "A newer title" in later.content.decode()
    assert "X-Cache" not in later


def test_a_page_never_built_waits_for_its_builder_then_builds_itself(client, article, settings):
    settings.PAGE_CACHE_WAIT_SECONDS = 0.2
    lock_held_for("/en/speaking-out/434/")
    response = client.get("/en/speaking-out/434/")  # the builder died: it builds after 0.2 s
    assert response.status_code == 200
    assert "Adjust Relations" in response.content.decode()


def test_once_a_scheduled_piece_is_out_its_pages_are_kept_again(
    client, article, make_article, django_assert_num_queries
):
    due = timezone.now().replace(microsecond=0) + timedelta(minutes=10)
    make_article(number=500, title="Due at ten past", published_at=due)
    with time_machine.travel(due + timedelta(seconds=1), tick=False):
        assert "Due at ten past" in client.get("/en/").content.decode()
        with django_assert_num_queries(0):
            assert "Due at ten past" in client.get("/en/").content.decode()


def test_an_edit_of_one_piece_keeps_the_page_of_another(
    client, article, make_article, django_assert_num_queries
):
    other_series = Series.objects.create(slug="reports", name_en="Reports", name_ja="報告")
    old = make_article(number=12, title="An old report", series=other_series)
    client.get("/en/speaking-out/434/")
    client.get("/en/reports/12/")
    old.title = "An old report, a typo fixed"
    old.save()
    with django_assert_num_queries(0):
        client.get("/en/speaking-out/434/")  # shows nothing of the old report
    assert "a typo fixed" in client.get("/en/reports/12/").content.decode()
    assert "a typo fixed" in client.get("/en/").content.decode()


def test_warming_builds_the_pages_a_reader_then_gets_without_a_query(
    client, article, django_assert_num_queries
):
    from core.warm import warm_pages

    warm_pages(["/en/", "/en/speaking-out/434/"])  # what the job does after a change commits
    with django_assert_num_queries(0):
        assert "Adjust Relations" in client.get("/en/speaking-out/434/").content.decode()
        assert "Adjust Relations" in client.get("/en/").content.decode()
