"""Pages run a fixed number of queries, however many commentaries, authors and tags exist."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from authors.models import Author
from core import pagecache

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
# several tags each: a page that fetched per row would need dozens more.
PAGES = {
    "/en/": 5,
    "/ja/": 5,
    "/en/speaking-out/": 6,
    "/en/speaking-out/?page=2": 6,
    "/en/speaking-out/30/": 11,
    "/ja/speaking-out/30/": 11,
    "/en/authors/": 3,
    "/en/authors/kenro-nagoshi/": 5,
    "/en/archive/": 3,
    "/en/archive/2020/": 11,
    "/en/archive/2020/05/": 10,
    "/en/tags/": 3,
    "/en/tags/common/": 6,
    "/en/feed/": 3,
    "/en/feed/atom/": 3,
    "/en/authors/kenro-nagoshi/feed/": 4,
    "/en/tags/common/feed/atom/": 4,
    "/en/search/?q=Commentary": 10,
    "/en/search/?q=Commentary&language=all&year=2020&page=2": 10,
    "/sitemap.xml": 7,
    "/sitemap-commentaries.xml": 2,
    "/sitemap-tags.xml": 1,
    "/sitemap-authors.xml": 1,
    "/sitemap-archive.xml": 1,
}


def test_public_pages_run_a_fixed_number_of_queries(client, big_archive):
    # One archive for all pages: building it is the slow part. Each page is asked once, a miss
    # of the page cache; the bound of the cache's lifetime is worked out once for all.
    pagecache.valid_until(pagecache.generation())
    over = {}
    for url, ceiling in PAGES.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        if len(queries) > ceiling:
            over[url] = f"{len(queries)} queries, ceiling {ceiling}"
    assert not over
