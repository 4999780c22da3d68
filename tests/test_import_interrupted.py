"""An admin import run whose server stopped it (a killed worker) never stays "importing":
past INTERRUPTED_AFTER it is shown, and kept, as failed, saying why."""

from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from archive.models import INTERRUPTED_AFTER, ImportRun

pytestmark = pytest.mark.django_db
PAGE = Path(__file__).parent / "pages" / "en_434.txt"


def test_a_run_stopped_by_the_server_ends_as_failed(staff, client_for):
    editor = client_for(staff("Editor"))
    upload = SimpleUploadedFile("page.txt", PAGE.read_bytes())
    editor.post(reverse("admin:archive_importrun_add"), {"uploads": [upload]})
    run = ImportRun.objects.get()
    started = timezone.now()
    # As the confirm view claims it; then the worker is killed before it can save the end.
    ImportRun.objects.filter(pk=run.pk).update(state="importing", imported=started)

    with time_machine.travel(started + INTERRUPTED_AFTER - timedelta(minutes=1)):
        editor.get(reverse("admin:archive_importrun_changelist"))
        run.refresh_from_db()
        assert run.state == "importing"  # it may still be running

    with time_machine.travel(started + INTERRUPTED_AFTER + timedelta(minutes=1)):
        page = editor.get(reverse("admin:archive_importrun_change", args=[run.pk]))
    run.refresh_from_db()
    assert run.state == "failed"
    assert run.summary.startswith("Interrupted: the server stopped the import before it ended.")
    assert "Interrupted: the server stopped the import" in page.content.decode()


def test_a_confirmed_import_records_when_it_began(staff, client_for):
    editor = client_for(staff("Editor"))
    upload = SimpleUploadedFile("page.txt", PAGE.read_bytes())
    editor.post(reverse("admin:archive_importrun_add"), {"uploads": [upload]})
    run = ImportRun.objects.get()
    editor.post(reverse("admin:archive_importrun_confirm", args=[run.pk]))
    run.refresh_from_db()
    assert run.state == "imported" and run.imported is not None
    ImportRun.end_interrupted(now=timezone.now() + INTERRUPTED_AFTER * 2)
    run.refresh_from_db()
    assert run.state == "imported"  # only runs left "importing" are ended
