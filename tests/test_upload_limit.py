"""One upload limit (settings.UPLOAD_MAX_BYTES): what the import page promises is what the
form accepts and what core.middleware.refuse_large_bodies lets through; over it, the form
answers in the editor's language, and only a body far over it gets a 413."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.test.client import MULTIPART_CONTENT, encode_multipart
from django.urls import reverse
from django.utils import translation
from pytest_django.asserts import assertContains

from archive.models import ImportRun

pytestmark = pytest.mark.django_db
ADD_URL = reverse("admin:archive_importrun_add")
BOUNDARY = "BoUnDaRy"


def post_files(client, *sizes):
    files = [SimpleUploadedFile(f"page{i}.txt", b"x" * size) for i, size in enumerate(sizes)]
    body = encode_multipart(BOUNDARY, {"uploads": files, "as_draft": ""})
    return client.post(ADD_URL, body, content_type=f"multipart/form-data; boundary={BOUNDARY}")


@pytest.fixture
def editor_client(staff, client_for):
    return client_for(staff("Editor"))


def test_the_import_page_promises_the_limit_the_site_has(editor_client, settings):
    limit = filesizeformat(settings.UPLOAD_MAX_BYTES)
    assert limit == "12.0\xa0MB"
    assertContains(editor_client.get(ADD_URL), f"at most {limit} at once")
    assert settings.REQUEST_MAX_BYTES > settings.UPLOAD_MAX_BYTES


def test_an_upload_of_exactly_the_limit_reaches_the_form_and_is_checked(editor_client, settings):
    half = settings.UPLOAD_MAX_BYTES // 2
    response = post_files(editor_client, half, settings.UPLOAD_MAX_BYTES - half)
    assert response.status_code == 302
    run = ImportRun.objects.get()
    assert run.files == "page0.txt, page1.txt"
    assert run.state == "checked"


def test_one_byte_over_the_limit_is_a_form_error_not_a_413(editor_client, settings):
    response = post_files(editor_client, settings.UPLOAD_MAX_BYTES + 1)
    assert response.status_code == 200
    limit = filesizeformat(settings.UPLOAD_MAX_BYTES)
    assertContains(response, f"At most {limit} at once: use the import_commentaries command")
    assert not ImportRun.objects.exists()


def test_the_form_error_is_in_japanese_for_a_japanese_editor(staff, client_for, settings):
    client = client_for(staff("Editor"), language="ja")
    response = post_files(client, settings.UPLOAD_MAX_BYTES + 1)
    with translation.override("ja"):
        limit = filesizeformat(settings.UPLOAD_MAX_BYTES)
    assertContains(response, f"一度に{limit}までです")


def test_a_body_past_the_limit_and_the_forms_framing_is_refused_unread(editor_client, settings):
    response = editor_client.generic(
        "POST",
        ADD_URL,
        b"",
        content_type=MULTIPART_CONTENT,
        CONTENT_LENGTH=str(settings.REQUEST_MAX_BYTES + 1),
    )
    assert response.status_code == 413
    assert not ImportRun.objects.exists()
