"""Pages run a fixed number of queries, however many commentaries, authors and tags exist."""

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
        english = make_article(number=number, authors=pair, tags=[f"tag{number % 7}", "common"])
        japanese = make_article(number=number, language="ja", authors=pair, tags=["common"])
        link(japanese, english)
    return writers


@pytest.mark.parametrize(
    "url",
    [
        "/en/",
        "/ja/",
        "/en/speaking-out/",
        "/en/speaking-out/?page=2",
        "/en/speaking-out/30/",
        "/ja/speaking-out/30/",
        "/en/authors/",
        "/en/authors/kenro-nagoshi/",
    ],
)
def test_public_pages_run_a_fixed_number_of_queries(
    client, big_archive, url, django_assert_max_num_queries
):
    with django_assert_max_num_queries(9):
        response = client.get(url)
    assert response.status_code == 200
