"""Citations (citations/): what a reference manager reads of a commentary's page, and the
BibTeX and RIS downloads; never of a piece the public may not read."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from articles import actions
from authors.models import Author

pytestmark = pytest.mark.django_db


def meta(html, name):
    return re.findall(rf'<meta name="{name}" content="([^"]*)">', html)


def test_the_page_carries_highwire_citation_tags(client, make_article, author):
    second = Author.objects.create(slug="jane-doe", name_en="Jane Doe", name_ja="ジェーン・ドウ")
    piece = make_article(number=440, title="Two Voices", authors=[author, second])
    html = client.get(piece.get_absolute_url()).content.decode()
    assert meta(html, "citation_title") == ["Two Voices"]
    assert meta(html, "citation_author") == ["Kenro Nagoshi", "Jane Doe"]
    day = timezone.localtime(piece.published_at).strftime("%Y/%m/%d")
    assert meta(html, "citation_publication_date") == [day]
    assert meta(html, "citation_language") == ["en"]
    assert meta(html, "citation_technical_report_institution") == [
        "Japan Institute for National Fundamentals"
    ]
    assert meta(html, "citation_series_title") == ["Speaking Out"]
    assert meta(html, "citation_technical_report_number") == ["440"]
    assert meta(html, "citation_pdf_url") == []  # none built


def test_the_japanese_page_cites_in_japanese(client, make_article):
    piece = make_article(language="ja", title="米露、対立演出しつつ関係調整も")
    html = client.get(piece.get_absolute_url()).content.decode()
    assert meta(html, "citation_author") == ["名越 健郎"]
    assert meta(html, "citation_technical_report_institution") == ["国家基本問題研究所"]
    assert ">引用の仕方</h2>" in html
    cited = "名越 健郎「米露、対立演出しつつ関係調整も」『今週の直言』第434回、国家基本問題研究所、"
    assert cited in html


def test_how_to_cite_in_english_with_its_downloads(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    assert ">How to cite</h2>" in html
    assert (
        "Nagoshi, Kenro. “U.S., Russia May Adjust Relations While Demonstrating "
        "Confrontation.” Speaking Out, no. 434. Japan Institute for National Fundamentals, "
    ) in html
    assert 'href="/en/speaking-out/434/cite.bib"' in html
    assert 'href="/en/speaking-out/434/cite.ris"' in html


def test_bibtex_is_a_techreport(client, article):
    response = client.get("/en/speaking-out/434/cite.bib")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/x-bibtex")
    assert 'filename="speaking-out-434-en.bib"' in response["Content-Disposition"]
    text = response.content.decode()
    assert text.startswith("@techreport{speaking-out-434-en,\n")
    assert "  author = {Nagoshi, Kenro},\n" in text
    title = "U.S., Russia May Adjust Relations While Demonstrating Confrontation"
    assert f"  title = {{{{{title}}}}},\n" in text
    assert "  institution = {Japan Institute for National Fundamentals},\n" in text
    assert "  number = {434},\n" in text
    assert re.search(r"  url = {https?://[^/]+/en/speaking-out/434/}\n}", text)


def test_ris_is_a_report(client, make_article):
    piece = make_article(language="ja", title="日本の選択 & 50% の壁")
    response = client.get("/ja/speaking-out/434/cite.ris")
    lines = response.content.decode().split("\r\n")
    assert lines[0] == "TY  - RPRT"
    assert "TI  - 日本の選択 & 50% の壁" in lines
    assert "AU  - 名越 健郎" in lines
    assert "T3  - 今週の直言" in lines
    assert "M1  - 434" in lines
    assert "PB  - 国家基本問題研究所" in lines
    assert lines[-2:] == ["ER  -", ""]
    bib = client.get("/ja/speaking-out/434/cite.bib").content.decode()
    assert "title = {{日本の選択 \\& 50\\% の壁}}" in bib
    assert "author = {{名越 健郎}}" in bib
    assert piece.language == "ja"


@pytest.mark.parametrize("fixture", ["draft", "scheduled"])
def test_no_citation_of_a_piece_the_public_may_not_read(client, request, fixture):
    piece = request.getfixturevalue(fixture)
    for kind in ("bib", "ris"):
        assert client.get(f"/en/speaking-out/{piece.number}/cite.{kind}").status_code == 404


def test_no_citation_of_an_ended_or_trashed_piece_nor_in_the_other_language(client, article, now):
    assert client.get("/ja/speaking-out/434/cite.bib").status_code == 404  # no Japanese version
    actions.set_end(article, actions.SYSTEM, now + timedelta(minutes=1))
    with time_machine.travel(now + timedelta(minutes=1, seconds=1)):
        assert client.get("/en/speaking-out/434/cite.bib").status_code == 404
    assert client.get("/en/speaking-out/434/cite.ris").status_code == 200
    article.refresh_from_db()
    actions.trash(article, actions.SYSTEM)
    assert client.get("/en/speaking-out/434/cite.ris").status_code == 404


def test_a_preview_shows_no_citation(editor, draft):
    staff = Client(HTTP_ACCEPT_LANGUAGE="en")
    staff.force_login(editor)
    html = staff.get(draft.get_preview_url()).content.decode()
    assert "citation_title" not in html and ">How to cite</h2>" not in html
