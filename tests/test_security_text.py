"""Control characters: cleaned at the model boundary, and no feed ever fails on stored text."""

import importlib
import xml.etree.ElementTree as ET

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from articles.models import Article, Revision, Series, Tag
from authors.models import Author
from core.text import clean_text
from tests.forms import edit_form
from tests.test_workflow import change_url

pytestmark = pytest.mark.django_db

HOSTILE = "A\x0bvertical\x0ctab\x00nul\x1bescape\x7fdel\x85nel\x9fc1\ufffe\r\nend\ttab"
ATOM = "{http://www.w3.org/2005/Atom}"


def feed_urls(article):
    tag, author = article.tags.get(), article.bylines.get().author
    with translation.override("en"):
        return [
            reverse("articles:feed"),
            reverse("articles:feed-atom"),
            reverse("articles:author-feed", args=[author.slug]),
            reverse("articles:author-feed-atom", args=[author.slug]),
            reverse("articles:tag-feed", args=[tag.slug]),
            reverse("articles:tag-feed-atom", args=[tag.slug]),
        ]


def test_clean_text_keeps_newlines_and_tabs_only():
    assert clean_text(HOSTILE) == "A\nvertical\ntabnulescapedel\nnelc1\nend\ttab"
    assert clean_text("one\r\ntwo\x0bthree", single_line=True) == "one two three"


def test_every_text_field_is_cleaned_when_saved_in_code(make_article):
    # (A tag is looked up by name before it is saved: Postgres refuses a NUL in any query.)
    tags = [f"Rus{HOSTILE}".replace("\x00", "")]
    article = make_article(title=HOSTILE, lead=HOSTILE, body=HOSTILE, tags=tags)
    author = Author.objects.create(slug="x", name_en=HOSTILE, bio_en=HOSTILE)
    series = Series.objects.create(slug="s", name_en=HOSTILE, name_ja="名", description_en=HOSTILE)
    revision = Revision.record(article, note=HOSTILE)
    for row in [Article.objects.get(pk=article.pk), author, series, revision, Tag.objects.get()]:
        row.refresh_from_db()
        for field in row._meta.concrete_fields:
            value = getattr(row, field.attname)
            if isinstance(value, str):
                assert clean_text(value) == value, (type(row).__name__, field.name)
    article.refresh_from_db()
    assert article.title == "A vertical tabnulescapedel nelc1 end\ttab"
    # The lead is HTML (core.lead): a plain text's lines are its paragraphs.
    assert article.lead.startswith("<p>A</p><p>vertical</p><p>tab")


def test_the_admin_form_stores_clean_text_and_finds_an_existing_tag(editor_client, article):
    pasted = HOSTILE.replace("\x00", "")  # a NUL is a form error of its own
    data = edit_form(article, title=f"Retitled{pasted}", lead=pasted, tags="Rus\x1bsia, new\x0bone")
    response = editor_client.post(change_url(article), data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == clean_text(f"Retitled{pasted}", single_line=True)
    assert sorted(tag.name for tag in article.tags.all()) == ["Russia", "new one"]
    assert Tag.objects.filter(name__iexact="russia").count() == 1


def test_a_title_of_control_characters_alone_is_blank(editor_client, article):
    response = editor_client.post(change_url(article), edit_form(article, title="\x01\x02\x03"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.title.startswith("U.S.")


@pytest.mark.parametrize("way", ["saved", "written around the models"])
def test_every_feed_answers_whatever_text_a_published_piece_holds(client, make_article, way):
    article = make_article(title=HOSTILE, lead=HOSTILE, tags=["Russia"])
    if way != "saved":
        Article.objects.filter(pk=article.pk).update(
            title=HOSTILE.replace("\x00", ""), lead=HOSTILE.replace("\x00", "")
        )
        Author.objects.update(name_en="Kenro\x0bNagoshi")
    for url in feed_urls(article):
        response = client.get(url)
        assert response.status_code == 200, url
        text = ET.tostring(ET.fromstring(response.content), encoding="unicode")
        assert "vertical" in text and "\x0b" not in text


def test_leads_are_plain_text_in_rss_and_atom(client, make_article):
    # The lead's bold is markup (core.lead): the feeds' summary is its text, escaped once.
    make_article(lead="AT&T <b>says</b> 1 < 2", tags=["Russia"])
    rss = ET.fromstring(client.get(reverse("articles:feed")).content)
    assert rss.find("channel/item").findtext("description") == "AT&amp;T says 1 &lt; 2"
    atom = ET.fromstring(client.get(reverse("articles:feed-atom")).content)
    summary = atom.find(f"{ATOM}entry/{ATOM}summary")
    assert summary.get("type") == "html"
    assert summary.text == "AT&amp;T says 1 &lt; 2"


def test_the_migration_cleans_rows_stored_before(article, author):
    Article.objects.filter(pk=article.pk).update(title="Old\x0btitle", lead="old\x0clead")
    Author.objects.filter(pk=author.pk).update(name_en="Kenro\x1bNagoshi")
    migration = importlib.import_module("articles.migrations.0009_clean_control_characters")
    migration.clean_rows(apps, None)
    article.refresh_from_db()
    author.refresh_from_db()
    assert (article.title, article.lead) == ("Old title", "old\nlead")
    assert author.name_en == "KenroNagoshi"
