"""Invalidation by what a page shows, checked against fresh renders: two gunicorn servers
share one Redis (as a site's servers do); this process makes random sequences of changes of
every kind, and after each one every page either server answers, cached or not, must be the
page a fresh render makes. And precision: an edit of one piece leaves the pages that do not
show it in the cache."""

import os
import random
import uuid
from datetime import timedelta

import pytest
import redis
import requests
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from articles.models import Article, Byline, Series, Tag
from authors.models import Author
from core import pagecache
from tests.services import AppServer, database_url
from translations.models import TranslationLink

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the app servers share the Postgres test database (set DATABASE_URL)",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PREFIX = f"invalidation-{uuid.uuid4().hex[:8]}"
REDIS = None


@pytest.fixture(scope="module")
def servers(django_db_setup, django_db_blocker, redis_server, static_root, tmp_path_factory):
    with django_db_blocker.unblock():
        primary = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "thinktank.settings",
        "SECRET_KEY": "one-key-for-every-server",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "SITE_URL": "http://testserver",  # as the fresh renders of this process say
        "DATABASE_URL": database_url(primary),
        "DATABASE_REPLICA_URLS": "",
        "CONN_MAX_AGE": "0",
        "REDIS_URL": redis_server.url,
        "CACHE_KEY_PREFIX": PREFIX,
        "PAGE_CACHE_SECONDS": "3600",
        "PAGE_CACHE_STALE_WHILE_REVALIDATE": "0",  # one reader at a time: never stale
        "STATIC_ROOT": str(static_root),
    }
    logs = tmp_path_factory.mktemp("logs")
    started = [AppServer(name, env, logs / f"{name}.log") for name in ("app-1", "app-2")]
    # The reference: the same code with no page cache, and a cache emptied before each page.
    uncached = {**env, "PAGE_CACHE_SECONDS": "0", "CACHE_KEY_PREFIX": f"{PREFIX}-fresh"}
    started.append(AppServer("fresh", uncached, logs / "fresh.log"))
    yield started
    for server in started:
        server.stop()


@pytest.fixture(autouse=True)
def same_cache(settings, redis_server):
    """This process saves: its invalidations go to the servers' Redis."""
    global REDIS
    REDIS = redis.Redis.from_url(redis_server.url)
    pagecache.changed()  # the database was emptied behind the cache's back between tests
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ForgivingRedisCache",
            "LOCATION": redis_server.url,
            "KEY_PREFIX": PREFIX,
        }
    }


def served(server, path):
    response = requests.get(server.url + path, headers={"Host": "testserver"}, timeout=60)
    return response.status_code, response.text, response.headers.get("X-Cache", "")


def fresh(servers, path):
    """The page as built from nothing kept: by the reference server, its cache emptied."""
    keys = list(REDIS.scan_iter(f"{PREFIX}-fresh:*"))
    if keys:
        REDIS.delete(*keys)
    status, text, _stale = served(servers[-1], path)
    return status, text


def pages():
    paths = ["/en/", "/ja/", "/en/archive/", "/en/tags/", "/en/authors/", "/en/feed/"]
    paths += ["/ja/feed/", "/sitemap.xml", "/en/search/?q=piece", "/ja/search/?q=piece"]
    paths += ["/en/speaking-out/", "/ja/speaking-out/", "/en/tags/russia/", "/en/tags/china/"]
    paths += ["/en/authors/kenro-nagoshi/", "/en/authors/taro-yamada/"]
    for article in Article.objects.all():
        paths.append(f"/{article.language}/{article.series.slug}/{article.number}/")
    return paths


def seed(make_article, series, author, chooser):
    other_author = Author.objects.create(slug="taro-yamada", name_en="Taro Yamada", name_ja="山田")
    Series.objects.create(slug="reports", name_en="Reports", name_ja="報告")
    for number in range(430, 436):
        english = make_article(
            number=number,
            title=f"English piece {number}",
            tags=chooser.sample(["Russia", "China", "diplomacy"], 2),
            authors=[author] if number % 2 else [author, other_author],
        )
        if number % 3:
            japanese = make_article(number=number, language="ja", title=f"日本語 piece {number}")
            TranslationLink.objects.create(original=japanese, translation=english)


def change(step, chooser):
    """One random change of content, of any kind a site sees; returns what it did."""
    articles = list(Article.objects.all())
    article = chooser.choice(articles)
    kind = chooser.choice(
        ["title", "title", "body", "unpublish", "publish", "schedule", "number", "tags",
         "author", "series", "topic", "byline", "link", "delete", "new", "bulk", "move"]
    )  # fmt: skip
    if kind == "title":
        article.title = f"Retitled at step {step}"
        article.save()
    elif kind == "body":
        article.body = f"A new piece of text at step {step}."
        article.save()
    elif kind == "unpublish":
        article.status = Article.Status.ARCHIVED
        article.save()
    elif kind == "publish":
        article.status = Article.Status.PUBLISHED
        article.published_at = timezone.now() - timedelta(days=chooser.randint(1, 900))
        article.save()
    elif kind == "schedule":
        article.published_at = timezone.now() + timedelta(days=3)
        article.save()
    elif kind == "number":
        article.number = 500 + step
        article.save()
    elif kind == "tags":
        article.tags.set(chooser.sample(["Russia", "China", "diplomacy", f"topic {step}"], 2))
    elif kind == "author":
        person = chooser.choice(list(Author.objects.all()))
        person.name_en = f"Renamed at step {step}"
        person.save()
    elif kind == "series":
        series = chooser.choice(list(Series.objects.all()))
        series.name_en = f"Series renamed at step {step}"
        series.save()
    elif kind == "topic":
        topic = chooser.choice(list(Tag.objects.all()))
        topic.name_ja = f"話題 {step}"
        topic.save()
    elif kind == "byline":
        Byline.objects.filter(article=article).delete()
        Byline.objects.create(article=article, author=chooser.choice(list(Author.objects.all())))
    elif kind == "link":
        TranslationLink.objects.filter(translation=article).delete()
        others = [a for a in articles if a.language != article.language]
        if others and article.language == "en":
            TranslationLink.objects.filter(original=others[0]).delete()
            TranslationLink.objects.create(original=others[0], translation=article)
    elif kind == "delete" and len(articles) > 4:
        TranslationLink.objects.filter(Q(original=article) | Q(translation=article)).delete()
        article.delete()
    elif kind == "new":
        made = Article.objects.create(
            number=600 + step, language=chooser.choice(["ja", "en"]), series=article.series,
            title=f"A new piece {step}", body="Its text.", status=Article.Status.PUBLISHED,
            published_at=timezone.now() - timedelta(hours=1),
        )  # fmt: skip
        Byline.objects.create(article=made, author=Author.objects.first())
    elif kind == "bulk":
        Article.objects.filter(pk=article.pk).update(lead=f"A lead of step {step}")
    elif kind == "move":
        article.series = chooser.choice(list(Series.objects.all()))
        article.save()
    return f"{kind} of #{article.number} ({article.language})"


@pytest.mark.parametrize("run", range(2))
def test_every_cached_page_is_the_fresh_page_after_random_changes(
    servers, make_article, series, author, run
):
    chooser = random.Random(f"{PREFIX}-{run}")
    seed(make_article, series, author, chooser)
    history = []
    for step in range(12):
        for path in pages():
            expected = fresh(servers, path)
            for server in servers[:2]:  # the first answer may be built, the second cached
                for _ in range(2):
                    status, text, _stale = served(server, path)
                    assert (status, text) == expected, (server.name, path, history)
        history.append(change(step, chooser))


def test_an_edit_keeps_the_pages_that_do_not_show_the_piece(servers, make_article, author):
    reports = Series.objects.create(slug="reports", name_en="Reports", name_ja="報告")
    old = make_article(number=100, title="A piece of 2019", series=reports)
    make_article(number=434, title="Today's piece", published_at=timezone.now())
    home, old_page = "/en/", "/en/reports/100/"
    today = "/en/speaking-out/434/"
    for path in (home, old_page, today):
        served(servers[0], path)
        assert served(servers[0], path)[0] == 200
    # Behind the cache's back: only a page built again shows it.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE articles_article SET lead = 'Behind its back' WHERE number = 434")
    old.title = "A piece of 2019, a typo fixed"
    old.save()
    assert "a typo fixed" in served(servers[1], old_page)[1]
    assert "a typo fixed" in served(servers[1], home)[1]  # it is on the home page's list
    # Today's piece does not show the old one: its page was kept.
    assert "Behind its back" not in served(servers[1], today)[1]
