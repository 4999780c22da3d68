"""The body as HTML of one schema (core.body): what a crafted POST is reduced to, footnotes
numbered and linked both ways, and everything downstream (diffs, search, reading time,
excerpts, feeds, export and import, the migration from Markdown)."""

import base64
import hashlib
import importlib
import io
import re

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article
from core import body
from tests.forms import edit_form
from tests.test_export import empty_the_site, without_row_ids
from tests.test_hostile import BODIES, RAW_MARKUP
from tests.test_workflow import change_url, chief  # noqa: F401

pytestmark = pytest.mark.django_db

RICH = (
    "<h2>A table, a figure, notes</h2>"
    '<p>Tokyo<span data-footnote="">The capital since 1868. See https://example.org/tokyo</span> '
    'and <ruby>大阪<rt>おおさか</rt></ruby> in <span lang="ja">日本</span>'
    '<span data-footnote="">A second note &amp; its ampersand.</span>.</p>'
    "<table><tbody><tr><th>Year</th><th>Exports</th></tr>"
    "<tr><td>2023</td><td>412</td></tr></tbody></table>"
    '<figure data-image="7"><img src="/media/library/chart.png" alt="A chart">'
    '<figcaption><span class="figure-caption">Exports by year</span>'
    '<span class="figure-credit">Ministry of Finance</span></figcaption></figure>'
    '<div class="video-facade" data-youtube="dQw4w9WgXcQ"></div>'
)
CRAFTED = (
    '<h1 style="color:red">Title</h1><p class="MsoNormal" onclick="x()"><b>bold</b> '
    '<i>italic</i> <u>underlined</u> <font face="Arial">font</font> '
    '<a href="javascript:alert(1)">bad</a> <a href="/admin/">relative</a> '
    '<a href="#fn-1">in page</a> <a href="mailto:a@example.org">mail</a></p>'
    '<figure data-image="x1" class="evil"><img src="https://other.example/x.png" alt="x">'
    "</figure><iframe src=https://www.youtube.com/embed/dQw4w9WgXcQ></iframe>"
    '<div class="video-facade" data-youtube="not-an-id"></div>'
    '<pre><code>code</code></pre><span data-footnote="" onmouseover="x()">Note</span>'
    '<img src="/media/a.png" onerror="alert(1)"><svg onload="alert(1)"></svg><!-- comment -->'
    '<figure><img src="/media/../admin/x.png"></figure>'
)


def test_a_crafted_post_is_reduced_to_the_schema_and_the_writer_told(chief, article):  # noqa: F811
    response = chief.post(change_url(article), edit_form(article, body=CRAFTED), follow=True)
    article.refresh_from_db()
    assert article.body == (
        "<h2>Title</h2><p><strong>bold</strong> <em>italic</em> underlined font "
        '<a rel="noopener noreferrer nofollow">bad</a> '
        '<a rel="noopener noreferrer nofollow">relative</a> '
        '<a href="#fn-1" rel="noopener noreferrer nofollow">in page</a> '
        '<a href="mailto:a@example.org" rel="noopener noreferrer nofollow">mail</a></p>'
        'code<span data-footnote="">Note</span>'
    )
    assertContains(response, "The body cannot hold")
    for tag in ("&lt;u&gt;", "&lt;iframe&gt;", "&lt;font&gt;", "&lt;svg&gt;", "&lt;pre&gt;"):
        assertContains(response, tag)


def test_the_schema_keeps_what_the_editor_writes_and_cleaning_twice_changes_nothing():
    assert body.clean(RICH) == RICH
    for text in [CRAFTED, *BODIES]:
        once = body.clean(text)
        assert body.clean(once) == once
        for raw in RAW_MARKUP:
            assert raw not in once


def test_footnotes_are_numbered_and_linked_both_ways(client, make_article):
    article = make_article(body=RICH)
    response = client.get(article.get_absolute_url())
    assertContains(
        response, '<sup class="fn-ref"><a href="#fn-1" id="fnref-1">1</a></sup>', html=True
    )
    assertContains(
        response, '<sup class="fn-ref"><a href="#fn-2" id="fnref-2">2</a></sup>', html=True
    )
    page = response.content.decode()
    notes = page[page.index('<section class="footnotes"') :]
    assert notes.index('id="fn-1"') < notes.index('id="fn-2"')
    assert 'The capital since 1868. See <a href="https://example.org/tokyo"' in notes
    assert '<a href="#fnref-1" class="fn-back" aria-label="Back to the text">↩</a>' in notes
    assert "A second note &amp; its ampersand." in notes
    assertNotContains(response, "data-footnote")


def test_footnotes_speak_the_pieces_language(client, make_article):
    article = make_article(language="ja", title="注のある論考", body=RICH)
    response = client.get(article.get_absolute_url())
    assertContains(response, 'aria-label="注"')
    assertContains(response, 'aria-label="本文へ戻る"')


def test_figures_and_videos_reach_the_page_in_the_agreed_form(client, make_article):
    article = make_article(body=RICH)
    page = client.get(article.get_absolute_url()).content.decode()
    figure = page[page.index("<figure") : page.index("</figure>")]
    assert 'class="figure' in figure and 'data-image="7"' in figure
    assert '<span class="figure-caption">Exports by year</span>' in figure
    assert '<span class="figure-credit">Ministry of Finance</span>' in figure
    assert 'data-youtube="dQw4w9WgXcQ"' in page
    assert '<table tabindex="0">' in page and "<ruby>大阪<rt>おおさか</rt></ruby>" in page


def test_feeds_keep_the_footnotes(client, make_article):
    make_article(body=RICH)
    feed = client.get("/en/feed/").content.decode()
    assert "fn-ref" in feed and "The capital since 1868." in feed


def test_a_revision_diff_shows_a_change_of_structure_not_of_tags(chief, article):  # noqa: F811
    chief.post(change_url(article), edit_form(article, body="<p>Energy policy</p><p>Text.</p>"))
    article.refresh_from_db()
    chief.post(change_url(article), edit_form(article, body="<h2>Energy policy</h2><p>Text.</p>"))
    revisions = list(article.revisions.all())
    url = reverse("admin:articles_article_revisions", args=[article.pk])
    response = chief.get(url, {"compare": [r.pk for r in revisions]})
    page = response.content.decode()
    assert "<ins>## </ins>Energy policy" in page
    assert "&lt;h2&gt;" not in page and "&lt;p&gt;" not in page


def test_diff_text_writes_out_the_structure():
    assert body.as_text(RICH).splitlines() == [
        "## A table, a figure, notes",
        "Tokyo[^The capital since 1868. See https://example.org/tokyo] and 大阪おおさか in "
        "日本[^A second note & its ampersand.].",
        "| Year | Exports",
        "| 2023 | 412",
        "[figure 7] [image: A chart]",
        "Exports by year Ministry of Finance",
        "[video dQw4w9WgXcQ]",
    ]


def test_search_finds_the_text_of_tables_and_notes_and_excerpts_keep_blocks_apart(
    client, make_article
):
    make_article(body=RICH)
    response = client.get("/en/search/", {"q": "Exports"})
    assertContains(response, "Commentary number 434")
    response = client.get("/en/search/", {"q": "1868"})
    assertContains(response, "Commentary number 434")
    assertNotContains(response, "notes Tokyo")  # the heading never runs into the text


def test_reading_time_counts_text_not_markup(make_article):
    words = " ".join(["word"] * 440)
    figure = '<figure data-image="1"><img src="/media/a.png" alt=""></figure>'
    empty_table = "<table><tbody><tr><td></td></tr></tbody></table>"
    article = make_article(body=f"<p>{words}</p>{figure}" + empty_table * 50)
    assert article.reading_minutes == 2


def test_the_export_round_trip_keeps_the_body(make_article, client, tmp_path, media_root, importer):
    media_root.mkdir(parents=True, exist_ok=True)
    article = make_article(body=RICH)
    before = without_row_ids(client.get(article.get_absolute_url()).content)
    stored = Article.objects.get(pk=article.pk).body
    call_command("export_commentaries", str(tmp_path / "export"), stdout=io.StringIO())
    empty_the_site(media_root)
    call_command(
        "import_commentaries", str(tmp_path / "export"), user="importer", stdout=io.StringIO()
    )
    imported = Article.objects.get()
    assert imported.body == stored
    assert without_row_ids(Client().get(imported.get_absolute_url()).content) == before


def test_the_migration_turns_markdown_bodies_into_the_schema_once(make_article):
    article = make_article()
    Article.objects.filter(pk=article.pk).update(
        body="Opening *words*.\n\n## A sub-heading\n\n- one\n- two", body_html=""
    )
    migration = importlib.import_module("articles.migrations.0015_body_as_html")
    migration.convert(apps, None)
    article.refresh_from_db()
    assert article.body == (
        "<p>Opening <em>words</em>.</p>\n<h2>A sub-heading</h2>\n<ul>\n<li>one</li>\n"
        "<li>two</li>\n</ul>"
    )
    assert "<h2>A sub-heading</h2>" in article.body_html
    migration.convert(apps, None)  # run again: the same
    assert Article.objects.get(pk=article.pk).body == article.body


def test_the_preview_renders_as_the_page_will(chief):  # noqa: F811
    response = chief.post(reverse("admin:articles_article_render_body"), {"body": RICH})
    html = response.json()["html"]
    assert '<sup class="fn-ref"><a href="#fn-1" id="fnref-1">1</a></sup>' in html
    assert '<section class="footnotes"' in html


def test_the_demo_shows_footnotes_and_a_table(client):
    call_command("seed_demo", stdout=io.StringIO())
    for language in ("ja", "en"):
        article = Article.objects.get(language=language, number=101)
        page = client.get(article.get_absolute_url()).content.decode()
        assert '<sup class="fn-ref"><a href="#fn-2" id="fnref-2">2</a></sup>' in page
        assert '<section class="footnotes"' in page and '<table tabindex="0">' in page


def test_the_change_form_runs_its_import_map_by_hash_and_no_other_inline_script(
    chief,  # noqa: F811
    article,
    client,
):
    response = chief.get(change_url(article))
    page = response.content.decode()
    policy = response["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    maps = re.findall(r'<script type="importmap">(.*?)</script>', page, re.DOTALL)
    assert len(maps) == 1 and "django-prose-editor/editor" in maps[0]
    digest = base64.b64encode(hashlib.sha256(maps[0].encode()).digest()).decode()
    assert f"'sha256-{digest}'" in script_src
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    inline = re.findall(r"<script(?![^>]*\ssrc=)([^>]*)>", page)
    assert all('type="importmap"' in attrs or "application/json" in attrs for attrs in inline)
    # The reading pages allow no inline script at all.
    public = client.get(article.get_absolute_url())["Content-Security-Policy"]
    assert "sha256-" not in next(p for p in public.split(";") if "script-src" in p)


def test_a_stale_translations_review_shows_the_originals_change_of_structure(
    editor_client, make_article, link
):
    original = make_article(language="ja", title="原文", body="<p>エネルギー政策</p><p>本文。</p>")
    translation = make_article(title="The translation")
    made = link(original, translation)
    original.body = "<h2>エネルギー政策</h2><p>本文。</p>"
    original.save()
    url = reverse("admin:translations_translationlink_review", args=[made.pk])
    page = editor_client.get(url).content.decode()
    assert "<ins>## </ins>エネルギー政策" in page
    assert "&lt;h2&gt;" not in page
