"""import_commentaries run after run: idempotence, dry runs, failures, drafts, sanitising."""

import io
import shutil
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError
from django.urls import reverse

from archive import importer as importer_module
from articles import actions, search
from articles.models import Article, Revision, Series, WorkflowEvent
from authors.models import Author
from tests.conftest import postgres_only
from tests.forms import article_form
from translations.models import TranslationLink

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("importer")]

PAGES = Path(__file__).parent / "pages"


def run(*paths, **options):
    options.setdefault("user", "importer")
    out, err = io.StringIO(), io.StringIO()
    call_command("import_commentaries", *map(str, paths), stdout=out, stderr=err, **options)
    return out.getvalue()


def run_failing(*paths, **options):
    options.setdefault("user", "importer")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_commentaries", *map(str, paths), stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def pages(tmp_path):
    folder = tmp_path / "pages"
    shutil.copytree(PAGES, folder)
    return folder


def state():
    return {
        "articles": sorted(Article.objects.values_list("pk", "version", "updated", "body")),
        "revisions": Revision.objects.count(),
        "events": WorkflowEvent.objects.count(),
        "authors": sorted(Author.objects.values_list("pk", "updated")),
        "series": sorted(Series.objects.values_list("pk", "updated")),
        "links": sorted(TranslationLink.objects.values_list("pk", "updated")),
    }


def test_a_new_piece_is_published_with_its_history(pages, editor):
    run(pages / "en_434.txt", user="editor")
    article = Article.objects.get()
    assert article.is_published()
    revision = article.revisions.get()
    assert revision.note == f"Imported from {pages / 'en_434.txt'}"
    assert revision.user == editor
    event = article.events.get()
    assert (event.from_status, event.to_status, event.user) == ("draft", "published", editor)


def test_importing_the_same_pages_again_changes_nothing(pages):
    assert "2 created, 0 updated, 0 unchanged, 0 failed." in run(pages)
    before = state()
    assert "0 created, 0 updated, 2 unchanged, 0 failed." in run(pages)
    assert state() == before


def test_a_changed_page_updates_its_commentary_and_keeps_a_revision(pages, client):
    run(pages)
    english = pages / "en_434.txt"
    english.write_text(english.read_text().replace("for five hours", "for nearly five hours"))
    output = run(pages)
    assert "0 created, 1 updated, 1 unchanged, 0 failed." in output
    assert "/en/speaking-out/434/ body" in output
    article = Article.objects.get(language="en")
    assert article.version == 2
    assert [r.note for r in article.revisions.all()] == [
        f"Re-imported from {english}",
        f"Imported from {english}",
    ]
    assert "for five hours" in article.revisions.last().body
    assert "for nearly five hours" in client.get("/en/speaking-out/434/").content.decode()


def test_a_dry_run_reports_what_would_change_and_saves_nothing(pages):
    output = run(pages, dry_run=True)
    assert f"created: {pages / 'en_434.txt'}: /en/speaking-out/434/" in output
    assert "Dry run, nothing saved: 2 created, 0 updated, 0 unchanged, 0 failed." in output
    assert not Article.objects.exists()
    assert not Author.objects.exists() and not Series.objects.exists()

    run(pages)
    english = pages / "en_434.txt"
    english.write_text(english.read_text().replace("2017.04.18 (Tue)", "2017.04.19 (Wed)"))
    before = state()
    assert "/en/speaking-out/434/ published_at" in run(pages, dry_run=True)
    assert state() == before


def test_an_unreadable_page_is_reported_and_the_run_goes_on(pages):
    english = (pages / "en_434.txt").read_text()
    (pages / "no_title.txt").write_text(english.replace("【#434】U.S., Russia May Adjust", "U.S."))
    (pages / "bad_date.txt").write_text(english.replace("2017.04.18 (Tue)", "2017.04.31 (Mon)"))
    (pages / "latin1.txt").write_bytes("caf\xe9 \x81".encode("latin-1"))
    output, errors = run_failing(pages)
    assert f"failed: {pages / 'no_title.txt'}:10: no title line" in errors
    assert f"failed: {pages / 'bad_date.txt'}:12: unreadable date “2017.04.31 (Mon)”" in errors
    assert f"failed: {pages / 'latin1.txt'}: not text in UTF-8 or Shift_JIS" in errors
    assert "2 created, 0 updated, 0 unchanged, 3 failed." in output
    assert Article.objects.count() == 2


def test_a_page_that_fails_midway_leaves_nothing_behind(pages, monkeypatch):
    japanese = pages / "ja_434.txt"
    japanese.write_text(japanese.read_text().replace("今週の直言", "新しい連載"))
    real_link = importer_module.link_by_number

    def link(article, user):
        if article.language == "ja":
            raise DatabaseError("the disk is full")
        return real_link(article, user)

    monkeypatch.setattr(importer_module, "link_by_number", link)
    output, errors = run_failing(pages)
    assert f"failed: {japanese}: refused: the disk is full" in errors
    assert "1 created, 0 updated, 0 unchanged, 1 failed." in output
    # The Japanese page's new series, new author and commentary are all gone.
    assert list(Article.objects.values_list("language", flat=True)) == ["en"]
    assert list(Series.objects.values_list("name_en", flat=True)) == ["Speaking Out"]
    assert list(Author.objects.values_list("name_en", "name_ja")) == [("Kenro Nagoshi", "")]


def test_as_draft_imports_pieces_the_public_cannot_see(pages, client):
    run(pages, as_draft=True)
    assert set(Article.objects.values_list("status", flat=True)) == {"draft"}
    assert client.get("/en/speaking-out/434/").status_code == 404
    assert "434" not in client.get("/en/feed/").content.decode()
    # An import never changes a status: an editor publishes or unpublishes.
    assert "2 unchanged" in run(pages)
    assert set(Article.objects.values_list("status", flat=True)) == {"draft"}


def test_a_zip_of_pages_is_imported_like_a_folder(pages, tmp_path):
    archive = tmp_path / "pages.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for page in sorted(pages.iterdir()):
            zipped.write(page, f"old-site/{page.name}")
        zipped.writestr("old-site/broken.txt", b"\xff\xfe\xfa")
    output, errors = run_failing(archive)
    assert "2 created, 0 updated, 0 unchanged, 1 failed." in output
    assert f"{archive}:old-site/broken.txt: not text" in errors


PAYLOAD = (
    '<script>alert(1)</script><a href="javascript:alert(2)" onclick="steal()">a link</a> '
    '<img src="x" onerror="alert(3)"> and <b>bold</b> text.'
)


def test_html_in_a_page_is_sanitised_exactly_as_an_editors_text(
    pages, editor_client, series, author, client
):
    english = pages / "en_434.txt"
    english.write_text(english.read_text().replace("When U.S. Secretary", f"{PAYLOAD} When"))
    run(english)
    imported = Article.objects.get()
    # Stored as the editor's schema (core.body): the link's text and the bold kept.
    assert "<strong>bold</strong> text." in imported.body and "<script" not in imported.body

    form = article_form(series, author, number="500", body=imported.body)
    response = editor_client.post(reverse("admin:articles_article_add"), form)
    assert response.status_code == 302
    typed = Article.objects.get(number=500)
    assert imported.body_html == typed.body_html
    for unsafe in ("<script", "alert(1)", "javascript:", "onclick", "onerror", "<b>"):
        assert unsafe not in imported.body_html
    html = client.get("/en/speaking-out/434/").content.decode()
    assert "alert(" not in html and 'rel="noopener noreferrer nofollow">a link</a>' in html


@postgres_only
def test_imported_pieces_are_found_by_search(pages, client):
    run(pages)
    assert Article.objects.filter(search_vector__isnull=True).count() == 0
    english = client.get("/en/search/", {"q": "Tillerson Kenro"})
    assert [a.number for a in english.context["page_obj"]] == [434]
    japanese = client.get("/ja/search/", {"q": "作業部会 名越"})
    assert [a.language for a in japanese.context["page_obj"]] == ["ja"]


@postgres_only
def test_the_batched_search_entry_equals_the_one_made_on_save(article):
    saved = Article.objects.values_list("search_vector", flat=True).get(pk=article.pk)
    Article.objects.filter(pk=article.pk).update(search_vector=None)
    search.reindex([article.pk])
    assert Article.objects.values_list("search_vector", flat=True).get(pk=article.pk) == saved


def test_an_import_is_made_as_a_named_editor_and_mails_nobody(pages, mailoutbox, importer):
    importer.email = "importer@example.com"
    importer.save()
    with pytest.raises(CommandError, match="--user USERNAME"):
        call_command("import_commentaries", str(pages), user="", verbosity=0)
    run(pages)
    assert Article.objects.count() == 2 and mailoutbox == []


def test_a_writer_may_import_drafts_but_not_publish(pages, django_user_model):
    from django.contrib.auth.models import Group

    writer = django_user_model.objects.create_user("wanda", is_staff=True)
    writer.groups.add(Group.objects.get(name="Writer"))
    with pytest.raises(CommandError, match="wanda may not publish"):
        call_command("import_commentaries", str(pages), user="wanda", verbosity=0)
    assert not Article.objects.exists()
    # Nor add series or authors: every list shows them. Editors make them first.
    output, errors = run_failing(pages, user="wanda", as_draft=True)
    assert "Only editors add or rename series" in errors
    assert not Article.objects.exists() and not Series.objects.exists()
    Series.objects.create(slug="speaking-out", name_en="Speaking Out", name_ja="今週の直言")
    Author.objects.create(slug="kenro-nagoshi", name_en="Kenro Nagoshi", name_ja="名越健郎")
    run(pages, user="wanda", as_draft=True)
    # Drafts with no date (only editors set dates), not paired (translators and editors do).
    assert set(Article.objects.values_list("status", "created_by__username", "published_at")) == {
        ("draft", "wanda", None)
    }
    assert not TranslationLink.objects.exists()


def test_a_page_whose_commentary_is_in_the_trash_is_refused_not_revived(pages, client):
    run(pages)
    actions.trash(Article.objects.get(language="en"), actions.SYSTEM)
    output, errors = run_failing(pages)
    assert "in the trash: an editor restores it, or purges it" in errors
    assert "0 created, 0 updated, 1 unchanged, 1 failed." in output
    assert client.get("/en/speaking-out/434/").status_code == 404


def test_cached_pages_show_what_an_import_changed_at_once(pages, client):
    assert "U.S., Russia" not in client.get("/en/").content.decode()  # now in the page cache
    run(pages)
    assert "U.S., Russia May Adjust" in client.get("/en/").content.decode()
    detail = client.get("/en/speaking-out/434/").content.decode()
    english = pages / "en_434.txt"
    english.write_text(english.read_text().replace("May Adjust Relations", "Could Mend Ties"))
    run(pages)
    assert detail != client.get("/en/speaking-out/434/").content.decode()
    assert "Could Mend Ties" in client.get("/en/").content.decode()
    assert "Could Mend Ties" in client.get("/en/feed/").content.decode()
