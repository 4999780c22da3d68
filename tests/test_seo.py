"""What crawlers see: sitemaps, hreflang, canonical addresses, and no empty public page."""

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from io import StringIO
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article

pytestmark = pytest.mark.django_db

BASE = "http://testserver"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def sitemap_entries(client):
    """{url: {hreflang: url}} over every section of the sitemap index."""
    index = ET.fromstring(client.get("/sitemap.xml").content)
    entries = {}
    for section in index.iter(f"{SITEMAP}loc"):
        root = ET.fromstring(client.get(section.text.removeprefix(BASE)).content)
        for url in root.findall(f"{SITEMAP}url"):
            links = url.findall(f"{XHTML}link")
            entries[url.findtext(f"{SITEMAP}loc")] = {
                link.get("hreflang"): link.get("href") for link in links
            }
    return entries


def page_hreflang(response):
    return dict(
        re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)">', response.text)
    )


def path(url):
    return urlsplit(url).path + (f"?{urlsplit(url).query}" if urlsplit(url).query else "")


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href", ""))


def links_of(response, page):
    parser = Links()
    parser.feed(response.text)
    found = []
    for href in parser.hrefs:
        url = urljoin(BASE + page, href)
        if url.startswith(BASE) and not urlsplit(url).path.startswith(("/media/", "/static/")):
            found.append(path(url.split("#")[0]))
    return found


def is_empty(response):
    return 'class="empty"' in response.text


@pytest.fixture
def demo(client):
    call_command("seed_demo", stdout=StringIO())
    # A topic only a Japanese piece has: its English page would be empty.
    japanese_only = Article.objects.published().filter(language="ja").first()
    japanese_only.tags.add("Japanese only")
    return client


def test_every_sitemap_address_and_alternate_is_a_page_and_hreflang_is_reciprocal(demo):
    entries = sitemap_entries(demo)
    assert len(entries) > 40
    for url, alternates in entries.items():
        response = demo.get(path(url))
        assert response.status_code == 200, url  # no redirect, no 404
        assert not is_empty(response), url
        # The page says what the sitemap says.
        assert page_hreflang(response) == alternates, url
        for code, other in alternates.items():
            assert other in entries, (url, code, other)  # x-default too: a real entry
            assert demo.get(path(other)).status_code == 200, (url, other)
            if code != "x-default":
                assert entries[other] == alternates, (url, other)  # reciprocal
        if alternates:
            assert alternates["x-default"] == alternates["ja"]


def test_no_page_reached_by_a_link_on_the_demo_site_is_empty(demo):
    to_visit = [path(url) for url in sitemap_entries(demo)]
    to_visit += ["/ja/search/?q=安全保障", "/en/search/?q=security&language=all"]
    seen = set()
    while to_visit:
        page = to_visit.pop()
        if page in seen or "/feed/" in page or page.startswith("/admin/"):
            continue
        seen.add(page)
        response = demo.get(page)
        assert response.status_code == 200, page
        assert not is_empty(response), page
        if response["Content-Type"].startswith("text/html"):
            to_visit += links_of(response, page)
    assert len(seen) > 60


def test_english_topic_with_no_english_piece_has_no_page(demo):
    assert demo.get("/ja/tags/japanese-only/").status_code == 200
    assert demo.get("/en/tags/japanese-only/").status_code == 404
    entries = sitemap_entries(demo)
    assert f"{BASE}/ja/tags/japanese-only/" in entries
    assert f"{BASE}/en/tags/japanese-only/" not in entries
    assert entries[f"{BASE}/ja/tags/japanese-only/"] == {}  # nothing to be reciprocal with
    japanese = demo.get("/ja/tags/japanese-only/")
    assertContains(japanese, '<a href="/en/tags/" hreflang="en" lang="en">English</a>', html=True)
    assertNotContains(japanese, 'hreflang="en" href')
    assertNotContains(demo.get("/en/tags/"), "/en/tags/japanese-only/")
    # Nor an empty feed.
    assert demo.get("/en/tags/japanese-only/feed/").status_code == 404
    assert demo.get("/en/tags/japanese-only/feed/atom/").status_code == 404
    assert demo.get("/ja/tags/japanese-only/feed/").status_code == 200


def test_series_page_exists_only_where_it_has_public_pieces(client, make_article, series):
    make_article(number=1, language="ja")
    make_article(number=2, status="draft", published_at=None)
    assert client.get("/ja/speaking-out/").status_code == 200
    assert client.get("/en/speaking-out/").status_code == 404
    assertNotContains(client.get("/en/"), 'href="/en/speaking-out/"')  # not in the menu
    assertContains(client.get("/ja/"), 'href="/ja/speaking-out/"')


def test_sitemap_lists_archive_years_and_months_per_language(client, make_article):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    tokyo = ZoneInfo("Asia/Tokyo")
    make_article(number=1, published_at=datetime(2017, 4, 18, 10, tzinfo=tokyo))
    make_article(number=1, language="ja", published_at=datetime(2017, 4, 17, 10, tzinfo=tokyo))
    make_article(number=2, language="ja", published_at=datetime(2016, 1, 5, 10, tzinfo=tokyo))
    make_article(number=3, status="draft", published_at=datetime(2015, 1, 5, 10, tzinfo=tokyo))
    entries = sitemap_entries(client)
    archive = {url for url in entries if "/archive/" in url and not url.endswith("/archive/")}
    assert archive == {
        f"{BASE}/ja/archive/2017/",
        f"{BASE}/en/archive/2017/",
        f"{BASE}/ja/archive/2017/04/",
        f"{BASE}/en/archive/2017/04/",
        f"{BASE}/ja/archive/2016/",
        f"{BASE}/ja/archive/2016/01/",
    }
    assert entries[f"{BASE}/en/archive/2017/04/"] == {
        "ja": f"{BASE}/ja/archive/2017/04/",
        "en": f"{BASE}/en/archive/2017/04/",
        "x-default": f"{BASE}/ja/archive/2017/04/",
    }
    assert entries[f"{BASE}/ja/archive/2016/"] == {}


@pytest.mark.parametrize(
    "page, description",
    [
        ("/en/", "Commentaries on security, diplomacy and the constitution"),
        ("/en/speaking-out/", "Weekly commentary."),
        ("/en/authors/", "The fellows and guests who write"),
        ("/en/authors/kenro-nagoshi/", "Professor at the Institute of World Studies"),
        ("/en/archive/", "Every commentary of the institute, by year and month."),
        ("/en/tags/", "Every topic of the institute"),
        ("/en/tags/russia/", "Commentaries on Russia from"),
    ],
)
def test_list_pages_have_canonical_hreflang_opengraph_and_their_own_description(
    client, article, make_article, page, description
):
    make_article(number=434, language="ja", tags=["Russia"])
    response = client.get(page)
    assertContains(response, f'<link rel="canonical" href="{BASE}{page}">')
    japanese = page.replace("/en/", "/ja/", 1)
    assert page_hreflang(response) == {
        "ja": BASE + japanese,
        "en": BASE + page,
        "x-default": BASE + japanese,
    }
    assert re.search(
        rf'<meta name="description" content="[^"]*{re.escape(description)}', response.text
    )
    assertContains(response, f'<meta property="og:url" content="{BASE}{page}">')
    assertContains(response, '<meta property="og:locale" content="en_US">')
    assertContains(response, '<meta property="og:locale:alternate" content="ja_JP">')
    assertContains(response, '<meta property="og:image:width" content="1200">')
    assertContains(response, '<meta name="twitter:image:alt"')
    assert response.text.count('<meta name="description"') == 1


def test_later_pages_of_a_list_are_their_own_canonical(client, make_article, settings):
    for number in range(1, 4):
        make_article(number=number)
    from articles.views import SeriesView

    SeriesView.paginate_by = 2
    try:
        response = client.get("/en/speaking-out/?page=2")
    finally:
        SeriesView.paginate_by = settings.ARTICLES_PER_PAGE
    assertContains(response, f'<link rel="canonical" href="{BASE}/en/speaking-out/?page=2">')
    assert page_hreflang(response) == {}  # page 2 need not hold the same pieces in Japanese


def test_commentary_in_one_language_names_no_alternates(client, article):
    response = client.get(article.get_absolute_url())
    assert page_hreflang(response) == {}
    assertNotContains(response, "og:locale:alternate")


def test_translated_commentary_names_the_other_locale(client, article, make_article, link):
    link(make_article(number=434, language="ja"), article)
    response = client.get(article.get_absolute_url())
    assertContains(response, '<meta property="og:locale:alternate" content="ja_JP">')
    assert page_hreflang(response)["x-default"] == f"{BASE}/ja/speaking-out/434/"


def test_search_in_all_languages_links_each_series_in_its_pieces_language(client, make_article):
    make_article(number=1, language="ja", title="ロシアの論考")
    response = client.get("/en/search/?q=ロシア&language=all")
    assertContains(
        response,
        '<a class="card__series" href="/ja/speaking-out/" hreflang="ja" lang="ja">今週の直言</a>',
    )
    assert client.get("/en/speaking-out/").status_code == 404  # no English piece


def test_unknown_or_hidden_from_number_says_nothing(client, article, make_article):
    make_article(number=500, language="ja", status="draft", published_at=None, title="秘密")
    make_article(number=501, language="ja", title="公開済み")
    for query in ["abc", "500", "434", "9" * 30, "-1"]:
        response = client.get(f"/en/speaking-out/?from={query}")
        assert response.status_code == 200, query
        assertNotContains(response, "available in")
        assertNotContains(response, "秘密")
    response = client.get("/en/speaking-out/?from=501")
    assertContains(response, "【#501】公開済み is available in Japanese only")
    assertContains(response, f'<link rel="canonical" href="{BASE}/en/speaking-out/">')
