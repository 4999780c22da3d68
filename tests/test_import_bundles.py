"""A hostile export bundle (a bomb, an oversized record, bad media, names the site already
has) is refused with a report, and the site, its disk and its cache are as they were; a dry
run writes nothing anywhere; imports at the same moment are one after the other."""

import io
import json
import threading
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection
from PIL import Image

from archive import bundle
from archive.importer import Importer
from archive.sources import from_upload
from articles.models import Article, Series, Tag
from authors.models import Author
from core.pagecache import GENERATION_KEY
from tests.conftest import postgres_only
from translations.models import TranslationLink

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("importer")]

HEADER = {"type": "export", "format": "thinktank-export", "version": 1}


def picture(size=(1200, 800), color="teal", image_format="PNG", mode="RGB", **options):
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, format=image_format, **options)
    return buffer.getvalue()


@pytest.fixture
def export(make_article, author, tmp_path):
    """The export (.zip) of a site of one illustrated commentary, as {member: bytes}."""
    article = make_article(image_alt="A map", image_caption="The region", image_credit="Us")
    article.image.save("map.png", ContentFile(picture(), name="map.png"))
    author.photo.save("portrait.png", ContentFile(picture((400, 400), "navy"), name="p.png"))
    call_command("export_commentaries", str(tmp_path / "site.zip"), stdout=io.StringIO())
    with zipfile.ZipFile(tmp_path / "site.zip") as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    Article.objects.all().delete()
    Series.objects.all().delete()
    Author.objects.all().delete()
    for name in list(stored_files()):
        default_storage.delete(name)
    return members


def stored_files():
    root = Path(default_storage.location)
    return {
        str(path.relative_to(root)): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in root.rglob("*")
        if path.is_file()
    }


def records(members):
    return [json.loads(line) for line in members["commentaries.jsonl"].decode().splitlines()]


def zipped(path, members):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def with_records(members, rows):
    lines = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    return {**members, "commentaries.jsonl": lines.encode()}


def imported(path, dry_run=False):
    """(exit ok, stdout, stderr) of import_commentaries."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(
            "import_commentaries", str(path), user="importer", dry_run=dry_run,
            stdout=out, stderr=err,
        )  # fmt: skip
    except CommandError as error:
        return False, out.getvalue(), err.getvalue() + str(error)
    return True, out.getvalue(), err.getvalue()


def image_name(members):
    return next(row["image"] for row in records(members) if row["type"] == "article")


def test_the_untouched_export_imports(export, tmp_path, client):
    ok, out, _err = imported(zipped(tmp_path / "good.zip", export))
    assert ok and "1 created" in out
    assert client.get("/en/speaking-out/434/").status_code == 200


def test_a_zip_that_would_expand_past_the_cap_is_refused_before_reading(
    export, tmp_path, monkeypatch
):
    monkeypatch.setattr(bundle, "MAX_EXPANDED_BYTES", 1024 * 1024)
    members = {**export, "media/padding.bin": b"\0" * (2 * 1024 * 1024)}
    ok, _out, err = imported(zipped(tmp_path / "bomb.zip", members))
    assert not ok
    assert "would expand to 2.0\xa0MB, more than the 1.0\xa0MB an import reads" in err
    assert not Article.objects.exists() and not Author.objects.exists()
    assert stored_files() == {}


def test_a_zip_of_too_many_files_is_refused(export, tmp_path, monkeypatch):
    monkeypatch.setattr(bundle, "MAX_MEMBERS", len(export))
    members = {**export, "media/one-too-many.txt": b"x"}
    ok, _out, err = imported(zipped(tmp_path / "many.zip", members))
    assert not ok and f"holds {len(export) + 1} files, more than the" in err
    assert not Article.objects.exists()


def test_one_enormous_record_is_skipped_unread_and_never_held_in_memory(export, tmp_path):
    lines = export["commentaries.jsonl"].splitlines(keepends=True)
    huge = b'{"type": "tag", "name": "' + b"a" * (200 * 1024 * 1024) + b'"}\n'
    members = {**export, "commentaries.jsonl": b"".join([lines[0], huge, *lines[1:]])}
    path = zipped(tmp_path / "huge-record.zip", members)
    assert path.stat().st_size < 2 * 1024 * 1024  # a small upload, a bomb inside
    tracemalloc.start()
    try:
        ok, out, err = imported(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert not ok
    assert "huge-record.zip:2: a record larger than 16.0\xa0MB: not read" in err
    assert "1 created" in out  # the rest of the export is read all the same
    assert peak < 64 * 1024 * 1024


def bad_image_cases():
    gps = Image.Exif()
    gps[0x8825] = {2: (35.0, 41.0, 0.0)}  # GPSInfo: a latitude
    return {
        "metadata": (picture(image_format="PNG", exif=gps.tobytes()), "carries metadata"),
        "not-an-image": (b"<?php echo 1; ?>", "not a valid or complete image"),
        "too-many-pixels": (
            picture((5000, 5000), 0, mode="L"),
            "(24 megapixels)",
        ),
        "wrong-format": (picture(image_format="GIF"), "is a GIF, not what its name says"),
    }


@pytest.mark.parametrize("case", sorted(bad_image_cases()))
def test_bad_media_is_refused_as_an_upload_would_be(export, tmp_path, case):
    data, reason = bad_image_cases()[case]
    name = image_name(export)
    members = {**export, f"media/{name}": data}
    ok, _out, err = imported(zipped(tmp_path / f"{case}.zip", members))
    assert not ok and reason in err, err
    assert not Article.objects.exists()
    assert name not in stored_files()
    # The author's photo was fine: stored with its row; nothing else is on disk.
    assert set(stored_files()) == {Author.objects.get().photo.name}


def test_a_file_larger_than_an_upload_is_refused_unread(export, tmp_path):
    name = image_name(export)
    members = {**export, f"media/{name}": b"\0" * (10 * 1024 * 1024 + 1)}
    ok, _out, err = imported(zipped(tmp_path / "large.zip", members))
    assert not ok and f"the file “{name}” is 10.0\xa0MB; an image may have 10.0\xa0MB" in err
    assert not Article.objects.exists()


def test_a_copy_that_is_not_its_width_is_refused(export, tmp_path):
    name = image_name(export)
    copy = name.rsplit(".", 1)[0] + "-480w.webp"
    members = {**export, f"media/{copy}": picture((500, 300), image_format="WEBP")}
    ok, _out, err = imported(zipped(tmp_path / "copy.zip", members))
    assert not ok and "is not 480 pixels wide" in err


def test_a_dry_run_writes_no_file_no_row_and_no_cache(export, tmp_path):
    path = zipped(tmp_path / "site.zip", export)
    generation = cache.get(GENERATION_KEY)
    ok, out, _err = imported(path, dry_run=True)
    assert ok and "Dry run, nothing saved: 1 created" in out
    assert stored_files() == {}
    assert not Article.objects.exists() and not Author.objects.exists()
    assert cache.get(GENERATION_KEY) == generation


def test_a_bundle_never_replaces_a_file_the_site_has(export, tmp_path):
    """The site has a picture under the name the bundle gives another: neither the dry run
    nor the import changes it, and the dry run writes no other file either."""
    name = image_name(export)
    default_storage.save(name, ContentFile(picture(color="red")))
    before = stored_files()
    path = zipped(tmp_path / "clash.zip", export)
    ok, _out, err = imported(path, dry_run=True)
    assert not ok and f"a different file “{name}” is on the site already" in err
    assert stored_files() == before
    ok, _out, err = imported(path)
    assert not ok and f"a different file “{name}” is on the site already" in err
    assert stored_files()[name] == before[name]
    assert not Article.objects.exists()


def test_a_clash_with_the_site_is_reported_in_words_not_database_text(export, tmp_path):
    Tag.objects.create(name="Russia", slug="russia")
    rows = [*records(export), {"type": "tag", "name": "Russia", "slug": "russia-2", "name_ja": ""}]
    ok, _out, err = imported(zipped(tmp_path / "tags.zip", with_records(export, rows)))
    assert not ok
    assert "refused: it clashes with what the site already has" in err
    assert "duplicate key" not in err and "IntegrityError" not in err and "DETAIL" not in err


PAGES = ["en_434.txt", "ja_434.txt"]


def pages_zip():
    folder = Path(__file__).parent / "pages"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for number in range(6):
            for name in PAGES:
                text = (folder / name).read_text(encoding="utf-8")
                text = text.replace("434", str(600 + number))
                text = text.replace("Kenro Nagoshi", f"Racer Number{number}")
                text = text.replace("名越健郎", f"競走{number}")
                archive.writestr(f"{number}-{name}", text)
    return buffer.getvalue()


@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_imports_at_once_make_no_duplicate_author(importer):
    data = pages_zip()

    def run(reports, barrier):
        try:
            barrier.wait()
            reports.append(Importer(user=importer).run(from_upload("racers.zip", data)))
        finally:
            connection.close()

    for _attempt in range(5):
        reports, barrier = [], threading.Barrier(2)
        threads = [threading.Thread(target=run, args=(reports, barrier)) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert len(reports) == 2
        assert sorted(report.failed for report in reports) == [0, 0]
        slugs = sorted(Author.objects.values_list("slug", flat=True))
        assert len(slugs) == 6 and not any(slug.endswith("-2") for slug in slugs), slugs
        assert Article.objects.count() == 12
        TranslationLink.objects.all().delete()
        Article.objects.all().delete()
        Author.objects.all().delete()
        Series.objects.all().delete()


def test_a_japanese_editor_reads_why_a_bundle_is_refused_in_japanese(
    export, staff, client_for, monkeypatch
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from archive.models import ImportRun

    monkeypatch.setattr(bundle, "MAX_EXPANDED_BYTES", 1024 * 1024)
    buffer = io.BytesIO()
    zipped(buffer, {**export, "media/padding.bin": b"\0" * (2 * 1024 * 1024)})
    editor = client_for(staff("Editor"), language="ja")
    upload = SimpleUploadedFile("site.zip", buffer.getvalue())
    editor.post(reverse("admin:archive_importrun_add"), {"uploads": [upload]})
    run = ImportRun.objects.get()
    assert run.report[0]["detail"].startswith("展開すると2.0")
    assert "読み込める1.0" in run.report[0]["detail"]
    assert not Article.objects.exists()
