"""The lead as rich text (core.lead): what a crafted POST is reduced to, HTML where pages show
HTML (the page, cards, newsletter, PDF, the translation desk), plain text where text is wanted
(meta, OpenGraph, JSON-LD, feeds, mail text, search, diffs, the API's lead_text), the migration
from plain leads, and the export round trip."""

import importlib
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article, Revision
from articles.models.editorial import show_pending
from core import lead
from newsletters.message import render_issue
from newsletters.models import Issue, Newsletter
from pdfs.building import html as pdf_html
from tests.forms import edit_form
from tests.test_export import empty_the_site, without_row_ids
from tests.test_workflow import change_url, own_draft, writer  # noqa: F401
from translations import actions as translation_actions

pytestmark = pytest.mark.django_db

RICH = (
    '<p>Sanctions <strong>bite</strong> &amp; <a href="https://example.org/talks" '
    'rel="noopener noreferrer nofollow">talks</a> go on.</p>'
)
TEXT = "Sanctions bite & talks go on."
CRAFTED = (
    '<h2 style="color:red">Heading</h2><p onclick="x()"><b>bold</b> <i>italic</i> '
    '<a href="javascript:alert(1)">bad</a> <a href="https://example.org/" onmouseover="x()">ok'
    "</a> H<sub>2</sub>O</p><script>alert(1)</script><img src=/media/a.png onerror=alert(1)>"
    "<style>p { color: red }</style><ul><li>an item</li></ul>"
    '<span data-footnote="">a note</span><table><tr><td>cell</td></tr></table>'
)


def test_a_writers_crafted_lead_is_reduced_to_the_schema_and_the_writer_told(
    writer,  # noqa: F811
    own_draft,  # noqa: F811
):
    response = writer.post(change_url(own_draft), edit_form(own_draft, lead=CRAFTED), follow=True)
    own_draft.refresh_from_db()
    assert own_draft.lead == (
        "<p>Heading</p><p><strong>bold</strong> <em>italic</em> "
        '<a rel="noopener noreferrer nofollow">bad</a> '
        '<a href="https://example.org/" rel="noopener noreferrer nofollow">ok</a> '
        "H<sub>2</sub>O</p><p>an item</p><p>a note</p><p>cell</p>"
    )
    assertContains(response, "The lead cannot hold")
    for tag in ("&lt;h2&gt;", "&lt;script&gt;", "&lt;img&gt;", "&lt;table&gt;", "&lt;ul&gt;"):
        assertContains(response, tag)
    for raw in ("alert", "onclick", "style", "javascript:", "<h2", "<img", "data-footnote"):
        assert raw not in own_draft.lead


def test_the_lead_keeps_what_its_editor_writes_and_cleaning_twice_changes_nothing():
    written = (
        '<p>H<sub>2</sub>O<sup>1</sup> <span lang="ja">日本</span> '
        "<ruby>漢字<rt>かんじ</rt></ruby><br>next line</p><p>Second.</p>"
    )
    assert lead.clean(written) == written
    for text in (CRAFTED, RICH, "Tax < 5% & rising", "a <strong>b</strong><p>c</p>d"):
        once = lead.clean(text)
        assert lead.clean(once) == once
        assert once.startswith("<p>") and once.endswith("</p>")
    assert lead.text(written) == "H2O1 日本 漢字 next line Second."  # no furigana in text


def ld_json(response):
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', response.text, re.S)
    return json.loads(found.group(1))


def test_a_rich_lead_is_html_on_the_page_and_plain_text_in_its_metadata(client, make_article):
    article = make_article(lead=RICH)
    response = client.get(article.get_absolute_url())
    assertContains(response, f'<div class="commentary__lead">{RICH}</div>', html=True)
    assertContains(
        response, '<meta name="description" content="Sanctions bite &amp; talks go on.">'
    )
    assertContains(
        response, '<meta property="og:description" content="Sanctions bite &amp; talks go on.">'
    )
    assert ld_json(response)["description"] == TEXT
    assertNotContains(response, "&amp;amp;")
    assertNotContains(response, "&lt;strong")
    listing = client.get(article.series.get_absolute_url())
    assertContains(listing, f'<div class="card__lead">{RICH}</div>', html=True)


def test_feeds_and_search_read_the_leads_text(client, make_article):
    make_article(lead=RICH, tags=["Russia"])
    rss = ET.fromstring(client.get(reverse("articles:feed")).content)
    assert rss.find("channel/item").findtext("description") == "Sanctions bite &amp; talks go on."
    response = client.get(reverse("articles:search"), {"q": "bite"})
    assertContains(response, "Sanctions <mark>bite</mark> &amp; talks go on.")
    # The tags' names are no words of the lead.
    assertNotContains(client.get(reverse("articles:search"), {"q": "strong"}), "Commentary")


def test_the_newsletter_shows_the_lead_styled_inline_and_its_text_part_as_text(
    make_article, series, settings
):
    settings.SITE_URL = "https://www.example.org"
    article = make_article(lead=RICH)
    newsletter = Newsletter.objects.get(series=series, language="en")
    issue = Issue.objects.create(newsletter=newsletter, article=article, subject=str(article))
    _subject, text, html = render_issue(issue)
    assert TEXT in text and "<strong>" not in text and "&amp;" not in text
    assert '<p style="margin:0 0 12px;">Sanctions <strong>bite</strong> &amp; ' in html
    assert '<a style="color:#14325c;text-decoration:underline;" href="https://example.org/' in html


def test_the_pdf_shows_the_lead_as_html(make_article):
    article = make_article(lead=RICH)
    assert f'<div class="lead">{RICH}</div>' in pdf_html(article)


def test_the_api_gives_the_lead_as_html_and_as_text(client, make_article):
    article = make_article(lead=RICH)
    data = client.get(f"/api/v1/commentaries/{article.pk}/").json()
    assert (data["lead"], data["lead_text"]) == (RICH, TEXT)
    schema = client.get("/api/v1/schema/?format=json").json()
    properties = schema["components"]["schemas"]["Commentary"]["properties"]
    assert {"lead", "lead_text"} <= set(properties)


def test_a_revision_diff_and_a_stale_translations_review_compare_the_leads_text(
    editor_client, make_article, link
):
    original = make_article(language="ja", title="原文", lead="<p>エネルギー政策。</p>")
    made = link(original, make_article(title="The translation"))
    original.lead = "<p><strong>エネルギー</strong>政策を改めよ。</p>"
    original.save()
    url = reverse("admin:translations_translationlink_review", args=[made.pk])
    page = editor_client.get(url).content.decode()
    assert "&lt;strong&gt;" not in page and "&lt;p&gt;" not in page
    assert '<div class="review-lead"><p><strong>エネルギー</strong>政策を改めよ。</p></div>' in page
    older = Revision.record(original)
    original.lead = "<p>Changed.</p>"
    original.save()
    assert older.as_text("lead") == "エネルギー政策を改めよ。"


def test_a_new_translation_starts_from_the_originals_lead_as_html(make_article, editor):
    original = make_article(language="ja", title="原文", lead="<p><em>要点</em>はこうだ。</p>")
    translation = translation_actions.create_translation(original, editor)
    assert translation.lead == "<p><em>要点</em>はこうだ。</p>"


def test_the_migration_turns_plain_leads_into_paragraphs_and_back(client, make_article):
    article = make_article()
    Article.objects.filter(pk=article.pk).update(lead="Tax < 5% & rising <b>not bold</b>")
    migration = importlib.import_module("articles.migrations.0016_lead_as_html")
    migration.forwards(apps, None)
    article.refresh_from_db()
    assert article.lead == "<p>Tax &lt; 5% &amp; rising &lt;b&gt;not bold&lt;/b&gt;</p>"
    page = client.get(article.get_absolute_url())
    assertContains(page, "Tax &lt; 5% &amp; rising &lt;b&gt;not bold&lt;/b&gt;")
    assertContains(page, 'content="Tax &lt; 5% &amp; rising &lt;b&gt;not bold&lt;/b&gt;"')
    migration.backwards(apps, None)
    assert Article.objects.get(pk=article.pk).lead == "Tax < 5% & rising <b>not bold</b>"


def test_the_export_round_trip_keeps_the_lead(make_article, tmp_path, media_root, importer):
    media_root.mkdir(parents=True, exist_ok=True)
    article = make_article(lead=RICH)
    before = without_row_ids(Client().get(article.get_absolute_url()).content)
    call_command("export_commentaries", str(tmp_path / "export"), stdout=io.StringIO())
    empty_the_site(media_root)
    call_command(
        "import_commentaries", str(tmp_path / "export"), user="importer", stdout=io.StringIO()
    )
    imported = Article.objects.get()
    assert imported.lead == RICH
    assert without_row_ids(Client().get(imported.get_absolute_url()).content) == before


def test_an_autosave_keeps_the_lead_in_its_schema(client_for, staff, make_article):
    writer = staff("Writer")  # noqa: F811
    draft = make_article(status="draft", published_at=None, created_by=writer)
    client = client_for(writer)
    url = reverse("admin:articles_article_autosave", args=[draft.pk])
    client.post(url, {"lead": "<p>Half <strong>a</strong><script>x()</script></p><h2>H</h2>"})
    assert client.get(url).json()["fields"] == {"lead": "<p>Half <strong>a</strong></p><p>H</p>"}


def test_the_demo_has_a_lead_with_emphasis(client):
    call_command("seed_demo", stdout=io.StringIO())
    for article in Article.objects.all():
        assert article.lead == lead.clean(article.lead)
        assert not article.lead or article.lead.startswith("<p>")
    piece = Article.objects.get(language="en", number=101)
    page = client.get(piece.get_absolute_url())
    assertContains(page, "<strong>sharing information</strong>")
    assertContains(page, f'<meta name="description" content="{piece.lead_text}">')


def test_the_admins_search_reads_the_leads_text(editor_client, make_article):
    make_article(lead="<p>Sanctions <strong>bite</strong> hard &amp; fast.</p>")
    changelist = reverse("admin:articles_article_changelist")
    for words, found in [("bite hard", 1), ("hard & fast", 1), ("strong", 0), ("amp", 0)]:
        response = editor_client.get(changelist, {"q": words})
        assert response.context["cl"].result_count == found, words


def test_a_pending_changes_lead_is_kept_to_the_schema_before_a_preview_shows_it(make_article):
    article = make_article(lead="<p>Live.</p>")
    Revision.record(
        article, lead='<script>alert(1)</script><p onclick="x()">Next</p>', pending=True
    )
    assert article.revisions.pending().get().lead == "<p>Next</p>"
    show_pending(article)  # what the form and the staff preview show
    assert article.lead_html == "<p>Next</p>"
