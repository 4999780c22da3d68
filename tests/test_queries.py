"""Pages run a fixed number of queries, however many commentaries, authors and tags exist."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

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


# Each page's ceiling, set where it stands with 60 commentaries a language: a page that
# fetched per row would need hundreds.
PAGES = {
    "/en/": 7,
    "/ja/": 7,
    "/en/speaking-out/": 8,
    "/en/speaking-out/?page=2": 8,
    "/en/speaking-out/30/": 12,
    "/ja/speaking-out/30/": 12,
    "/en/authors/": 4,
    "/en/authors/kenro-nagoshi/": 8,
    "/en/archive/": 4,
    "/en/archive/2020/": 11,
    "/en/archive/2020/05/": 11,
    "/en/tags/": 4,
    "/en/tags/common/": 8,
    "/en/feed/": 5,
    "/en/feed/atom/": 5,
    "/en/authors/kenro-nagoshi/feed/": 6,
    "/en/tags/common/feed/atom/": 6,
    "/en/search/?q=Commentary": 9,
    "/en/search/?q=Commentary&language=all&year=2020&page=2": 9,
    "/sitemap.xml": 6,
    "/sitemap-commentaries.xml": 3,
    "/sitemap-tags.xml": 3,
}


@pytest.mark.parametrize(("url", "ceiling"), PAGES.items())
def test_public_pages_run_a_fixed_number_of_queries(
    client, big_archive, url, ceiling, django_assert_max_num_queries
):
    with django_assert_max_num_queries(ceiling):
        response = client.get(url)
    assert response.status_code == 200
