"""The read-only content API (/api/v1/): what the public may see and nothing else, its
filters, cursor pages, caching (ETag, 304, a new answer after a change) and throttling."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from articles import actions

LIST = "/api/v1/commentaries/"


def detail(article):
    return reverse("api:commentary-detail", args=[article.pk])


def listed(client, url=LIST, **params):
    response = client.get(url, params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200, response.content
    return response.json()


def numbers(body):
    return [entry["number"] for entry in body["results"]]


@pytest.fixture
def hidden(make_article, draft, scheduled, now, editor):
    """A draft, a scheduled piece, one in the trash and one past its end of publication."""
    trashed = make_article(number=437, title="A piece in the trash")
    actions.trash(trashed, editor)
    expired = make_article(
        number=438,
        title="A piece that has ended",
        published_at=now - timedelta(days=3),
        unpublish_at=now - timedelta(minutes=1),
    )
    return [draft, scheduled, trashed, expired]


def test_the_list_shows_public_commentaries_and_nothing_else(client, article, hidden):
    body = listed(client)
    assert numbers(body) == [434]
    entry = body["results"][0]
    assert entry["title"] == article.title
    assert entry["url"] == "http://testserver/en/speaking-out/434/"
    assert entry["series"]["slug"] == "speaking-out"
    assert [author["slug"] for author in entry["authors"]] == ["kenro-nagoshi"]
    assert {topic["slug"] for topic in entry["topics"]} == {"russia", "diplomacy"}
    assert "<h2>A sub-heading</h2>" in entry["body_html"]
    for field in ("status", "body", "version", "updated_by", "deleted_at"):
        assert field not in entry


def test_hidden_commentaries_have_no_detail_either(client, article, hidden):
    assert client.get(detail(article)).status_code == 200
    for piece in hidden:
        response = client.get(detail(piece), HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}
        assert piece.title not in response.content.decode()


def test_a_pending_change_stays_out_of_the_api(client, article, editor):
    actions.propose(article, editor, {"title": "Unpublished new title"}, version=article.version)
    for url in (LIST, detail(article)):
        content = client.get(url).content.decode()
        assert article.title in content
        assert "Unpublished new title" not in content


def test_series_authors_and_topics_are_listed_only_where_a_public_piece_names_them(
    client, article, draft, make_article, series
):
    from articles.models import Series
    from authors.models import Author

    ghost = Author.objects.create(slug="ghost-writer", name_en="Ghost Writer")
    empty = Series.objects.create(slug="drafts-only", name_ja="下書き", name_en="Drafts only")
    make_article(
        number=1, series=empty, authors=[ghost], tags=["secret-topic"], status="draft",
        published_at=None,
    )  # fmt: skip
    assert [row["slug"] for row in listed(client, "/api/v1/series/")["results"]] == ["speaking-out"]
    assert [row["slug"] for row in listed(client, "/api/v1/authors/")["results"]] == [
        "kenro-nagoshi"
    ]
    assert [row["slug"] for row in listed(client, "/api/v1/topics/")["results"]] == [
        "diplomacy",
        "russia",
    ]
    for url in ("/api/v1/series/drafts-only/", "/api/v1/authors/ghost-writer/",
                "/api/v1/topics/secret-topic/"):  # fmt: skip
        assert client.get(url).status_code == 404
    author = listed(client, "/api/v1/authors/kenro-nagoshi/")
    # Its page in English only: nothing of theirs is public in Japanese.
    assert author["urls"] == {"en": "http://testserver/en/authors/kenro-nagoshi/"}


def test_each_commentary_names_its_public_translation_and_whether_it_is_stale(
    client, make_article, link, editor
):
    original = make_article(number=500, language="ja", title="原文")
    english = make_article(number=500, language="en", title="The translation")
    link(original, english)
    translation = listed(client, LIST, language="en")["results"][0]["translation"]
    assert translation == {
        "language": "ja",
        "url": "http://testserver/ja/speaking-out/500/",
        "is_original": True,
        "is_stale": False,
    }
    original.title = "原文（改訂）"
    actions.save(original, editor, version=original.version)
    assert listed(client, LIST, language="en")["results"][0]["translation"]["is_stale"] is True
    assert listed(client, detail(original))["translation"]["is_stale"] is True
    assert listed(client, detail(original))["translation"]["is_original"] is False


def test_a_translation_the_public_cannot_read_is_not_named(client, make_article, link, tomorrow):
    original = make_article(number=501, language="ja")
    link(original, make_article(number=501, language="en", published_at=tomorrow))
    assert listed(client, detail(original))["translation"] is None


def test_the_filters(client, make_article, author, now, series):
    from articles.models import Series
    from authors.models import Author

    other_author = Author.objects.create(slug="someone-else", name_en="Someone Else")
    notes = Series.objects.create(slug="research-notes", name_ja="研究ノート", name_en="Notes")
    make_article(number=1, published_at=now - timedelta(days=10), tags=["energy"])
    make_article(number=2, language="ja", published_at=now - timedelta(days=5))
    make_article(number=3, series=notes, authors=[author, other_author], tags=["energy"])
    assert numbers(listed(client, language="ja")) == [2]
    assert numbers(listed(client, series="research-notes")) == [3]
    assert numbers(listed(client, number=1)) == [1]
    assert numbers(listed(client, author="someone-else")) == [3]
    assert numbers(listed(client, author="kenro-nagoshi")) == [3, 2, 1]
    assert numbers(listed(client, topic="energy")) == [3, 1]
    window = {
        "published_after": (now - timedelta(days=6)).isoformat(),
        "published_before": (now - timedelta(days=2)).isoformat(),
    }
    assert numbers(listed(client, **window)) == [2]
    # An offset Postgres itself refuses (schemathesis found the 500 it was) is read in UTC.
    assert numbers(listed(client, published_after="0300-08-30T07:49:36.3-21:41")) == [3, 2, 1]
    assert numbers(listed(client, updated_since=(now + timedelta(hours=1)).isoformat())) == []
    assert numbers(listed(client, updated_since=(now - timedelta(hours=1)).isoformat())) == [
        3,
        2,
        1,
    ]


@pytest.mark.parametrize(
    "query, language, message",
    [
        ("language=xx", "en", "Select a valid choice"),
        ("published_after=yesterday", "en", "Enter a valid date/time."),
        ("number=0", "en", "greater than or equal to 1"),
        ("number=abc", "ja", "整数を入力してください。"),
        ("number=1.5", "en", "Enter a whole number."),
        ("page_size=0", "en", "A whole number from 1 to 100."),
        ("page_size=101", "ja", "1から100までの整数を指定してください。"),
        ("published_after=0001-01-01T00:00:00+01:00", "en", "Enter a valid date/time."),
        ("cursor=garbage", "ja", "カーソルが不正です。"),
        ("cursor=%00", "en", "NUL byte"),
    ],
)
def test_bad_parameters_get_a_clear_answer_in_the_readers_language(
    client, article, query, language, message
):
    response = client.get(f"{LIST}?{query}", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == (404 if query.startswith("cursor=g") else 400)
    assert message in response.content.decode()


def test_other_addresses_under_the_api_are_json_404s(client, article):
    for path in ("/api/v1/nothing-here/", f"/api/v1/commentaries/{article.pk}.5/"):
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}


def test_cursor_pages_of_twenty_follow_each_other_without_overlap(client, make_article, now):
    for number in range(1, 26):
        make_article(number=number, published_at=now - timedelta(hours=number))
    first = listed(client)
    assert numbers(first) == list(range(1, 21))
    assert first["previous"] is None
    assert first["next"].startswith("http://testserver/api/v1/commentaries/?cursor=")
    second = client.get(first["next"]).json()
    assert numbers(second) == list(range(21, 26))
    assert second["next"] is None
    assert numbers(listed(client, page_size=5)) == [1, 2, 3, 4, 5]


def test_a_list_of_twenty_runs_a_constant_number_of_queries(
    client, make_article, link, now, django_assert_num_queries
):
    # The page of articles, their bylines, their topics, their translations' links; the
    # page cache's bound (the next scheduled change); which pieces have a PDF (kept, once).
    for number in range(1, 11):
        original = make_article(number=number, language="ja", tags=["energy", f"t{number}"])
        english = make_article(number=number, language="en", tags=["energy"])
        link(original, english)
    with django_assert_num_queries(6):
        assert len(listed(client)["results"]) == 20


def test_a_detail_runs_a_constant_number_of_queries(
    client, make_article, link, django_assert_num_queries
):
    original = make_article(number=1, language="ja", tags=["energy", "cyber"])
    link(original, make_article(number=1, language="en"))
    with django_assert_num_queries(6):
        assert listed(client, detail(original))["translation"]["language"] == "en"


def test_a_scheduled_piece_appears_at_its_second_and_not_before(client, article, make_article, now):
    start = now + timedelta(hours=2)
    make_article(number=450, published_at=start)
    with time_machine.travel(start - timedelta(seconds=1)):
        assert numbers(listed(client)) == [434]
    with time_machine.travel(start + timedelta(seconds=1)):
        # The page cache kept the list no later than the piece's start.
        assert numbers(listed(client)) == [450, 434]


def test_answers_carry_an_etag_and_a_new_one_after_a_change(client, article, draft, editor):
    first = client.get(LIST)
    etag = first["ETag"]
    assert "public" in first["Cache-Control"]
    assert client.get(LIST, HTTP_IF_NONE_MATCH=etag).status_code == 304
    actions.publish(draft, editor)
    changed = client.get(LIST, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert numbers(changed.json()) == [435, 434]
    assert changed["ETag"] != etag


def test_each_client_is_throttled_on_its_own(client, article, settings):
    settings.API_THROTTLE_RATE = "2/minute"
    settings.PAGE_CACHE_SECONDS = 0  # answers from the page cache are not counted
    for _ in range(2):
        assert client.get(LIST).status_code == 200
    refused = client.get(LIST, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Request was throttled" in refused.json()["detail"]
    assert client.get(LIST, REMOTE_ADDR="192.0.2.7").status_code == 200


def test_behind_a_proxy_the_client_is_the_address_the_proxy_saw(client, article, settings):
    settings.API_THROTTLE_RATE = "1/minute"
    settings.PAGE_CACHE_SECONDS = 0
    settings.TRUSTED_PROXY_HEADER = "X-Forwarded-Proto"
    assert client.get(LIST, HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 200
    # A made-up address before the proxy's own changes nothing.
    spoofed = "203.0.113.9, 198.51.100.1"
    assert client.get(LIST, HTTP_X_FORWARDED_FOR=spoofed).status_code == 429
    assert client.get(LIST, HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 200


def test_the_schema_and_the_docs_are_served_by_the_site(client, db):
    schema = client.get("/api/v1/schema/?format=json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert {"/api/v1/commentaries/", "/api/v1/commentaries/{id}/", "/api/v1/topics/{slug}/"} <= set(
        paths
    )
    parameters = {
        parameter["name"] for parameter in paths["/api/v1/commentaries/"]["get"]["parameters"]
    }
    assert {"language", "series", "number", "author", "topic", "published_after",
            "published_before", "updated_since", "cursor"} <= parameters  # fmt: skip
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    page = docs.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "<style" not in page
    assert "<script>" not in page  # every script is a file of the site's
    assert "script-src 'self'" in docs["Content-Security-Policy"]
    assert "cdn" not in page.lower()


def test_the_page_cache_keeps_every_parameter_the_schema_documents(client, db):
    # The page cache drops query parameters that do not change a page (utm_*, fbclid …): the
    # API's own filters and pages must not be among them, or a filter would be ignored.
    from core.pagecache import page_parameters

    paths = client.get("/api/v1/schema/?format=json").json()["paths"]
    documented = {
        parameter["name"]
        for path in paths.values()
        for operation in path.values()
        for parameter in operation.get("parameters", ())
        if parameter["in"] == "query"
    }
    assert documented and documented <= page_parameters("/api/v1/commentaries/")
