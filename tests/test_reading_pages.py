"""The pages a reader sees: commentary, series list, author pages, errors."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.template.loader import render_to_string
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article
from authors.models import Author

pytestmark = pytest.mark.django_db

TOKYO = ZoneInfo("Asia/Tokyo")


def test_commentary_page_reads_like_the_sample(client, article, series, author):
    Article.objects.filter(pk=article.pk).update(
        published_at=datetime(2017, 4, 18, 9, 0, tzinfo=TOKYO)
    )
    response = client.get("/en/speaking-out/434/")
    assertContains(
        response,
        '<h1 class="commentary__title">【#434】U.S., Russia May Adjust Relations While '
        "Demonstrating Confrontation</h1>",
        html=True,
    )
    assertContains(
        response,
        """<ol><li><a href="/en/">HOME</a></li>
        <li><a href="/en/speaking-out/">Speaking Out</a></li>
        <li aria-current="page">【#434】U.S., Russia May Adjust Relations While Demonstrating
        Confrontation</li></ol>""",
        html=True,
    )
    assertContains(response, "2017.04.18 (Tue)")
    assertContains(response, '<time datetime="2017-04-18T09:00:00+09:00">', count=1)
    assertContains(
        response, '<a href="/en/authors/kenro-nagoshi/" rel="author">Kenro Nagoshi</a>', html=True
    )
    assertContains(response, "<h2>A sub-heading</h2>", html=True)
    assertContains(response, '<li><a href="/en/tags/russia/" rel="tag">Russia</a></li>', html=True)
    assertContains(response, "1 min read")


def test_japanese_commentary_has_japanese_date(client, make_article):
    make_article(
        number=434,
        language="ja",
        title="米露、対立演出しつつ関係調整も",
        published_at=datetime(2017, 4, 17, 9, 0, tzinfo=TOKYO),
    )
    response = client.get("/ja/speaking-out/434/")
    assertContains(response, "2017年4月17日(月)")
    assertContains(response, '<html lang="ja">')


def test_bio_line_is_kept_as_published(client, article, author):
    article.author_note = article.default_author_note()
    article.save()
    author.bio_en = "Former ambassador"
    author.save()
    response = client.get(article.get_absolute_url())
    assertContains(
        response,
        "Kenro Nagoshi is Planning Committee Member at the Japan Institute for National "
        "Fundamentals and Professor at the Institute of World Studies, Takushoku University.",
    )
    assertNotContains(response, "Former ambassador")


def test_several_authors_in_their_order(client, make_article, author):
    second = Author.objects.create(slug="second", name_en="Second Writer")
    make_article(number=1, authors=[second, author], title="Joint piece")
    page = client.get("/en/speaking-out/1/").text
    assert page.index("Second Writer") < page.index("Kenro Nagoshi")


def test_reading_time_counts_characters_in_japanese_and_words_in_english(make_article):
    japanese = make_article(number=1, language="ja", body="あ" * 1500)
    english = make_article(number=1, body=" ".join(["word"] * 660))
    assert japanese.reading_minutes == 3
    assert english.reading_minutes == 3


def test_series_list_is_newest_first_and_paginated(client, make_article, now):
    for number in range(1, 25):
        make_article(number=number, published_at=now - timedelta(days=30 - number))
    first_page = client.get("/en/speaking-out/").text
    assert first_page.index("【#24】") < first_page.index("【#23】")
    assert "【#4】" not in first_page
    second_page = client.get("/en/speaking-out/?page=2")
    assertContains(second_page, "【#4】")
    assertContains(second_page, "Page 2 of 2")


@pytest.mark.parametrize(
    "url",
    [
        "/en/speaking-out/?page=99",
        "/en/speaking-out/?page=abc",
        "/en/speaking-out/999/",
        "/en/speaking-out/99999999999999999999/",
        "/en/no-such-series/",
        "/en/authors/nobody/",
        "/en/authors/kenro-nagoshi/?page=0",
    ],
)
def test_bad_addresses_are_styled_404s(client, article, url):
    response = client.get(url)
    assert response.status_code == 404
    assertContains(response, "Page not found", status_code=404)
    assertContains(response, '<link rel="stylesheet"', status_code=404)


def test_other_language_of_the_same_number_is_a_different_page(client, article):
    assert client.get("/ja/speaking-out/434/").status_code == 404


def test_author_page_shows_bio_and_only_their_articles(client, article, make_article, author):
    other = Author.objects.create(slug="other", name_en="Other Writer")
    make_article(number=9, authors=[other], title="Someone else's piece")
    response = client.get(author.get_absolute_url())
    assertContains(response, "Professor at the Institute of World Studies")
    assertContains(response, article.title)
    assertNotContains(response, "Someone else&#x27;s piece")
    assertNotContains(response, "Someone else's piece")


def test_authors_list_leaves_out_inactive_authors_and_those_not_published_here(
    client, article, author, make_article
):
    retired = Author.objects.create(slug="retired", name_en="Retired Writer", is_active=False)
    make_article(number=2, authors=[retired])
    japanese_only = Author.objects.create(slug="ja-only", name_en="Japanese Writer")
    make_article(number=3, language="ja", authors=[japanese_only])
    response = client.get("/en/authors/")
    assertContains(response, "Kenro Nagoshi")
    assertNotContains(response, "Retired Writer")
    assertNotContains(response, "Japanese Writer")
    assertContains(client.get("/ja/authors/"), "Japanese Writer")
    # Their English page would be empty: there is none, and the switch goes to the list.
    assert client.get("/en/authors/ja-only/").status_code == 404
    assert client.get("/en/authors/ja-only/feed/").status_code == 404
    japanese = client.get("/ja/authors/ja-only/")
    assertContains(
        japanese, '<a href="/en/authors/" hreflang="en" lang="en">English</a>', html=True
    )
    assertNotContains(japanese, 'rel="alternate" hreflang')


def test_japanese_pages_show_japanese_names(client, article, make_article, author):
    make_article(number=434, language="ja")
    response = client.get("/ja/authors/")
    assertContains(response, "名越 健郎")
    assertContains(response, "今週の直言")


def test_root_redirects_to_a_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert response["Location"] == "/en/"


def test_server_error_page_is_styled():
    html = render_to_string("500.html")
    assert "Something went wrong" in html
    assert "site.css" in html
