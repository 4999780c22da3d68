"""Browsing by date and topic, feeds, sitemap and page metadata."""

import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article, seconds_until_next_publication
from articles.models.queries import LONGEST_BOUND
from authors.models import Author

pytestmark = pytest.mark.django_db

TOKYO = ZoneInfo("Asia/Tokyo")
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def on(year, month, day):
    return datetime(year, month, day, 10, 0, tzinfo=TOKYO)


@pytest.fixture
def dated(make_article, tomorrow):
    return {
        "april": make_article(
            number=1, title="April piece", published_at=on(2017, 4, 18), tags=["Russia"]
        ),
        "may": make_article(
            number=2, title="May piece", published_at=on(2017, 5, 2), tags=["Russia", "energy"]
        ),
        "older": make_article(
            number=3, title="Older piece", published_at=on(2016, 1, 5), tags=["energy"]
        ),
        "draft": make_article(
            number=4,
            title="Draft piece",
            status="draft",
            published_at=None,
            tags=["Russia", "secret"],
        ),
        "scheduled": make_article(
            number=5,
            title="Scheduled piece",
            published_at=on(2099, 1, 1),
            tags=["Russia", "future"],
        ),
        "japanese": make_article(
            number=1,
            language="ja",
            title="日本語の論考",
            published_at=on(2016, 3, 1),
            tags=["Russia"],
        ),
    }


# Date archives


def test_archive_lists_years_with_counts_and_nothing_unpublished(client, dated):
    response = client.get("/en/archive/")
    years = [(row["year"], row["count"]) for row in response.context["object_list"]]
    assert years == [(2017, 2), (2016, 1)]
    assertNotContains(response, "2099")
    # Each year shows its months, in order, so the index is a map of the archive.
    months = re.findall(r'<a href="/en/archive/(\d{4}/\d\d)/">(\w+)</a>', response.text)
    assert months == [("2017/04", "April"), ("2017/05", "May"), ("2016/01", "January")]


def test_year_archive_has_months_with_counts_and_articles(client, dated):
    response = client.get("/en/archive/2017/")
    months = [(row["month"].month, row["count"]) for row in response.context["date_list"]]
    assert months == [(4, 1), (5, 1)]
    assertContains(response, 'href="/en/archive/2017/04/"')
    assertContains(response, "April piece")
    assertContains(response, "May piece")
    assertNotContains(response, "Draft piece")


def test_month_archive_shows_that_month_only(client, dated):
    response = client.get("/en/archive/2017/04/")
    assertContains(response, "April piece")
    assertNotContains(response, "May piece")
    assertContains(response, 'href="/en/archive/2017/05/"')  # next month with articles


@pytest.mark.parametrize(
    "url",
    [
        "/en/archive/2017/13/",
        "/en/archive/2017/00/",
        "/en/archive/0000/",
        "/en/archive/2017/4/",
        "/en/archive/99999/",
        "/en/archive/2015/",
        "/en/archive/2099/",
        "/en/archive/2099/01/",
        "/en/archive/abcd/",
    ],
)
def test_impossible_empty_or_future_periods_are_404(client, dated, url):
    assert client.get(url).status_code == 404


def test_archive_language_switch_goes_where_there_is_something(client, dated):
    response = client.get("/en/archive/2016/")
    assert ("ja", "/ja/archive/2016/") in response.context["alternates"]
    response = client.get("/en/archive/2017/04/")
    assert ("ja", "/ja/archive/") in response.context["alternates"]


# Topics


def test_topics_list_counts_only_public_use(client, dated):
    response = client.get("/en/tags/")
    counts = {tag.name: tag.count for tag in response.context["object_list"]}
    assert counts == {"Russia": 2, "energy": 2}


def test_topic_page_lists_public_articles_in_the_language(client, dated):
    response = client.get("/en/tags/russia/")
    assertContains(response, "April piece")
    assertContains(response, "May piece")
    for hidden in ("Draft piece", "Scheduled piece", "日本語の論考", "Older piece"):
        assertNotContains(response, hidden)
    assert client.get("/en/tags/no-such-topic/").status_code == 404


def test_topic_pages_paginate(client, make_article):
    for number in range(1, 26):
        make_article(number=number, tags=["energy"])
    assert len(client.get("/en/tags/energy/").context["object_list"]) == 20
    assert len(client.get("/en/tags/energy/?page=2").context["object_list"]) == 5
    assert client.get("/en/tags/energy/?page=3").status_code == 404


def test_related_commentaries_share_tags_and_are_public(client, dated):
    response = client.get(dated["may"].get_absolute_url())
    related = [article.title for article in response.context["related"]]
    assert related == ["April piece", "Older piece"]
    assertContains(response, "Related commentaries")


# Feeds


@pytest.mark.parametrize(
    "url", ["/en/feed/", "/en/tags/russia/feed/", "/en/authors/kenro-nagoshi/feed/"]
)
def test_rss_feeds_are_valid_and_complete(client, dated, url):
    response = client.get(url)
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    assert channel.findtext("language") == "en"
    items = channel.findall("item")
    titles = [item.findtext("title") for item in items]
    assert "【#2】May piece" in titles
    assert not {"【#4】Draft piece", "【#5】Scheduled piece", "【#1】日本語の論考"} & set(titles)
    may = items[titles.index("【#2】May piece")]
    assert may.findtext("link") == "http://testserver/en/speaking-out/2/"
    assert "Kenro Nagoshi" in may.findtext("{http://purl.org/dc/elements/1.1/}creator")
    assert may.findtext("pubDate").startswith("Tue, 02 May 2017")
    assert may.findtext("description")


@pytest.mark.parametrize(
    "url", ["/en/feed/atom/", "/en/tags/russia/feed/atom/", "/en/authors/kenro-nagoshi/feed/atom/"]
)
def test_atom_feeds_are_valid(client, dated, url):
    response = client.get(url)
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries][:2] == [
        "【#2】May piece",
        "【#1】April piece",
    ]
    assert entries[0].find(f"{ATOM}author").findtext(f"{ATOM}name") == "Kenro Nagoshi"
    assert entries[0].findtext(f"{ATOM}published").startswith("2017-05-02")


def test_japanese_feed_has_japanese_articles_only(client, dated):
    channel = ET.fromstring(client.get("/ja/feed/").content).find("channel")
    assert [item.findtext("title") for item in channel.findall("item")] == ["【#1】日本語の論考"]
    assert channel.findtext("language") == "ja"


def test_author_feed_has_only_that_author(client, dated, make_article):
    other = Author.objects.create(slug="other", name_en="Other Writer")
    make_article(number=9, title="Someone else", authors=[other])
    channel = ET.fromstring(client.get("/en/authors/kenro-nagoshi/feed/").content).find("channel")
    assert "【#9】Someone else" not in [item.findtext("title") for item in channel.findall("item")]
    assert client.get("/en/authors/nobody/feed/").status_code == 404


# Sitemap and robots


def sitemap_urls(client, section):
    root = ET.fromstring(client.get(f"/sitemap-{section}.xml").content)
    return {
        url.findtext(f"{SITEMAP}loc"): {
            "lastmod": url.findtext(f"{SITEMAP}lastmod"),
            "alternates": {
                link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")
            },
        }
        for url in root.findall(f"{SITEMAP}url")
    }


def test_sitemap_lists_every_public_commentary_with_alternates(client, dated, make_article, link):
    original = make_article(
        number=2, language="ja", title="五月の原文", published_at=on(2017, 5, 1)
    )
    link(original, dated["may"])
    urls = sitemap_urls(client, "commentaries")
    base = "http://testserver"
    assert set(urls) == {
        f"{base}/en/speaking-out/1/",
        f"{base}/en/speaking-out/2/",
        f"{base}/en/speaking-out/3/",
        f"{base}/ja/speaking-out/1/",
        f"{base}/ja/speaking-out/2/",
    }
    assert urls[f"{base}/en/speaking-out/2/"]["alternates"] == {
        "en": f"{base}/en/speaking-out/2/",
        "ja": f"{base}/ja/speaking-out/2/",
        "x-default": f"{base}/ja/speaking-out/2/",
    }
    assert urls[f"{base}/en/speaking-out/1/"]["alternates"] == {}
    assert all(entry["lastmod"] for entry in urls.values())


def test_sitemap_alternates_never_name_an_unpublished_translation(client, make_article, link):
    original = make_article(number=7, language="ja")
    link(original, make_article(number=7, status="draft", published_at=None))
    urls = sitemap_urls(client, "commentaries")
    assert list(urls) == ["http://testserver/ja/speaking-out/7/"]
    assert urls["http://testserver/ja/speaking-out/7/"]["alternates"] == {}


def test_sitemap_index_and_sections(client, dated):
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    for section in ("sections", "series", "commentaries", "authors", "tags", "archive"):
        assertContains(index, f"http://testserver/sitemap-{section}.xml")
    sections = sitemap_urls(client, "sections")
    # x-default is the Japanese page itself, not an address that redirects by language.
    assert sections["http://testserver/ja/"]["alternates"]["x-default"] == "http://testserver/ja/"
    tags = sitemap_urls(client, "tags")
    assert "http://testserver/en/tags/secret/" not in tags
    assert "http://testserver/en/tags/russia/" in tags


def test_robots_txt_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assertContains(response, "Sitemap: http://testserver/sitemap.xml")
    assertContains(response, "Disallow: /admin/")


# Metadata


def test_commentary_metadata(client, article, author):
    article.lead = "Confrontation on stage, adjustment behind it."
    article.save()
    response = client.get(article.get_absolute_url())
    assertContains(
        response,
        '<meta name="description" content="Confrontation on stage, adjustment behind it.">',
    )
    assertContains(response, '<meta property="og:type" content="article">')
    assertContains(response, f'<meta property="og:title" content="{article.numbered_title}">')
    assertContains(
        response, '<meta property="og:url" content="http://testserver/en/speaking-out/434/">'
    )
    assertContains(response, '<meta property="og:locale" content="en_US">')
    # No lead image: the site's own wide picture, not a headshot, stands for the piece.
    assertContains(response, '<meta name="twitter:card" content="summary_large_image">')
    assertContains(response, '<meta property="og:image:width" content="1200">')
    assertContains(
        response,
        '<meta property="og:image:alt" content="Japan Institute for National Fundamentals">',
    )
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', response.text, re.S).group(
            1
        )
    )
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == article.numbered_title
    assert data["inLanguage"] == "en"
    assert data["author"] == [
        {
            "@type": "Person",
            "name": "Kenro Nagoshi",
            "url": "http://testserver/en/authors/kenro-nagoshi/",
        }
    ]
    assert data["isPartOf"]["name"] == "Speaking Out"
    assert data["datePublished"].startswith(article.published_at.date().isoformat()[:4])
    assert data["publisher"]["url"] == "http://testserver/en/"
    assert data["publisher"]["logo"]["url"].endswith("/icons/icon-512.png")


def test_metadata_never_uses_a_headshot_and_survives_hostile_text(client, make_article, author):
    from django.core.files.base import ContentFile

    from tests.test_admin import jpeg_bytes

    author.photo.save("p.jpg", ContentFile(jpeg_bytes()))
    article = make_article(title='Quotes " and </script><script>alert(1)</script>', lead="<b>x</b>")
    response = client.get(article.get_absolute_url())
    assertContains(response, '<meta name="twitter:card" content="summary_large_image">')
    assertNotContains(response, author.photo.url)  # 320 pixels square: too small for a card
    assertContains(response, "/static/icons/share.png")
    assert "<script>alert(1)</script>" not in response.text
    payload = re.search(r'<script type="application/ld\+json">(.*?)</script>', response.text, re.S)
    assert json.loads(payload.group(1))["headline"].endswith("</script><script>alert(1)</script>")


# Cached counts


def year_count(client):
    newest = client.get("/en/archive/").context["object_list"][0]
    return newest["year"], newest["count"]


def test_archive_counts_follow_every_change_at_once(client, dated, editor_client):
    assert year_count(client) == (2017, 2)
    Article.objects.filter(pk=dated["may"].pk).update(status="draft")  # a bulk unpublish
    assert year_count(client) == (2017, 1)
    dated["may"].status = "published"
    dated["may"].save()
    assert year_count(client) == (2017, 2)
    dated["april"].delete()
    assert year_count(client) == (2017, 1)
    assert [t.name for t in client.get("/en/tags/").context["object_list"]] == ["energy", "Russia"]


def test_cached_counts_expire_when_the_next_scheduled_piece_is_due(dated, now):
    Article.objects.filter(pk=dated["scheduled"].pk).update(published_at=now + timedelta(minutes=5))
    assert 290 <= seconds_until_next_publication() <= 300
    Article.objects.filter(pk=dated["scheduled"].pk).update(status="draft")
    assert seconds_until_next_publication() == LONGEST_BOUND
