"""Uploaded images: checked before they reach storage, then stored re-encoded, without any
metadata, under a name whose extension is that of the detected format, with WebP copies.

Memory: a picture is decoded once, at full size, to be re-encoded; MAX_PIXELS (24
megapixels, 6000×4000) bounds that at 96 MB (four bytes a pixel), twice that while the
copies of a transparent one are made (Pillow resamples RGBA on a premultiplied copy).
Measured peaks over a worker's own: about 150 MB for a 24 MP JPEG, 220 MB for a 24 MP RGBA
PNG. The checks before decode a JPEG at an eighth of its size.
"""

from io import BytesIO
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

# Detected format -> (format to store it in, extension). MPO is a phone's multi-picture
# JPEG: its first picture is kept, as a plain JPEG.
FORMATS = {
    "JPEG": ("JPEG", ".jpg"),
    "MPO": ("JPEG", ".jpg"),
    "PNG": ("PNG", ".png"),
    "WEBP": ("WEBP", ".webp"),
    "GIF": ("GIF", ".gif"),
}
MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 24_000_000
MAX_SIDE = 16_383  # WebP's limit, for the copies
RENDITION_WIDTHS = (480, 960, 1600)


def validate_image(file):
    """Refuse anything but a real, whole image of sane size, before it reaches storage."""
    if getattr(file, "_committed", False):
        return  # already stored: it was checked when it was uploaded
    if file.size > MAX_BYTES:
        raise ValidationError(
            _("The image is %(size)s; the limit is %(limit)s."),
            params={"size": filesizeformat(file.size), "limit": filesizeformat(MAX_BYTES)},
            code="too_large",
        )
    try:
        file.seek(0)
        with Image.open(file) as image:
            if image.format not in FORMATS:
                raise ValidationError(
                    _("Upload a JPEG, PNG, WebP or GIF image."), code="bad_format"
                )
            check_size(*image.size)
            image.draft("RGB", (image.width // 8, image.height // 8))  # JPEG only
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(_("The image is too large to process."), code="bomb") from error
    except (OSError, SyntaxError, ValueError) as error:
        raise ValidationError(
            _("The file is not a valid or complete image."), code="invalid_image"
        ) from error
    finally:
        file.seek(0)


def check_size(width, height):
    if width * height > MAX_PIXELS:
        raise ValidationError(
            _(
                "The image is %(width)s×%(height)s pixels, more than allowed "
                "(%(limit)s megapixels)."
            ),
            params={"width": width, "height": height, "limit": MAX_PIXELS // 1_000_000},
            code="too_many_pixels",
        )
    if max(width, height) > MAX_SIDE:
        raise ValidationError(
            _("The image is %(width)s×%(height)s pixels; no side may exceed %(limit)s."),
            params={"width": width, "height": height, "limit": MAX_SIDE},
            code="too_long",
        )


def extension(image_format):
    return FORMATS.get(image_format, ("JPEG", ".jpg"))[1]


def safe_extension(filename):
    suffix = Path(filename).suffix.lower()
    return suffix if suffix in {ext for _format, ext in FORMATS.values()} else ".jpg"


def rendition_name(name, width):
    return f"{Path(name).with_suffix('')}-{width}w.webp"


def renditions(field_file, width):
    """[(url, width)] of the smaller copies made for an image `width` pixels wide."""
    return [
        (field_file.storage.url(rendition_name(field_file.name, size)), size)
        for size in RENDITION_WIDTHS
        if size < width
    ]


def encode(image, image_format, **options):
    buffer = BytesIO()
    image.save(buffer, format=image_format, **options)
    return buffer.getvalue()


def smaller(image, width):
    """A copy `width` pixels wide. Boxes of pixels are averaged first, down to twice that
    width, so the resampling (which for RGBA copies the whole picture) works on a small one."""
    factor = image.width // (2 * width)
    if factor > 1:
        image = image.reduce(factor)
    return image.resize((width, round(image.height * width / image.width) or 1))


def cleaned(source, widths):
    """(format, bytes of the picture without metadata and turned upright, its size,
    {width: WebP copy})."""
    with Image.open(source) as image:
        image_format, stored_format = image.format, FORMATS[image.format][0]
        ImageOps.exif_transpose(image, in_place=True)
        icc_profile = image.info.get("icc_profile")
        # Nothing of the original's metadata is written again (EXIF, XMP, comments, text
        # chunks): only what is needed to show the picture as it was.
        image.info = {key: image.info[key] for key in ["transparency"] if key in image.info}
        if stored_format == "JPEG" and image.mode not in ("RGB", "L", "CMYK"):
            image = image.convert("RGB")
        original = encode(image, stored_format, quality=88, icc_profile=icc_profile)
        if widths and image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if image.has_transparency_data else "RGB")
        copies = {width: encode(smaller(image, width), "WEBP", quality=80)
                  for width in widths if width < image.width}  # fmt: skip
    return image_format, original, image.size, copies


def store_cleaned(field_file, widths):
    """Replaces the file of a fresh upload (or one just stored by FieldFile.save) with its
    cleaned copy, named for its detected format, and stores its WebP copies beside it."""
    with field_file.open("rb") as source:
        image_format, original, size, copies = cleaned(source, widths)
    if field_file._committed:
        field_file.storage.delete(field_file.name)
    field_file.save(f"upload{extension(image_format)}", ContentFile(original), save=False)
    # Upright, the picture may have turned: its size is the new one.
    field = field_file.field
    for name, value in zip([field.width_field, field.height_field], size, strict=True):
        if name:
            setattr(field_file.instance, name, value)
    for width, content in copies.items():
        field_file.storage.save(rendition_name(field_file.name, width), ContentFile(content))


def delete_with_copies(field_file):
    storage, name = field_file.storage, field_file.name
    for stored in [name, *(rendition_name(name, width) for width in RENDITION_WIDTHS)]:
        storage.delete(stored)


class ImageField(models.ImageField):
    """An ImageField that never opens its file when a row is loaded: its width and height
    fields are filled when an image is stored (CleansUploads) and read from the row, so a
    page costs no file access, and a missing file cannot break it."""

    def update_dimension_fields(self, instance, force=False, *args, **kwargs):
        if force:
            super().update_dimension_fields(instance, force, *args, **kwargs)


class CleansUploads:
    """Model mixin: a newly given image (from a form, or FieldFile.save in code) is stored
    cleaned, before the row is written; if the row cannot be written, nothing stays on disk.
    `cleaned_images` maps field names to the widths of the copies to make."""

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
        try:
            for name in fresh:
                store_cleaned(getattr(self, name), self.cleaned_images[name])
            super().save(*args, **kwargs)
        except BaseException:
            for name in fresh:
                if getattr(self, name)._committed:
                    delete_with_copies(getattr(self, name))
            raise
        self._stored_names = {name: getattr(self, name).name for name in self.cleaned_images}
