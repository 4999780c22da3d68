"""An export read back safely: what a .zip may expand to is capped from its directory before
anything is read, and commentaries.jsonl is streamed a line at a time, each line capped, so
neither a zip bomb nor one enormous record is ever held in memory.

A zip member can never give more bytes than its directory says (zipfile stops there and
checks the CRC), so the declared sizes bound the work. The caps are far above a real export
(10,000 commentaries with their images come to about a tenth of them).
"""

import zipfile

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from core.images import MAX_BYTES as MAX_MEDIA_BYTES

MAX_MEMBERS = 100_000
MAX_EXPANDED_BYTES = 4 * 1024**3
# A record holds one commentary: at most the 10 MB a page may have, written as JSON.
MAX_RECORD_BYTES = 16 * 1024 * 1024
CHUNK = 1024 * 1024


class BundleError(Exception):
    """What makes a whole bundle unreadable, or one line of it (then yielded, not raised)."""


def check_zip(archive):
    """Raises BundleError if the archive would expand past the caps."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise BundleError(
            _("holds %(count)d files, more than the %(limit)d an import reads")
            % {"count": len(members), "limit": MAX_MEMBERS}
        )
    expanded = sum(member.file_size for member in members)
    if expanded > MAX_EXPANDED_BYTES:
        raise BundleError(
            _("would expand to %(size)s, more than the %(limit)s an import reads")
            % {"size": filesizeformat(expanded), "limit": filesizeformat(MAX_EXPANDED_BYTES)}
        )


def capped_lines(stream, limit=None):
    """The lines of a binary stream as text; in place of a line longer than `limit` bytes
    (MAX_RECORD_BYTES), or not UTF-8, a BundleError (the rest of that line is read past,
    never kept)."""
    limit = limit or MAX_RECORD_BYTES
    while line := stream.readline(limit + 1):
        if len(line) > limit and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):
                line = stream.readline(CHUNK)
            yield BundleError(
                _("a record larger than %(limit)s: not read") % {"limit": filesizeformat(limit)}
            )
            continue
        try:
            yield line.decode("utf-8")
        except UnicodeDecodeError:
            yield BundleError(_("not UTF-8 text"))


def zip_lines(archive, name):
    with archive.open(name) as stream:
        yield from capped_lines(stream)


def file_lines(path):
    with path.open("rb") as stream:
        yield from capped_lines(stream)


def zip_media(archive, prefix):
    """read_media(name) for the files of an archive: their bytes, None if missing; a file
    larger than an upload may be is refused from its declared size, unread."""
    sizes = {member.filename: member.file_size for member in archive.infolist()}

    def read_media(name):
        member = f"{prefix}/{name}"
        if member not in sizes:
            return None
        too_large(name, sizes[member])
        try:
            return archive.read(member)
        except (zipfile.BadZipFile, OSError, RuntimeError) as error:
            raise BundleError(
                _("the file “%(name)s” cannot be read from the .zip: %(error)s")
                % {"name": name, "error": error}
            ) from error

    return read_media


def folder_media(folder):
    def read_media(name):
        path = folder / name
        if not path.is_file():
            return None
        too_large(name, path.stat().st_size)
        return path.read_bytes()

    return read_media


def too_large(name, size):
    if size > MAX_MEDIA_BYTES:
        raise BundleError(
            _("the file “%(name)s” is %(size)s; an image may have %(limit)s")
            % {
                "name": name,
                "size": filesizeformat(size),
                "limit": filesizeformat(MAX_MEDIA_BYTES),
            }
        )
