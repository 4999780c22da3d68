"""The files of an export, checked as uploads are before a row names them, and stored only
by a real import: a dry run checks them in memory and writes nothing anywhere.

An export's files were cleaned when they were uploaded (core.images: re-encoded without
metadata, under the name of their detected format), so they are kept byte for byte, which
keeps pages the same after a round trip; a file that is not so (metadata an upload would
have lost, a name that is not its format, a copy that is not its WebP width) is refused.
A stored file is never replaced: a different file under a name the site already has is
refused, so an import cannot change a picture live pages show.
"""

from io import BytesIO
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from PIL import Image

from core.images import extension, validate_image

METADATA = {"exif", "xmp", "XML:com.adobe.xmp", "comment", "comments"}


def safe_name(name):
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts


def checked(name, data, width=None):
    """(width, height) of the picture `data`, refused (ValidationError) as an upload would
    be, or if it is not as the site stores its files; `width`: what a copy must be."""
    validate_image(ContentFile(data, name=name))
    with Image.open(BytesIO(data)) as image:
        found = {key for key in image.info if key in METADATA} | set(getattr(image, "text", {}))
        if image.getexif() or found:
            raise ValidationError(
                _("the file “%(name)s” carries metadata (EXIF, XMP, comments) an upload loses")
                % {"name": name}
            )
        expected = ".webp" if width else extension(image.format)
        if PurePosixPath(name).suffix.lower() != expected or (width and image.format != "WEBP"):
            raise ValidationError(
                _("the file “%(name)s” is a %(format)s, not what its name says")
                % {"name": name, "format": image.format}
            )
        if width and image.width != width:
            raise ValidationError(
                _("the copy “%(name)s” is not %(width)d pixels wide")
                % {"name": name, "width": width}
            )
        return image.size


class MediaWriter:
    """Stores the files of one record; forgets them again if its row is not written."""

    def __init__(self, dry_run):
        self.dry_run = dry_run
        self.pending = []  # stored for the record being restored

    def put(self, name, data):
        """Stores `data` under `name` (a real import only), or refuses a different file
        already stored under that name."""
        if default_storage.exists(name):
            with default_storage.open(name, "rb") as file:
                if file.read() != data:
                    raise ValidationError(
                        _("a different file “%(name)s” is on the site already") % {"name": name}
                    )
            return
        if self.dry_run:
            return
        stored = default_storage.save(name, ContentFile(data))
        self.pending.append(stored)
        if stored != name:  # the storage chose another name: the row could not name it
            raise ValidationError(_("the file “%(name)s” cannot be stored") % {"name": name})

    def kept(self):
        """The record's row is written: its files stay."""
        self.pending = []

    def discard(self):
        """The record's row was refused: its files go."""
        for name in self.pending:
            default_storage.delete(name)
        self.pending = []
