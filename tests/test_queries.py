"""Pages run a fixed number of queries, however many commentaries, authors and tags exist."""

import importlib
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from authors.models import Author

pytestmark = pytest.mark.django_db


@pytest.fixture
def big_archive(make_article, author, link):
    writers = [author] + [
        Author.objects.create(slug=f"writer-{n}", name_en=f"Writer {n}", bio_en="Fellow")
        for n in range(5)
    ]
    for number in range(1, 61):
        pair = [writers[number % 6], writers[(number + 1) % 6]]
        day = datetime(2020, 5, 1, tzinfo=ZoneInfo("Asia/Tokyo")) + timedelta(hours=number)
        english = make_article(
            number=number, authors=pair, tags=[f"tag{number % 7}", "common"], published_at=day
        )
        japanese = make_article(
            number=number, language="ja", authors=pair, tags=["common"], published_at=day
        )
        link(japanese, english)
    return writers


# Each page's query count as designed, with 60 commentaries a language, two authors and
# several tags each: a page that fetched per row would need dozens more. A commentary, once
# what it shows of other pieces is kept (7 queries before: tests/test_surroundings.py), and
# whether it has a PDF yet (pdfs/). Lists know their length without counting it (kept per
# change, or the archive's months: core.pagination); search counts and ranks its matches in
# the query that finds them (articles.search.Results): one query fewer each.
PAGES = {
    "/en/": 3,
    "/ja/": 3,
    "/en/speaking-out/": 4,
    "/en/speaking-out/?page=2": 4,
    "/en/speaking-out/30/": 4,
    "/ja/speaking-out/30/": 4,
    "/en/authors/": 3,
    "/en/authors/kenro-nagoshi/": 5,
    "/en/archive/": 3,
    "/en/archive/2020/": 3,
    "/en/archive/2020/05/": 3,
    "/en/tags/": 3,
    "/en/tags/common/": 4,
    "/en/feed/": 3,
    "/en/feed/atom/": 3,
    "/en/authors/kenro-nagoshi/feed/": 4,
    "/en/tags/common/feed/atom/": 4,
    "/en/search/?q=Commentary": 3,
    "/en/search/?q=Commentary&language=all&year=2020&page=2": 3,
    "/sitemap.xml": 7,
    "/sitemap-commentaries.xml": 2,
    "/sitemap-tags.xml": 1,
    "/sitemap-authors.xml": 1,
    "/sitemap-archive.xml": 1,
}


def test_public_pages_run_a_fixed_number_of_queries(client, big_archive, settings):
    # One archive for all pages: building it is the slow part. The page cache is off, so each
    # page is built every time; the aggregates shared by all pages (the archive's months, the
    # navigation, the search's choices, the page cache's lifetime) are made once a change of
    # content, by the first request after it, so each page is measured on its second request.
    settings.PAGE_CACHE_SECONDS = 0
    over = {}
    for url, ceiling in PAGES.items():
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        if len(queries) > ceiling:
            over[url] = f"{len(queries)} queries, ceiling {ceiling}"
    assert not over


def test_no_page_opens_an_image_file_and_a_missing_one_breaks_nothing(client, article):
    from django.core.files.base import ContentFile

    from tests.test_images import picture

    article.image_alt = "Two flags"
    article.image.save("flags.png", ContentFile(picture((1200, 800), "PNG")))
    article.refresh_from_db()
    assert (article.image_width, article.image_height) == (1200, 800)
    article.image.storage.delete(article.image.name)
    for path in ("/en/speaking-out/434/", "/en/", "/en/feed/"):
        assert client.get(path).status_code == 200, path
    page = client.get("/en/speaking-out/434/").content.decode()
    assert 'alt="Two flags" width="1200" height="800"' in page


def test_images_stored_without_their_size_get_it_from_a_migration(article):
    from django.apps import apps
    from django.core.files.base import ContentFile

    from articles.models import Article
    from tests.test_images import picture

    migration = importlib.import_module("articles.migrations.0012_image_dimensions")
    article.image_alt = "Two flags"
    article.image.save("flags.png", ContentFile(picture((640, 480), "PNG")))
    gone = Article.objects.create(
        series=article.series, number=2, language="en", title="Gone", body="x"
    )
    Article.objects.filter(pk=gone.pk).update(image="articles/missing.png", image_alt="Lost")
    Article.objects.update(image_width=None, image_height=None)
    # A row without its size and without its file renders, without opening anything.
    assert Article.objects.get(pk=gone.pk).image_width is None

    migration.fill_dimensions(apps, None)
    assert Article.objects.values_list("number", "image_width", "image_height").order_by("number")[
        ::1
    ] == [(2, None, None), (434, 640, 480)]
