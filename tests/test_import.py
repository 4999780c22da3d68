"""Importing pages of the old site saved as text (archive.oldsite, import_commentaries)."""

import re
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils.html import strip_tags

from archive import oldsite
from archive.oldsite import PageError
from articles.models import Article, Series
from authors.models import Author
from translations.models import TranslationLink

PAGES = Path(__file__).parent / "pages"
ENGLISH = PAGES / "en_434.txt"
JAPANESE = PAGES / "ja_434.txt"


def imported(*paths, **options):
    options.setdefault("user", "importer")
    call_command("import_commentaries", *map(str, paths), verbosity=0, **options)


def page_text(response):
    return " ".join(strip_tags(response.content.decode()).split())


def indented_paragraphs(path):
    return [line.strip() for line in path.read_text().splitlines() if line.startswith("     ")]


@pytest.mark.django_db
@pytest.mark.usefixtures("importer")
def test_the_sample_page_imports_with_everything_a_reader_sees(client):
    imported(ENGLISH)
    response = client.get("/en/speaking-out/434/")
    assert response.status_code == 200
    article = response.context["article"]
    html = response.content.decode()
    assert article.title == "U.S., Russia May Adjust Relations While Demonstrating Confrontation"
    assert "【#434】U.S., Russia May Adjust Relations" in html
    assert [author.name_en for author in article.ordered_authors] == ["Kenro Nagoshi"]
    assert "2017.04.18 (Tue)" in html
    body = article.body_html
    assert "<h2>Trump may expand foreign engagement</h2>" in body
    assert "<h2>Putin in difficult situation</h2>" in body
    paragraphs = indented_paragraphs(ENGLISH)
    assert len(paragraphs) == 7
    for paragraph in paragraphs:
        assert f"<p>{paragraph}</p>" in body
    assert body.index("Trump may expand") < body.index("During the visit")
    assert body.index("Putin in difficult") < body.index("Meanwhile, the Trump")
    bio = (
        "Kenro Nagoshi is Planning Committee Member at the Japan Institute for National "
        "Fundamentals and Professor at the Institute of World Studies, Takushoku University."
    )
    assert article.author_note == bio
    assert f'<p class="commentary__bio">{bio}</p>' in html
    assert bio not in body
    assert "Translated from" not in html  # no Japanese original yet


@pytest.mark.django_db
@pytest.mark.usefixtures("importer")
@pytest.mark.parametrize(
    "order", [(ENGLISH, JAPANESE), (JAPANESE, ENGLISH)], ids=["en-ja", "ja-en"]
)
def test_the_translation_is_linked_to_its_original_in_either_order(client, order):
    for path in order:
        imported(path)
    text = page_text(client.get("/en/speaking-out/434/"))
    assert "Translated from the Japanese original of April 17, 2017." in text
    link = TranslationLink.objects.get()
    assert (link.original.language, link.translation.language) == ("ja", "en")
    assert link.original.get_absolute_url() == "/ja/speaking-out/434/"
    # One series and one author, known by both names.
    series = Series.objects.get()
    assert (series.name_en, series.name_ja) == ("Speaking Out", "今週の直言")
    author = Author.objects.get()
    assert (author.name_en, author.name_ja) == ("Kenro Nagoshi", "名越健郎")
    assert author.slug == "kenro-nagoshi"
    assert author.bio_ja == "国家基本問題研究所企画委員、拓殖大学海外事情研究所教授"


@pytest.mark.django_db
@pytest.mark.usefixtures("importer")
def test_the_japanese_page_reads_its_number_date_headings_and_bio(client):
    imported(JAPANESE)
    response = client.get(Article.objects.get().get_absolute_url())
    assert response.status_code == 200
    article = response.context["article"]
    assert article.language == "ja"
    assert article.title == "米露は対立を演じつつ関係を調整する"
    assert "2017年4月17日(月)" in response.content.decode()
    assert "<h2>トランプ政権は対外関与を広げるか</h2>" in article.body_html
    assert "<h2>苦しい立場のプーチン氏</h2>" in article.body_html
    for paragraph in indented_paragraphs(JAPANESE):
        assert f"<p>{paragraph}</p>" in article.body_html
    assert article.author_note == "名越健郎　国家基本問題研究所企画委員、拓殖大学海外事情研究所教授"


@pytest.mark.django_db
@pytest.mark.usefixtures("importer")
def test_existing_series_and_authors_are_matched_by_either_name(series, author):
    # The fixtures spell the Japanese name with a space: "名越 健郎".
    imported(JAPANESE)
    imported(ENGLISH)
    assert Series.objects.get() == series
    assert Author.objects.get() == author
    assert Article.objects.filter(authors=author).count() == 2


def page(title_line="【#12】A Title", byline="Ann Smith / 2020.01.02 (Thu)", text=None):
    text = text or ["     A paragraph.", "", "Ann Smith is a fellow at the institute."]
    return "\n".join(
        ["Site", "", "Speaking out", "", "  • HOME", "  • Speaking Out", f"  • {title_line}",
         "Ann Smith", "", title_line, "", byline, "", *text]
    )  # fmt: skip


def test_several_authors_are_several_authors():
    assert oldsite.parse(page(byline="Ann Smith and Bo Li / 2020.01.02 (Thu)")).authors == [
        "Ann Smith",
        "Bo Li",
    ]
    japanese = page(title_line="【第12回】題名", byline="山田太郎・鈴木花子 / 2020年1月2日(木)")
    parsed = oldsite.parse(japanese)
    assert parsed.authors == ["山田太郎", "鈴木花子"]
    assert (parsed.number, parsed.title, parsed.published) == (12, "題名", date(2020, 1, 2))


@pytest.mark.parametrize(
    "byline",
    [
        "山田太郎 / 2017.04.18 (火)",
        "山田太郎 / 2017年4月18日(火)",
        "山田太郎／２０１７年４月１８日（火）",
    ],
)
def test_japanese_dates_in_each_way_the_old_site_wrote_them(byline):
    assert oldsite.parse(page(byline=byline)).published == date(2017, 4, 18)


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        (page(title_line="A title without its number"), 10, "no title line"),
        (page(title_line="【#12】"), 10, "the title is empty"),
        (page(byline="Ann Smith / sometime in spring"), 12, "unreadable date"),
        (page(byline="Ann Smith / 2017.02.30 (Thu)"), 12, "no such day"),
        (page(byline="Ann Smith"), 12, "expected “Author / 2017.04.18 (Tue)”"),
        ("Just some text\nwith no breadcrumb", 1, "no breadcrumb"),
    ],
)
def test_an_unreadable_page_says_where_and_why(text, line, reason):
    with pytest.raises(PageError) as error:
        oldsite.parse(text)
    assert error.value.line == line
    assert reason in error.value.reason


def test_sub_headings_are_short_unpunctuated_lines_before_a_paragraph():
    parsed = oldsite.parse(
        page(
            text=[
                "     Opening.",
                "A heading",
                "     Under it.",
                "A sentence that ends like one.",
                "     More.",
                "Ann Smith is a fellow.",
            ]
        )
    )
    assert parsed.body == (
        "<p>Opening.</p><h2>A heading</h2><p>Under it.</p>"
        "<p>A sentence that ends like one.</p><p>More.</p>"
    )
    assert parsed.author_note == "Ann Smith is a fellow."


def test_control_characters_never_reach_the_text():
    parsed = oldsite.parse(page(text=["     Form\x0cfeed and\x0bvertical tab.", "Ann Smith x"]))
    assert parsed.body == "<p>Formfeed andvertical tab.</p>"
    assert not re.search(r"[\x00-\x08\x0b-\x1f]", parsed.body)


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.mark.django_db
@pytest.mark.usefixtures("importer")
def test_a_known_name_with_a_middle_dot_is_one_author_and_new_names_are_several(tmp_path):
    known = Author.objects.create(slug="robert-eldridge", name_ja="ロバート・エルドリッヂ")
    one = page(title_line="【第12回】題名", byline="ロバート・エルドリッヂ / 2020年1月2日(木)")
    imported(write(tmp_path, "one.txt", one))
    assert Article.objects.get(number=12).ordered_authors == [known]
    two = page(title_line="【第13回】題名", byline="山田太郎・鈴木花子 / 2020年1月3日(金)")
    imported(write(tmp_path, "two.txt", two))
    authors = Article.objects.get(number=13).ordered_authors
    assert [author.name_ja for author in authors] == ["山田太郎", "鈴木花子"]
    assert Author.objects.count() == 3


@pytest.mark.django_db
@pytest.mark.usefixtures("importer")
def test_a_new_series_never_takes_a_path_the_site_uses(tmp_path):
    text = page().replace("• Speaking Out", "• Search")
    imported(write(tmp_path, "search.txt", text))
    series = Series.objects.get()
    assert series.slug == "search-2" and series.name_en == "Search"
    japanese = page(title_line="【第3回】題名", byline="山田太郎 / 2020年1月2日(木)")
    imported(write(tmp_path, "ja.txt", japanese.replace("• Speaking Out", "• 新連載")))
    assert Series.objects.get(name_ja="新連載").slug == "series"


def test_a_name_written_twice_is_one_author():
    assert oldsite.parse(page(byline="Ann Smith and Ann Smith / 2020.01.02 (Thu)")).authors == [
        "Ann Smith"
    ]
