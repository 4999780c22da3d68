"""Pages of the old site saved as Shift_JIS (cp932): they have no “•” or “·”, so their
breadcrumbs are written with “・” or “･”, and they import as their UTF-8 twins do."""

from pathlib import Path

import pytest
from django.core.management import call_command

from archive import oldsite
from articles.models import Article

PAGES = Path(__file__).parent / "pages"
SAMPLE = PAGES / "en_434.txt"  # the old site's sample page, as saved (UTF-8)
JAPANESE = PAGES / "ja_434.txt"


def as_cp932(path, bullet):
    """The page as Windows would have saved it: cp932 has neither “•” nor a no-break space."""
    text = path.read_text(encoding="utf-8").replace("•", bullet).replace("\xa0", " ")
    return text.encode("cp932")


def imported_fields(path):
    call_command("import_commentaries", str(path), user="importer", verbosity=0)
    article = Article.objects.get()
    fields = {
        name: getattr(article, name)
        for name in ["series_id", "number", "language", "title", "body", "author_note"]
    }
    fields["authors"] = [author.name_en or author.name_ja for author in article.ordered_authors]
    fields["published_at"] = article.published_at
    return fields


@pytest.mark.django_db
@pytest.mark.usefixtures("importer")
@pytest.mark.parametrize("bullet", ["・", "･"], ids=["full-width", "half-width"])
@pytest.mark.parametrize("page", [SAMPLE, JAPANESE], ids=["en", "ja"])
def test_a_shift_jis_page_imports_as_its_utf8_twin(tmp_path, page, bullet, client):
    twin = tmp_path / "utf8.txt"
    twin.write_text(page.read_text(encoding="utf-8").replace("\xa0", " "), encoding="utf-8")
    expected = imported_fields(twin)
    Article.objects.all().delete()
    sjis = tmp_path / "sjis.txt"
    sjis.write_bytes(as_cp932(page, bullet))
    with pytest.raises(UnicodeDecodeError):
        sjis.read_bytes().decode("utf-8")  # really Shift_JIS, not UTF-8 by chance
    assert imported_fields(sjis) == expected
    response = client.get(Article.objects.get().get_absolute_url())
    assert response.status_code == 200


def test_a_list_of_middle_dots_in_the_text_is_not_taken_for_the_breadcrumb():
    text = JAPANESE.read_text(encoding="utf-8").replace("•", "・")
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("     ")) + 1
    lines[at:at] = ["・第一に、対話の窓口を保つこと", "・第二に、抑止を弱めないこと"]
    page = oldsite.parse("\n".join(lines))
    assert page.title == "米露は対立を演じつつ関係を調整する"
    assert page.series == "今週の直言"
    assert "・第一に、対話の窓口を保つこと" in page.body
