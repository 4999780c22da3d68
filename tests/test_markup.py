"""What the pages' markup gives readers, browsers, feed readers and sharers."""

import base64
import hashlib
import re
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article, Tag
from articles.search import excerpt, highlight_pattern
from authors.models import Author
from tests.test_admin import jpeg_bytes

pytestmark = pytest.mark.django_db

TOKYO = ZoneInfo("Asia/Tokyo")
ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
ROOT = Path(__file__).resolve().parent.parent


def with_image(article, size=(2000, 1200)):
    article.image_alt = "Ships in a harbour"
    article.image.save("harbour.jpg", ContentFile(jpeg_bytes(size)))
    return article


# Times


def test_times_are_whole_seconds_wherever_they_are_shown(client, make_article, link):
    moment = datetime(2017, 4, 17, 23, 49, 14, 9726, tzinfo=TOKYO)
    article = make_article(published_at=moment, tags=["Russia"])
    assert Article.objects.get(pk=article.pk).published_at.microsecond == 0
    # The admin's publish action stamps times with a bulk update: whole seconds there too.
    Article.objects.filter(pk=article.pk).update(published_at=moment)
    assert Article.objects.get(pk=article.pk).published_at.microsecond == 0
    Article.objects.filter(pk=article.pk).update(updated=moment)  # as saved, with a fraction
    pages = [article.get_absolute_url(), "/en/", "/en/speaking-out/", "/en/search/?q=Commentary"]
    pages += ["/en/tags/russia/", "/en/archive/2017/04/"]
    for page in pages:
        text = client.get(page).content.decode()
        stamps = re.findall(r'datetime="([^"]+)"', text)
        stamps += re.findall(r'_time" content="([^"]+)"', text)
        stamps += re.findall(r'"date(?:Published|Modified)": "([^"]+)"', text)
        assert "2017-04-17T23:49:14+09:00" in stamps, page
        for stamp in stamps:
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00", stamp), (page, stamp)


def test_publishing_through_the_workflow_stamps_whole_seconds(client, draft, editor):
    from articles import actions

    actions.move(
        draft, editor, "published", published_at=datetime(2020, 1, 2, 3, 4, 5, 678901, tzinfo=TOKYO)
    )
    draft.refresh_from_db()
    assert draft.published_at == datetime(2020, 1, 2, 3, 4, 5, tzinfo=TOKYO)
    assertContains(client.get(draft.get_absolute_url()), 'datetime="2020-01-02T03:04:05+09:00"')


# Head: title, icons, stylesheets


def test_commentary_title_names_the_site(client, article):
    response = client.get(article.get_absolute_url())
    assertContains(
        response,
        f"<title>{article.numbered_title} | Speaking Out | "
        "Japan Institute for National Fundamentals</title>",
    )


def test_icons_and_manifest_exist_and_the_favicon_address_answers(client, article):
    response = client.get("/en/")
    for name in ["icons/favicon-32.png", "icons/apple-touch-icon.png", "site.webmanifest"]:
        assertContains(response, f'href="/static/{name}"')
        assert finders.find(name), name
    assert client.get("/favicon.ico")["Location"] == "/static/icons/favicon.ico"
    assert finders.find("icons/favicon.ico")
    manifest = Path(finders.find("site.webmanifest")).read_text()
    for icon in re.findall(r'"src": "([^"]+)"', manifest):
        assert finders.find(icon), icon


def test_styles_block_nothing_and_the_policy_allows_exactly_them(client, article, settings):
    response = client.get(article.get_absolute_url())
    head = response.text.split("</head>")[0]
    # The stylesheet is in the head itself: no request holds back the first paint…
    styles = re.findall(r"<style>(.*?)</style>", head, re.S)
    assert styles == [settings.SITE_STYLESHEET.read_text(encoding="utf-8")]
    assert ".site-header" in styles[0]
    assert 'rel="stylesheet" href="/static/css/site.css"' not in head
    # …and allowed by its hash alone, so an injected <style> would still be refused.
    digest = base64.b64encode(hashlib.sha256(styles[0].encode()).digest()).decode()
    policy = response["Content-Security-Policy"]
    assert f"style-src 'self' 'sha256-{digest}'" in policy
    assert "unsafe-inline" not in policy
    links = re.findall(r"<(?:link|meta|script)[^>]*>", head)
    assert links[2] == '<link rel="stylesheet" href="/static/css/print.css" media="print">'
    # No inline script, and no inline style but the stylesheet (the policy refuses them).
    text = response.text
    assert not re.search(r"<script(?![^>]*(src=|application/ld\+json))", text)
    assert text.count("<style") == 1 and "style=" not in text


def test_print_stylesheet_leaves_the_commentary_its_address_and_date(client, article):
    printed = Path(finders.find("css/print.css")).read_text()
    hidden = printed.split("{ display: none")[0]
    for furniture in [".site-header", ".site-footer", ".share", ".related", ".breadcrumb"]:
        assert furniture in hidden
    assert ".print-only { display: block" in printed
    response = client.get(article.get_absolute_url())
    assertContains(response, '<p class="print-only">http://testserver/en/speaking-out/434/</p>')
    assertContains(response, '<time datetime="')


# Images


def test_lead_image_is_the_largest_paint_with_its_size_and_priority(client, article):
    with_image(article)
    response = client.get(article.get_absolute_url())
    image = re.search(r'<img src="[^"]+" alt="Ships in a harbour"[^>]*>', response.text).group(0)
    assert 'width="2000" height="1200"' in image
    assert 'fetchpriority="high"' in image and "loading=" not in image
    assertContains(response, '<meta property="og:image:width" content="2000">')
    assertContains(response, '<meta property="og:image:height" content="1200">')
    assertContains(response, '<meta property="og:image:alt" content="Ships in a harbour">')
    assertContains(response, '<meta name="twitter:image:alt" content="Ships in a harbour">')


def test_cards_show_a_small_lazy_image_from_stored_sizes(client, article, make_article):
    with_image(article)
    make_article(number=2, title="No picture")
    response = client.get("/en/")
    image = re.search(r'<img class="card__image"[^>]*>', response.text).group(0)
    assert '_480.webp"' in image or "480" in image
    assert 'width="480" height="288"' in image and 'loading="lazy"' in image
    assert response.text.count('class="card__image"') == 1


def test_card_images_cost_no_query(client, make_article, settings):
    settings.PAGE_CACHE_SECONDS = 0  # pages built each time: their queries are what is counted
    for number in range(1, 4):
        make_article(number=number)
    client.get("/en/")  # what the home page keeps (the month's most read, counts) is kept
    with CaptureQueriesContext(connection) as plain:
        client.get("/en/")
    for article in Article.objects.all():
        with_image(article)
    with CaptureQueriesContext(connection) as pictured:
        response = client.get("/en/")
    assert response.text.count('class="card__image"') == 3
    assert len(pictured) == len(plain)


# Lists


def test_series_cards_do_not_repeat_the_series_nor_author_cards_the_author(
    client, article, make_article, author
):
    other = Author.objects.create(slug="co", name_en="Co Author")
    make_article(number=2, authors=[author, other], title="Written together")
    series_page = client.get("/en/speaking-out/")
    assertNotContains(series_page, 'class="card__series"')
    assertContains(client.get("/en/"), 'class="card__series"')
    author_page = client.get(author.get_absolute_url())
    cards = author_page.text.split('<div class="cards">')[1]
    assert "Kenro Nagoshi" not in cards
    assert cards.count("Co Author") == 1
    assertContains(author_page, 'With <a href="/en/authors/co/">Co Author</a>', html=True)


def test_topics_keep_the_editors_names_and_sort_per_language(client, make_article):
    make_article(number=1, tags=["cyber", "Energy", "Indo-Pacific"])
    make_article(number=1, language="ja", tags=["cyber", "Energy", "Indo-Pacific"])
    readings = {"cyber": ("サイバー", "さいばー"), "Energy": ("エネルギー", "えねるぎー"),
                "Indo-Pacific": ("インド太平洋", "いんどたいへいよう")}  # fmt: skip
    for name, (name_ja, reading) in readings.items():
        tag = Tag.objects.get(name=name)
        tag.name_ja, tag.reading_ja = name_ja, reading
        tag.save()
    english = [tag.label for tag in client.get("/en/tags/").context["object_list"]]
    assert english == ["cyber", "Energy", "Indo-Pacific"]  # not "Energy" before "cyber"
    japanese = client.get("/ja/tags/")
    # Sorted by reading (い, え, さ), not by code point (イ, エ, サ would agree, 半 would not).
    assert [tag.label for tag in japanese.context["object_list"]] == [
        "インド太平洋",
        "エネルギー",
        "サイバー",
    ]
    # Names as written: the tag for "Cyber" is found again whatever the case typed.
    make_article(number=2, tags=["Cyber"])
    assert Tag.objects.filter(name__iexact="cyber").count() == 1


def test_japanese_topics_sort_by_reading_not_code_point(client, make_article):
    make_article(number=1, language="ja", tags=["Constitution", "Semiconductors"])
    Tag.objects.filter(name="Constitution").update(name_ja="憲法", reading_ja="けんぽう")
    Tag.objects.filter(name="Semiconductors").update(name_ja="半導体", reading_ja="はんどうたい")
    labels = [tag.label for tag in client.get("/ja/tags/").context["object_list"]]
    assert labels == ["憲法", "半導体"]  # け before は; by code point 半 (534A) comes first


def test_archive_months_and_years_read_as_one_label_and_one_count(client, make_article):
    make_article(number=1, published_at=datetime(2026, 9, 3, 10, tzinfo=TOKYO))
    response = client.get("/en/archive/2026/")
    assertContains(
        response,
        '<a href="/en/archive/2026/09/">September 2026</a>',
        html=True,
    )
    assertContains(response, '<span class="count">1 commentary</span>', html=True)


# Search


def test_search_page_names_its_two_search_landmarks_apart(client, article):
    response = client.get("/en/search/?q=Russia")
    labels = re.findall(r'role="search" aria-label="([^"]+)"', response.text)
    assert labels == ["Site search", "Search commentaries"]


def test_excerpt_keeps_sub_headings_apart_and_shows_the_match(make_article):
    article = make_article(
        lead="Drones change the balance.",
        body="Gaps are widening.\n\n## Drones\n\nCheap drones now " + "fill the sky. " * 30,
    )
    text = excerpt(article, highlight_pattern("widening"))
    assert "<mark>widening</mark>" in text
    assert "widening Drones" not in text and "widening. Drones" not in text
    # Found only in the title or names: the lead stands in, not a random start.
    assert excerpt(article, highlight_pattern("Commentary")) == "Drones change the balance."


def test_search_result_marks_a_match_in_the_lead(client, make_article):
    make_article(lead="The lead talks of frigates.", body="Nothing here.\n\nNor here.")
    response = client.get("/en/search/?q=frigates")
    assertContains(response, "The lead talks of <mark>frigates</mark>.")


# Feeds


def test_each_co_author_is_one_author_element(client, article, make_article, author):
    other = Author.objects.create(slug="co", name_en="Co Author")
    make_article(number=2, authors=[author, other], title="Written together")
    rss = ET.fromstring(client.get("/en/feed/").content)
    item = next(i for i in rss.iter("item") if i.findtext("title").endswith("Written together"))
    assert [c.text for c in item.findall(f"{DC}creator")] == ["Kenro Nagoshi", "Co Author"]
    atom = ET.fromstring(client.get("/en/feed/atom/").content)
    entry = next(
        e for e in atom.iter(f"{ATOM}entry") if e.findtext(f"{ATOM}title").endswith("together")
    )
    names = [a.findtext(f"{ATOM}name") for a in entry.findall(f"{ATOM}author")]
    assert names == ["Kenro Nagoshi", "Co Author"]


@pytest.mark.parametrize("page", ["/en/authors/kenro-nagoshi/", "/en/tags/russia/"])
def test_rss_and_atom_links_carry_different_titles(client, article, page):
    head = client.get(page).text.split("</head>")[0]
    titles = re.findall(r'<link rel="alternate" type="application/[a-z+]+" title="([^"]+)"', head)
    assert len(titles) == len(set(titles)) == 4


# Sharing


def test_share_links_are_plain_links_in_the_page_language(client, article, make_article):
    response = client.get(article.get_absolute_url())
    share = response.text.split('<section class="share"')[1].split("</section>")[0]
    url = "http%3A%2F%2Ftestserver%2Fen%2Fspeaking-out%2F434%2F"
    for expected in [
        "https://x.com/intent/post?text=",
        f"https://www.facebook.com/sharer/sharer.php?u={url}",
        f"https://social-plugins.line.me/lineit/share?url={url}",
        f"https://b.hatena.ne.jp/add?url={url}",
        "mailto:?subject=",
    ]:
        assert expected in share, expected
    assert ">Hatena Bookmark<" in share and ">Copy link<" in share
    assert 'href="http://testserver/en/speaking-out/434/" class="share__copy"' in share
    scripts = re.findall(r'<script src="([^"]+)"', response.text)
    # Our own files (the share box's, the first-party read count's), nothing from elsewhere.
    assert scripts == ["/static/js/share.js", "/static/js/reads.js"]
    japanese = client.get(make_article(number=9, language="ja").get_absolute_url())
    assertContains(japanese, ">はてなブックマーク<")
    assertContains(japanese, ">リンクをコピー<")
