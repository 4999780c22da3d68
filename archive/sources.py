"""Where pages come from: files, folders and .zip archives, as (name, text, error); an
export of this system (commentaries.jsonl and its media) comes as one Bundle in place of text,
read as the import goes (archive.bundle: capped, streamed).
"""

import io
import zipfile
from pathlib import Path

from django.utils.translation import gettext as _

from .bundle import BundleError, check_zip, file_lines, folder_media, zip_lines, zip_media
from .export import MEDIA, RECORDS
from .snapshot import Bundle

MAX_PAGE_BYTES = 10 * 1024 * 1024
ENCODINGS = ("utf-8-sig", "cp932")  # the old site's Japanese pages may be Shift_JIS
PAGE_SUFFIXES = {".txt"}


def decode(name, data):
    if len(data) > MAX_PAGE_BYTES:
        return name, None, _("larger than 10 MB: not a page")
    for encoding in ENCODINGS:
        try:
            return name, data.decode(encoding), None
        except UnicodeDecodeError:
            continue
    return name, None, _("not text in UTF-8 or Shift_JIS")


def from_zip(name, file):
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError) as error:
        yield name, None, _("not a readable .zip: %(error)s") % {"error": error}
        return
    try:
        check_zip(archive)
    except BundleError as error:
        archive.close()
        yield name, None, str(error)
        return
    if RECORDS in archive.namelist():
        yield name, zip_bundle(archive), None
        return
    with archive:
        for member in sorted(archive.infolist(), key=lambda member: member.filename):
            if member.is_dir() or Path(member.filename).suffix.lower() not in PAGE_SUFFIXES:
                continue
            label = f"{name}:{member.filename}" if name else member.filename
            if member.file_size > MAX_PAGE_BYTES:
                yield label, None, _("larger than 10 MB: not a page")
                continue
            try:
                data = archive.read(member)
            except (zipfile.BadZipFile, OSError, RuntimeError) as error:
                yield label, None, _("cannot be read from the .zip: %(error)s") % {"error": error}
                continue
            yield decode(label, data)


def zip_bundle(archive):
    return Bundle(zip_lines(archive, RECORDS), zip_media(archive, MEDIA))


def folder_bundle(records):
    return Bundle(file_lines(records), folder_media(records.parent / MEDIA))


def from_upload(name, data):
    """The pages in an uploaded file: a .zip of pages, or one page."""
    if zipfile.is_zipfile(io.BytesIO(data)):
        yield from from_zip(name, io.BytesIO(data))
    else:
        yield decode(name, data)


def from_paths(paths):
    for path in map(Path, paths):
        if path.is_dir() and (path / RECORDS).is_file():
            yield str(path), folder_bundle(path / RECORDS), None
        elif path.suffix == ".jsonl" and path.is_file():
            yield str(path), folder_bundle(path), None
        elif path.is_dir():
            files = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in PAGE_SUFFIXES
            )
            for file in files:
                yield from from_file(file)
        elif path.is_file():
            yield from from_file(path)
        else:
            yield str(path), None, _("no such file or folder")


def from_file(path):
    if zipfile.is_zipfile(path):
        yield from from_zip(str(path), path)
        return
    try:
        if path.stat().st_size > MAX_PAGE_BYTES:
            yield str(path), None, _("larger than 10 MB: not a page")
            return
        data = path.read_bytes()
    except OSError as error:
        yield str(path), None, _("cannot be read: %(error)s") % {"error": error.strerror}
        return
    yield decode(str(path), data)
