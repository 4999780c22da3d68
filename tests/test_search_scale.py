"""Search and the archive's lists at scale: lists know their length without counting it,
a long list's deep pages are read from its end, search ranks and counts its matches in the
query that finds them. Pages stay as they were: the same pieces, counts and links, never
stale (the page cache off: only the kept counts remain)."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.postgres.search import SearchRank
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from articles import actions
from articles.models import Article
from articles.search import tsquery
from articles.views import SeriesView, TagView

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text ranking is Postgres's"
)


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def pages_of_two(monkeypatch):
    monkeypatch.setattr(SeriesView, "paginate_by", 2)
    monkeypatch.setattr(TagView, "paginate_by", 2)


def titles(response):
    assert response.status_code == 200
    return re.findall(r"Piece (\d+)\b", response.text)


def page_links(response):
    html = response.text
    return {
        "of": re.search(r"Page (\d+) of (\d+)", html).groups() if "Page " in html else None,
        "older": bool(re.search(r'rel="next"', html)),
        "newer": bool(re.search(r'rel="prev"', html)),
    }


def pieces(make_article, count, now, **fields):
    return [
        make_article(
            number=n, title=f"Piece {n}", published_at=now - timedelta(days=100 - n), **fields
        )
        for n in range(1, count + 1)
    ]


def test_every_page_of_a_series_read_from_either_end_holds_the_right_pieces(
    client, make_article, now, pages_of_two
):
    pieces(make_article, 7, now)
    shown = []
    for page in range(1, 5):
        response = client.get(f"/en/speaking-out/?page={page}")
        shown.append(titles(response))
        assert page_links(response) == {
            "of": (str(page), "4"),
            "older": page < 4,
            "newer": page > 1,
        }
    # Newest first, each piece once; pages 3 and 4 were read from the oldest end.
    assert shown == [["7", "6"], ["5", "4"], ["3", "2"], ["1"]]
    assert client.get("/en/speaking-out/?page=5").status_code == 404


def test_a_series_page_counts_nothing_once_its_length_is_kept(
    client, make_article, now, pages_of_two
):
    pieces(make_article, 5, now)
    client.get("/en/speaking-out/?page=3")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/en/speaking-out/?page=3")
    assert titles(response) == ["1"]
    assert not [q["sql"] for q in queries if "COUNT(" in q["sql"]]


def test_a_kept_length_follows_publication_unpublication_and_a_piece_coming_due(
    client, make_article, now, editor, pages_of_two
):
    first, *_ = pieces(make_article, 4, now)
    make_article(number=9, title="Piece 9", published_at=now + timedelta(hours=1))
    assert page_links(client.get("/en/speaking-out/"))["of"] == ("1", "2")
    actions.unpublish(first, editor)
    assert page_links(client.get("/en/speaking-out/"))["of"] == ("1", "2")
    assert titles(client.get("/en/speaking-out/?page=2")) == ["2"]
    with time_machine.travel(now + timedelta(hours=1, seconds=1)):  # nothing saved
        response = client.get("/en/speaking-out/")
        assert titles(response) == ["9", "4"]
        assert page_links(response)["of"] == ("1", "2")
        assert titles(client.get("/en/speaking-out/?page=2")) == ["3", "2"]
        actions.trash(Article.objects.get(number=2), editor)
        assert titles(client.get("/en/speaking-out/?page=2")) == ["3"]


def test_a_topic_page_keeps_its_length_until_a_piece_joins_it(
    client, make_article, now, pages_of_two
):
    for piece in pieces(make_article, 4, now):
        piece.tags.add("Energy")
    assert page_links(client.get("/en/tags/energy/"))["of"] == ("1", "2")
    make_article(number=50, title="Piece 50", tags=["Energy"])  # yesterday's: the newest
    assert titles(client.get("/en/tags/energy/")) == ["50", "4"]
    response = client.get("/en/tags/energy/?page=3")
    assert page_links(response)["of"] == ("3", "3")
    assert titles(response) == ["1"]


def test_archive_pages_count_their_pieces_from_the_archive_months(client, make_article, now):
    day = timezone.localtime(now).replace(year=2020, month=5, day=10)
    for n in range(1, 4):
        make_article(number=n, title=f"Piece {n}", published_at=day + timedelta(hours=n))
    make_article(number=4, title="Piece 4", published_at=day.replace(month=7))
    client.get("/en/archive/2020/05/")
    with CaptureQueriesContext(connection) as queries:
        month = client.get("/en/archive/2020/05/")
    assert titles(month) == ["3", "2", "1"]
    assert not [q["sql"] for q in queries if "COUNT(" in q["sql"]]
    assert titles(client.get("/en/archive/2020/")) == ["4", "3", "2", "1"]


@pytest.mark.parametrize(("language", "may", "july"), [("en", "May", "July"), ("ja", "5月", "7月")])
def test_the_archive_index_links_each_month_and_year_by_name(
    client, make_article, now, language, may, july
):
    day = timezone.localtime(now).replace(year=2020, month=5, day=10)
    make_article(number=1, language=language, published_at=day)
    make_article(number=2, language=language, published_at=day.replace(month=7))
    response = client.get(f"/{language}/archive/")
    with translation.override(language):
        year = reverse("articles:archive-year", kwargs={"year": 2020})
        months = [
            reverse("articles:archive-month", kwargs={"year": 2020, "month": m}) for m in (5, 7)
        ]
    assert f'<a href="{year}">' in response.text
    assert f'<a href="{months[0]}">{may}</a>' in response.text
    assert f'<a href="{months[1]}">{july}</a>' in response.text


@postgres_only
def test_search_pages_its_ranked_matches_in_three_queries(client, make_article, now):
    for n in range(1, 26):
        # Some with the word in the title: ranked above those with it only in the body.
        title = f"Piece {n} on deterrence" if n % 4 == 0 else f"Piece {n}"
        make_article(
            number=n, title=title, body=f"Text {n} about deterrence.", published_at=now
            - timedelta(days=n)
        )  # fmt: skip
    make_article(number=90, title="Piece 90", body="Nothing of the kind.")
    query = tsquery("deterrence")
    ranked = (
        Article.objects.filter(search_vector=query)
        .annotate(rank=SearchRank(F("search_vector"), query))
        .order_by("-rank", "-published_at")
    )
    expected = [str(piece.number) for piece in ranked]
    client.get("/en/search/?q=deterrence")
    with CaptureQueriesContext(connection) as queries:
        first = client.get("/en/search/?q=deterrence")
    assert len(queries) == 3  # matches ranked, the page's rows, their authors
    second = client.get("/en/search/?q=deterrence&page=2")
    assert "25 results for" in first.text and "25 results for" in second.text
    assert titles(first) + titles(second) == expected
    assert expected[:6] == ["4", "8", "12", "16", "20", "24"]
    assert page_links(first) == {"of": ("1", "2"), "older": True, "newer": False}
    assert page_links(second) == {"of": ("2", "2"), "older": False, "newer": True}
    assert client.get("/en/search/?q=deterrence&page=3").status_code == 404


def test_search_filters_show_what_was_chosen_and_only_their_own_choices(client, make_article, now):
    make_article(published_at=timezone.localtime(now).replace(year=2020, month=5, day=10))
    response = client.get("/en/search/?q=Commentary&year=2020&author=kenro-nagoshi")
    assert '<option value="2020" selected>2020</option>' in response.text
    assert '<option value="kenro-nagoshi" selected>' in response.text
    hostile = client.get('/en/search/?q=x&series="><script>alert(1)</script>')
    assert hostile.status_code == 200
    assert "<script>alert(1)" not in hostile.text
    assert " selected>" in hostile.text  # the language the page searched
