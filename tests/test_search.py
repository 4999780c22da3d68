"""Search in Japanese and English: what it finds, how it ranks, what it never shows."""

from datetime import timedelta

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article, Series
from articles.search import (
    MAX_QUERY_LENGTH,
    clean_query,
    contains_search,
    excerpt,
    highlight_pattern,
    index_text,
)
from authors.models import Author
from tests.conftest import postgres_only

pytestmark = pytest.mark.django_db

URL = "/en/search/"
JA_URL = "/ja/search/"


def found(client, query, url=URL, **filters):
    response = client.get(url, {"q": query, **filters})
    assert response.status_code == 200
    return [article.title for article in response.context["object_list"]]


@pytest.fixture
def library(make_article):
    return {
        "sea": make_article(
            number=101,
            language="ja",
            title="シーレーンの監視は一国では担えない",
            body="日本の輸入の大半は海を渡ってくる。エネルギーも食料も、シーレーンが途切れれば"
            "数週間で生活に響く。",
            tags=["maritime security"],
        ),
        "chips": make_article(
            number=103,
            language="ja",
            title="半導体の補助金は人材育成と一体で",
            body="政府は先端半導体工場の誘致に巨額の補助金を投じている。",
        ),
        "relation": make_article(
            number=1,
            title="A new relation with Moscow",
            body="The relation between the two capitals is changing.",
        ),
        "russia": make_article(
            number=2,
            title="Sanctions and energy",
            body="Russia and Europe keep trading gas, and talk of relations is muted.",
        ),
        "draft": make_article(
            number=3, title="Secret relations draft", status="draft", published_at=None
        ),
    }


@postgres_only
@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("輸入", "シーレーンの監視は一国では担えない"),  # two characters mid-sentence
        ("大半", "シーレーンの監視は一国では担えない"),
        ("入の大", "シーレーンの監視は一国では担えない"),  # across a word boundary
        ("途切れれば", "シーレーンの監視は一国では担えない"),
        ("補助金", "半導体の補助金は人材育成と一体で"),
        ("工場", "半導体の補助金は人材育成と一体で"),
    ],
)
def test_japanese_words_are_found_inside_sentences(client, library, query, title):
    assert found(client, query, JA_URL) == [title]


@postgres_only
def test_japanese_query_needs_the_characters_in_sequence(client, library):
    # Both characters occur in the first article, but never side by side.
    assert found(client, "輸海", JA_URL) == []


@postgres_only
def test_english_words_are_found_by_stem(client, library):
    assert set(found(client, "relations")) == {"A new relation with Moscow", "Sanctions and energy"}
    assert found(client, "trade") == ["Sanctions and energy"]


@postgres_only
def test_title_matches_rank_above_body_matches(client, library):
    assert found(client, "relation") == ["A new relation with Moscow", "Sanctions and energy"]


@postgres_only
def test_stop_words_alone_find_nothing_quietly(client, library):
    assert found(client, "the and of") == []


def test_author_names_and_tags_are_searched(client, library, author):
    assert found(client, "Nagoshi", language="all")
    assert set(found(client, "名越", JA_URL)) == {
        "半導体の補助金は人材育成と一体で",
        "シーレーンの監視は一国では担えない",
    }
    assert found(client, "maritime", JA_URL) == ["シーレーンの監視は一国では担えない"]


def test_results_follow_the_page_language_unless_asked(client, library):
    assert found(client, "Moscow") == ["A new relation with Moscow"]
    assert found(client, "Moscow", JA_URL) == []
    assert found(client, "Moscow", JA_URL, language="all") == ["A new relation with Moscow"]
    assert found(client, "Moscow", JA_URL, language="en") == ["A new relation with Moscow"]


def test_filters_by_series_author_and_year(client, library, make_article, now):
    other_series = Series.objects.create(slug="notes", name_ja="ノート", name_en="Notes")
    other_author = Author.objects.create(slug="other", name_en="Other Writer")
    make_article(
        number=5,
        title="Moscow notes",
        series=other_series,
        authors=[other_author],
        published_at=now.replace(year=2019),
    )
    assert set(found(client, "Moscow")) == {"A new relation with Moscow", "Moscow notes"}
    assert found(client, "Moscow", series="notes") == ["Moscow notes"]
    assert found(client, "Moscow", author="other") == ["Moscow notes"]
    assert found(client, "Moscow", year="2019") == ["Moscow notes"]


@pytest.mark.parametrize(
    "filters", [{"series": "nope"}, {"author": "../../etc"}, {"year": "abc"}, {"language": "xx"}]
)
def test_bad_filters_are_left_out_not_fatal(client, library, filters):
    response = client.get(URL, {"q": "Moscow", **filters})
    assert response.status_code == 200
    assertContains(response, "Some filters were not understood")
    assert [a.title for a in response.context["object_list"]] == ["A new relation with Moscow"]


def test_drafts_and_scheduled_never_appear(client, library, make_article, tomorrow):
    make_article(number=9, title="Scheduled relations", published_at=tomorrow)
    titles = found(client, "relations") + found(client, "Secret") + found(client, "Scheduled")
    assert "Secret relations draft" not in titles
    assert "Scheduled relations" not in titles


@pytest.mark.parametrize(
    "query",
    [
        '"unbalanced',
        "relation & | ! <-> :*",
        "'; DROP TABLE articles_article; --",
        "<script>alert('x')</script>",
        "a" * 5000,
        "()",
        "-",
        "   ",
        "輸" * 300,
        "OR AND NOT",
    ],
)
def test_odd_queries_give_a_normal_page_with_the_query_escaped(client, library, query):
    response = client.get(URL, {"q": query})
    assert response.status_code == 200
    assert "<script>alert" not in response.text
    shown = response.context["query"]
    assert len(shown) <= MAX_QUERY_LENGTH
    assert "\x00" not in shown
    if "<script>" in query:
        assertContains(response, "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;")


def test_empty_search_page_shows_the_form_only(client, library):
    response = client.get(URL)
    assert response.status_code == 200
    assert list(response.context["object_list"]) == []
    assertNotContains(response, "results for")


def test_results_mark_the_words_found(client, library):
    response = client.get(URL, {"q": "relation"})
    assertContains(response, "<mark>relation</mark>")
    response = client.get(JA_URL, {"q": "補助金"})
    assertContains(response, "<mark>補助金</mark>")


def test_pages_of_results_keep_the_query(client, make_article):
    for number in range(1, 26):
        make_article(number=number, title=f"Energy note {number}")
    response = client.get(URL, {"q": "energy", "language": "en"})
    assertContains(response, "25 results for")
    assertContains(response, 'href="?q=energy&amp;language=en&amp;page=2"')
    second = client.get(URL, {"q": "energy", "language": "en", "page": 2})
    assert len(second.context["object_list"]) == 5
    assert client.get(URL, {"q": "energy", "page": 9}).status_code == 404


def test_contains_fallback_finds_every_word_anywhere(library):
    published = Article.objects.published()
    assert list(contains_search(published, "moscow CAPITALS")) == [library["relation"]]
    assert list(contains_search(published, "")) == []


def test_japanese_is_indexed_as_character_pairs():
    assert index_text("安全保障とLNG") == " 安全 全保 保障 障と LNG"
    assert index_text("日") == " 日 "


def test_query_cleaning_caps_and_strips():
    assert clean_query("a\x00b\u200b  c\n") == "ab c"
    assert len(clean_query("x" * 1000)) == MAX_QUERY_LENGTH


def test_excerpt_is_escaped_and_centred_on_the_match(make_article):
    article = make_article(body="Filler words. " * 40 + "Here <b>is</b> the relation & more.")
    text = excerpt(article, highlight_pattern("relation"))
    assert "<mark>relation</mark> &amp; more" in text
    assert text.startswith("…")
    assert "<b>" not in text


def test_very_common_words_rank_among_the_newest_matches(client, make_article, now, monkeypatch):
    monkeypatch.setattr("articles.search.SEARCH_LIMIT", 3)
    monkeypatch.setattr("articles.views.search.SEARCH_LIMIT", 3)
    for number in range(1, 6):
        make_article(
            number=number, title=f"Energy {number}", published_at=now - timedelta(days=number)
        )
    response = client.get(URL, {"q": "energy"})
    assert sorted(a.title for a in response.context["object_list"]) == [
        "Energy 1",
        "Energy 2",
        "Energy 3",
    ]
    assertContains(response, "these are the best of the 3 most recent")


def test_language_filter_shows_the_language_searched(client, library):
    response = client.get(JA_URL, {"q": "補助金"})
    assertContains(response, '<option value="ja" selected>', html=False)


@pytest.mark.parametrize(
    "url", ["/en/search/?q=%00", "/en/search/?q=a%00b", "/en/tags/%00/", "/en/preview/shared/%00/"]
)
def test_nul_bytes_get_a_400_not_a_500(client, library, url):
    assert client.get(url).status_code == 400
