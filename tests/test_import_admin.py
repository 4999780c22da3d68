"""The import page in the admin: upload, dry run report, confirm; Editors only."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains

from archive.models import ImportRun
from articles.models import Article, Series
from authors.models import Author
from translations.models import TranslationLink

pytestmark = pytest.mark.django_db

PAGES = Path(__file__).parent / "pages"
ADD_URL = reverse("admin:archive_importrun_add")


def member(django_user_model, name, role):
    user = django_user_model.objects.create_user(name, password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def upload(*names, broken=False):
    files = [SimpleUploadedFile(name, (PAGES / name).read_bytes()) for name in names]
    if broken:
        text = (PAGES / "en_434.txt").read_text().replace("2017.04.18", "2017.04.99")
        files.append(SimpleUploadedFile("broken.txt", text.encode()))
    return {"uploads": files, "as_draft": ""}


def confirm_url(run):
    return reverse("admin:archive_importrun_confirm", args=[run.pk])


def test_an_editor_sees_the_dry_run_then_confirms_the_import(django_user_model, client):
    editor = member(django_user_model, "erin", "Editor")
    response = editor.post(ADD_URL, upload("en_434.txt", "ja_434.txt", broken=True), follow=True)
    assert response.status_code == 200
    run = ImportRun.objects.get()
    assert run.state == "checked"
    assertContains(response, "Dry run, nothing saved: 2 created, 0 updated, 0 unchanged, 1 failed.")
    assertContains(
        response,
        "<td>broken.txt</td><td>12</td><td>unreadable date “2017.04.99 (Tue)”: no such day</td>",
    )
    assertContains(response, "/en/speaking-out/434/")
    assertContains(response, "Confirm: import now")
    assert not Article.objects.exists()

    response = editor.post(confirm_url(run), follow=True)
    assertContains(response, "2 created, 0 updated, 0 unchanged, 1 failed.")
    run.refresh_from_db()
    assert (run.state, run.imported_by.username, bytes(run.data)) == ("imported", "erin", b"")
    assert run.summary == "2 created, 0 updated, 0 unchanged, 1 failed."
    assert client.get("/en/speaking-out/434/").status_code == 200
    assert [entry["outcome"] for entry in run.report] == ["failed", "created", "created"]

    response = editor.post(confirm_url(run), follow=True)
    assertContains(response, "This upload was imported already.")
    assert Article.objects.count() == 2


def test_an_upload_can_be_imported_as_drafts(django_user_model, client):
    editor = member(django_user_model, "erin", "Editor")
    editor.post(ADD_URL, {**upload("en_434.txt"), "as_draft": "on"})
    editor.post(confirm_url(ImportRun.objects.get()))
    assert Article.objects.get().status == "draft"
    assert client.get("/en/speaking-out/434/").status_code == 404


def test_an_upload_without_files_is_a_form_error(django_user_model):
    editor = member(django_user_model, "erin", "Editor")
    response = editor.post(ADD_URL, {"as_draft": ""})
    assert response.status_code == 200
    assertContains(response, "Choose at least one file.")
    assert not ImportRun.objects.exists()


@pytest.mark.parametrize("role", ["Writer", "Translator"])
def test_only_editors_may_import(django_user_model, role):
    other = member(django_user_model, "someone", role)
    assert other.get(ADD_URL).status_code == 403
    assert other.post(ADD_URL, upload("en_434.txt")).status_code == 403
    run = ImportRun.objects.create(files="en_434.txt", data=(PAGES / "en_434.txt").read_bytes())
    assert other.post(confirm_url(run)).status_code == 403
    assert other.get(reverse("admin:archive_importrun_change", args=[run.pk])).status_code == 403
    run.refresh_from_db()
    assert run.state == "checked" and not Article.objects.exists()


def test_an_upload_too_large_for_the_page_is_sent_to_the_command(django_user_model, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    editor = member(django_user_model, "erin", "Editor")
    response = editor.post(ADD_URL, upload("en_434.txt"))
    assertContains(response, "use the import_commentaries command for more")
    assert not ImportRun.objects.exists()


def test_an_export_of_this_site_can_be_uploaded_too(django_user_model, client, tmp_path):
    editor = member(django_user_model, "erin", "Editor")
    editor.post(ADD_URL, upload("en_434.txt", "ja_434.txt"))
    editor.post(confirm_url(ImportRun.objects.get()))
    call_command("export_commentaries", str(tmp_path / "site.zip"), verbosity=0)
    TranslationLink.objects.all().delete()
    Article.objects.all().delete()
    Series.objects.all().delete()
    Author.objects.all().delete()

    data = (tmp_path / "site.zip").read_bytes()
    response = editor.post(ADD_URL, {"uploads": [SimpleUploadedFile("site.zip", data)]})
    run = ImportRun.objects.latest()
    assert run.summary == "Dry run, nothing saved: 2 created, 0 updated, 0 unchanged, 0 failed."
    assert response.status_code == 302 and not Article.objects.exists()
    editor.post(confirm_url(run))
    assert client.get("/en/speaking-out/434/").status_code == 200
    assert TranslationLink.objects.get().translation.language == "en"


def test_a_japanese_editor_reads_the_report_in_japanese(django_user_model):
    editor = member(django_user_model, "erin", "Editor")
    editor.defaults["HTTP_ACCEPT_LANGUAGE"] = "ja"
    response = editor.post(ADD_URL, upload("ja_434.txt", broken=True), follow=True)
    assertContains(response, "試行（何も保存していません）：作成 1、更新 0、変更なし 0、失敗 1。")
    assertContains(response, "日付「2017.04.99 (Tue)」を読めません：存在しない日です")
    assertContains(response, "確定：今すぐ取り込む")
