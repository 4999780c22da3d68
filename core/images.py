from io import BytesIO
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000


def validate_image(file):
    """Refuse anything but a real, whole image of sane size, before it reaches storage."""
    if file.size > MAX_BYTES:
        raise ValidationError(
            _("The image is %(size)s; the limit is %(limit)s."),
            params={"size": filesizeformat(file.size), "limit": filesizeformat(MAX_BYTES)},
            code="too_large",
        )
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        with Image.open(file) as image:
            if image.format not in ALLOWED_FORMATS:
                raise ValidationError(
                    _("Upload a JPEG, PNG, WebP or GIF image."), code="bad_format"
                )
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    _("The image is %(width)s×%(height)s pixels, more than allowed."),
                    params={"width": width, "height": height},
                    code="too_many_pixels",
                )
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(_("The image is too large to process."), code="bomb") from error
    except (OSError, SyntaxError, ValueError) as error:
        raise ValidationError(
            _("The file is not a valid or complete image."), code="invalid_image"
        ) from error
    finally:
        file.seek(position)


EXTENSIONS = {".jpg", ".jpeg", ".png", ".webp", ".gif"}
RENDITION_WIDTHS = (480, 960, 1600)


def safe_extension(filename):
    extension = Path(filename).suffix.lower()
    return extension if extension in EXTENSIONS else ".jpg"


def rendition_name(name, width):
    return f"{Path(name).with_suffix('')}-{width}w.webp"


def renditions(field_file, width):
    """[(url, width)] of the smaller copies made for an image `width` pixels wide."""
    return [
        (field_file.storage.url(rendition_name(field_file.name, size)), size)
        for size in RENDITION_WIDTHS
        if size < width
    ]


def strip_and_render(field_file, widths=RENDITION_WIDTHS):
    """Rewrites a stored upload without its metadata (EXIF, GPS location, comments), turned
    upright, and writes smaller WebP copies beside it for srcset."""
    storage, name = field_file.storage, field_file.name
    with storage.open(name, "rb") as stored, Image.open(stored) as opened:
        image_format = opened.format
        image = ImageOps.exif_transpose(opened)
        image.load()
    if image_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    replace(storage, name, image, image_format)
    for width in widths:
        if width < image.width:
            copy = image.copy()
            copy.thumbnail((width, image.height))
            replace(storage, rendition_name(name, width), copy, "WEBP")


def replace(storage, name, image, image_format):
    buffer = BytesIO()
    # No exif= or pnginfo= argument: Pillow writes none of the original metadata.
    image.save(buffer, format=image_format, quality=88)
    if storage.exists(name):
        storage.delete(name)
    storage.save(name, ContentFile(buffer.getvalue()))


class CleansUploads:
    """Model mixin: a newly stored image (from a form, or FieldFile.save in code) is
    rewritten without metadata once saved. `cleaned_images` maps field names to the widths
    of the copies to make."""

    cleaned_images = {}

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        loaded = dict(zip(field_names, values, strict=True))
        instance._stored_names = {name: loaded.get(name) for name in cls.cleaned_images}
        return instance

    def save(self, *args, **kwargs):
        stored = getattr(self, "_stored_names", {})
        fresh = [
            name
            for name in self.cleaned_images
            if getattr(self, name)
            and (not getattr(self, name)._committed or getattr(self, name).name != stored.get(name))
        ]
        super().save(*args, **kwargs)
        for name in fresh:
            strip_and_render(getattr(self, name), widths=self.cleaned_images[name])
        self._stored_names = {name: getattr(self, name).name for name in self.cleaned_images}
