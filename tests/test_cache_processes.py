"""The page cache across processes: gunicorn (two workers) serves the site from the Postgres
test database and a real Redis; this process saves. Every kind of change is on the server's
very next answer, and a scheduled piece appears at its time with only the server running."""

import contextlib
import os
import socket
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import pytest
import redis
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from articles import actions, counts
from articles.models import Article, Revision, Tag
from tests.test_images import picture

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the server process reads the Postgres test database (set DATABASE_URL)",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/8")
PREFIX = f"tests-{uuid.uuid4().hex[:12]}"  # runs sharing a Redis database never meet
ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url():
    db = connection.settings_dict
    return (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


@pytest.fixture(scope="module")
def shared_redis():
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.fail(f"these tests need Redis at {REDIS_URL} (.ci/run starts it): {error}")
    yield client
    for key in client.scan_iter(f"{PREFIX}:*"):
        client.delete(key)


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker, shared_redis, tmp_path_factory):
    with django_db_blocker.unblock():
        url = database_url()
    log = tmp_path_factory.mktemp("gunicorn") / "log.txt"
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "thinktank.settings",
        "SECRET_KEY": "page-cache-tests",
        "DEBUG": "0",
        "DATABASE_URL": url,
        "DATABASE_REPLICA_URLS": "",  # CI's replica URL names another database
        "CONN_MAX_AGE": "0",
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": PREFIX,
        "PAGE_CACHE_SECONDS": "3600",
        "ALLOWED_HOSTS": "127.0.0.1",
        "MEDIA_ROOT": str(tmp_path_factory.mktemp("media")),
        "STATIC_ROOT": str(tmp_path_factory.mktemp("static")),
    }
    manage = [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"]
    subprocess.run(manage, cwd=ROOT, env=env, check=True)
    command = [sys.executable, "-m", "gunicorn", "thinktank.wsgi", "--workers", "2", "--preload"]
    with log.open("w") as output:
        process = subprocess.Popen(
            [*command, "--bind", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 60
    while True:
        try:
            urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=30).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"gunicorn did not start:\n{log.read_text()}")
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=0.1)  # a pause that also notices an early exit
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=30)


@pytest.fixture(autouse=True)
def same_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ForgivingRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": PREFIX,
        }
    }


def page(server, path):
    """The server's answer: (status, text)."""
    try:
        with urlopen(Request(server + path), timeout=30) as response:
            return response.status, response.read().decode()
    except HTTPError as error:
        return error.code, ""


def shown(server, path, text):
    """Whether the page shows the text, asked twice: the second answer comes from the
    cache when the first was kept."""
    first, second = page(server, path), page(server, path)
    assert first == second
    return first[0] == 200 and text in first[1]


def test_a_write_behind_djangos_back_shows_once_changed_is_called(server, article):
    assert shown(server, "/en/speaking-out/434/", "Adjust Relations")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE articles_article SET title = 'Rewritten in SQL'")
    # The server answers from its cache: proof that the pages below were cached.
    assert shown(server, "/en/speaking-out/434/", "Adjust Relations")
    counts.changed()
    assert shown(server, "/en/speaking-out/434/", "Rewritten in SQL")


def test_publishing_shows_on_the_next_request(server, draft, yesterday):
    assert not shown(server, "/en/", "A draft nobody may read")
    draft.status, draft.published_at = Article.Status.PUBLISHED, yesterday
    draft.save()
    assert shown(server, "/en/", "A draft nobody may read")
    assert shown(server, "/en/speaking-out/435/", "A draft nobody may read")


def test_unpublishing_removes_the_page_and_its_card(server, article):
    assert shown(server, "/en/", "Adjust Relations")
    article.status = Article.Status.ARCHIVED
    article.save()
    assert not shown(server, "/en/", "Adjust Relations")
    assert page(server, "/en/speaking-out/434/")[0] == 404


def test_an_edit_shows_everywhere_the_piece_is_listed(server, article):
    for path in ("/en/", "/en/speaking-out/", "/en/feed/", "/en/tags/russia/"):
        assert shown(server, path, "Adjust Relations")
    article.title = "A new title"
    article.save()
    for path in ("/en/", "/en/speaking-out/", "/en/feed/", "/en/tags/russia/"):
        assert shown(server, path, "A new title"), path


def test_a_deleted_piece_is_gone(server, article):
    assert shown(server, "/en/search/?q=Relations", "May Adjust")
    article.delete()
    assert not shown(server, "/en/search/?q=Relations", "May Adjust")
    assert not shown(server, "/en/", "Adjust Relations")


def test_renaming_an_author_a_series_or_a_topic_shows(server, article, author, series):
    assert shown(server, "/en/speaking-out/434/", "Kenro Nagoshi")
    author.name_en = "Kenro N."
    author.save()
    assert shown(server, "/en/speaking-out/434/", "Kenro N.")
    series.name_en = "Speaking Up"
    series.save()
    assert shown(server, "/en/speaking-out/434/", "Speaking Up")
    tag = Tag.objects.get(name="Russia")
    tag.name = "Russian Federation"
    tag.save()
    assert shown(server, "/en/speaking-out/434/", "Russian Federation")


def test_a_new_translation_link_shows_on_both_pages(server, article, make_article, link):
    japanese = make_article(language="ja", title="米露は対立を演じつつ関係を調整か")
    # One phrase of the title: Japanese titles have <wbr> between phrases (BudouX).
    assert not shown(server, "/en/speaking-out/434/", "米露は")
    link(japanese, article)
    assert shown(server, "/en/speaking-out/434/", "米露は")
    assert shown(server, "/ja/speaking-out/434/", "Adjust Relations")


def test_a_new_lead_image_shows(server, article):
    assert not shown(server, "/en/speaking-out/434/", "<figure")
    article.image_alt = "Two flags"
    article.image.save("flags.png", ContentFile(picture((400, 300), "PNG")))
    assert shown(server, "/en/speaking-out/434/", "Two flags")


def test_a_bulk_update_shows(server, make_article):
    make_article(number=1)
    make_article(number=2)
    assert shown(server, "/en/", "Commentary number 2")
    Article.objects.filter(number=2).update(status=Article.Status.ARCHIVED)
    assert not shown(server, "/en/", "Commentary number 2")


def test_restoring_a_revision_shows(server, article, editor):
    first = Revision.record(article)
    article.title = "An edit to undo"
    article.save()
    assert shown(server, "/en/speaking-out/434/", "An edit to undo")
    actions.restore_revision(first, editor)
    assert shown(server, "/en/speaking-out/434/", "Adjust Relations")


def in_another_process(code):
    """Runs the code by `manage.py shell` on the test database and the shared cache."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "thinktank.settings",
        "SECRET_KEY": "page-cache-tests",
        "DATABASE_URL": database_url(),
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": PREFIX,
    }
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True
    )


RETITLE = "from articles.models import Article; a = Article.objects.get(); a.title = '{}'; a.save()"


def test_a_save_from_a_management_command_in_a_third_process_shows(server, article):
    assert shown(server, "/en/speaking-out/434/", "Adjust Relations")
    in_another_process(RETITLE.format("Shelled"))
    assert shown(server, "/en/speaking-out/434/", "Shelled")


def test_a_process_s_own_copy_of_a_page_is_refused_after_another_process_s_change(
    client, article, shared_redis, django_assert_num_queries
):
    from core.pagecache import entries

    path = "/en/speaking-out/434/"
    entries._hot.clear()
    client.get(path)  # built here, and kept by this process too
    for key in shared_redis.scan_iter(f"{PREFIX}:*pagecache:page:*"):
        shared_redis.delete(key)
    with django_assert_num_queries(0):  # only this process's own copy can answer
        assert "Adjust Relations" in client.get(path).content.decode()
    in_another_process(RETITLE.format("Retitled elsewhere"))
    assert "Retitled elsewhere" in client.get(path).content.decode()


def test_reindexing_from_the_command_line_changes_search_at_once(server, article):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE articles_article SET search_vector = NULL")
    counts.changed()
    assert not shown(server, "/en/search/?q=Relations", "May Adjust")
    call_command("reindex_search", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert shown(server, "/en/search/?q=Relations", "May Adjust")


def test_a_scheduled_piece_appears_at_its_time_with_only_the_server_running(
    server, article, make_article
):
    piece = make_article(
        number=500,
        title="Scheduled to the second",
        published_at=timezone.now() + timedelta(seconds=3),
    )
    piece.refresh_from_db()
    due = piece.published_at  # as stored (saving may round it)
    assert not shown(server, "/en/", "Scheduled to the second")
    with connection.cursor() as cursor:  # behind Django's back: only a cached page keeps it
        cursor.execute("UPDATE articles_article SET title = 'Not cached' WHERE number = 434")
    answers = []
    while not answers or answers[-1][0] <= due + timedelta(seconds=1):
        asked = timezone.now()
        status, text = page(server, "/en/")
        answers.append((asked, timezone.now(), "Scheduled to the second" in text, text))
    before = [answer for answer in answers if answer[1] < due]
    after = [answer for answer in answers if answer[0] >= due]
    assert before, "the machine was too slow to ask before the piece was due"
    assert not any(present for _asked, _answered, present, _text in before), [
        (asked, answered, due) for asked, answered, present, _text in before if present
    ]
    # Before its time the home page came from the cache; from its time on, never stale.
    assert all("Adjust Relations" in text for *_rest, text in before)
    assert after and all(present for _asked, _answered, present, _text in after)
