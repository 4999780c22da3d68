"""Text of any size is safe: search indexes the first INDEXED_LENGTH characters of a body (the
rest is shown, never found), so no save, import, restore or reindex fails on a 1.6 MB body;
an admin import run that breaks off ends as failed with its reason."""

import io
import random
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from archive.models import ImportRun
from articles import search
from articles.models import Article, Series
from authors.models import Author
from tests.conftest import postgres_only
from tests.forms import article_form
from translations.models import TranslationLink

pytestmark = [pytest.mark.django_db, postgres_only]

FIRST, LAST = "Okinawa", "Zanzibar"
SAMPLE = Path(__file__).parent / "pages" / "en_434.txt"


def huge_body(size=1_600_000):
    """About `size` bytes of Markdown: a word at the start, one at the end, and between them
    paragraphs of random kanji, the worst case for the index (every pair of them new)."""
    rng = random.Random(19)
    paragraphs, length = [f"{FIRST} opens the piece."], 0
    while length < size:
        paragraph = "".join(chr(rng.randint(0x4E00, 0x9FFF)) for _ in range(400))
        paragraphs.append(paragraph)
        length += len(paragraph.encode()) + 2
    paragraphs.append(f"It ends in {LAST}.")
    return "\n\n".join(paragraphs)


def titles(client, query):
    response = client.get("/en/search/", {"q": query})
    assert response.status_code == 200
    return [article.title for article in response.context["object_list"]]


@pytest.fixture
def body():
    text = huge_body()
    assert len(text.encode()) > 1_600_000
    return text


def test_an_editor_saves_a_huge_body_and_readers_see_all_of_it(
    staff, client_for, client, series, author, body, django_capture_on_commit_callbacks
):
    editor = client_for(staff("Editor"))
    now = timezone.localtime()
    form = article_form(
        series,
        author,
        title="A very long commentary",
        body=body,
        status="published",
        published_at_0=now.strftime("%Y-%m-%d"),
        published_at_1="00:00:00",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(reverse("admin:articles_article_add"), form)
    assert response.status_code == 302
    article = Article.objects.get()
    page = client.get(article.get_absolute_url())
    assert page.status_code == 200
    assert f"It ends in {LAST}." in page.content.decode()
    assert titles(client, FIRST) == ["A very long commentary"]
    assert titles(client, LAST) == []  # past INDEXED_LENGTH: shown, not found


def test_reindex_search_goes_through_a_huge_body(make_article, client, body):
    make_article(title="A very long commentary", body=body)
    Article.objects.update(search_vector=None)
    assert titles(client, FIRST) == []
    out = io.StringIO()
    call_command("reindex_search", stdout=out)
    assert out.getvalue() == "Reindexed 1 commentaries.\n"
    assert titles(client, FIRST) == ["A very long commentary"]


def sample_with(body_text):
    text = SAMPLE.read_text(encoding="utf-8").replace("\xa0", " ").split("\n")
    at = next(i for i, line in enumerate(text) if line.startswith("     "))
    text[at] = "     " + body_text.replace("\n\n", "\n     ")
    return "\n".join(text)


@pytest.mark.usefixtures("importer")
def test_a_page_with_a_huge_body_imports_and_is_found(tmp_path, client, body):
    page = tmp_path / "huge.txt"
    page.write_text(sample_with(body), encoding="utf-8")
    out = io.StringIO()
    call_command("import_commentaries", str(page), user="importer", stdout=out)
    assert "1 created, 0 updated, 0 unchanged, 0 failed." in out.getvalue()
    article = Article.objects.get()
    assert LAST in client.get(article.get_absolute_url()).content.decode()
    assert [a.number for a in search.search(Article.objects.published(), FIRST)] == [434]


@pytest.mark.usefixtures("importer")
def test_an_export_with_a_huge_body_restores_into_an_empty_database(
    tmp_path, make_article, client, body
):
    make_article(title="A very long commentary", body=body)
    call_command("export_commentaries", str(tmp_path / "site.zip"), stdout=io.StringIO())
    TranslationLink.objects.all().delete()
    Article.objects.all().delete()
    Series.objects.all().delete()
    Author.objects.all().delete()
    out = io.StringIO()
    call_command("import_commentaries", str(tmp_path / "site.zip"), user="importer", stdout=out)
    assert "1 created" in out.getvalue()
    assert titles(client, FIRST) == ["A very long commentary"]


# As in production, in autocommit: the refused write leaves the connection usable.
refused = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@refused
@pytest.mark.usefixtures("importer")
def test_an_import_the_database_refuses_reports_why_instead_of_a_traceback(
    tmp_path, body, monkeypatch
):
    # The index as it was before INDEXED_LENGTH: Postgres itself refuses the body.
    monkeypatch.setitem(search.INDEXED_LENGTH, "body", 10**8)
    page = tmp_path / "huge.txt"
    page.write_text(sample_with(body), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="The import broke off: string is too long for tsvector"):
        call_command("import_commentaries", str(page), user="importer", stdout=out, stderr=err)
    assert "created: " in out.getvalue()  # what was done before it stopped, as a report


@refused
def test_an_admin_import_run_that_breaks_off_ends_as_failed_with_its_reason(
    staff, client_for, body, monkeypatch
):
    monkeypatch.setitem(search.INDEXED_LENGTH, "body", 10**8)
    editor = client_for(staff("Editor"))
    upload = SimpleUploadedFile("huge.txt", sample_with(body).encode())
    added = editor.post(reverse("admin:archive_importrun_add"), {"uploads": [upload]})
    assert added.status_code == 302
    run = ImportRun.objects.get()
    assert run.state == "checked"  # a dry run builds no search entry
    confirm = editor.post(reverse("admin:archive_importrun_confirm", args=[run.pk]))
    assert confirm.status_code == 302
    run.refresh_from_db()
    assert run.state == "failed"
    assert run.report[-1]["outcome"] == "failed"
    assert run.report[-1]["detail"].startswith(
        "the import broke off: string is too long for tsvector"
    )
    page = editor.get(reverse("admin:archive_importrun_change", args=[run.pk]))
    assert "Failed: see the report" in page.content.decode()
    assert "Traceback" not in page.content.decode()
