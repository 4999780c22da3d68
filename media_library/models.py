"""The media library: images as records, with alt text and caption in each language, usable
in any number of commentaries in either language. Stored and copied as lead images are
(core.images): cleaned of metadata, with WebP copies for srcset."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.i18n import localized
from core.images import (
    RENDITION_WIDTHS,
    CleansUploads,
    ImageField,
    renditions,
    safe_extension,
    validate_image,
)
from core.text import CleansText


def image_path(image, filename):
    # A random name: nothing of the uploader's file name reaches the disk or the page.
    return f"library/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{safe_extension(filename)}"


class ImageQuerySet(models.QuerySet):
    def matching(self, text):
        """Images whose alt text, caption or credit holds `text` (in either language)."""
        text = (text or "").strip()
        if not text:
            return self
        fields = ["alt_en", "alt_ja", "caption_en", "caption_ja", "credit"]
        query = models.Q()
        for field in fields:
            query |= models.Q(**{f"{field}__icontains": text})
        return self.filter(query)


class Image(CleansUploads, CleansText, models.Model):
    file = ImageField(
        _("image"),
        upload_to=image_path,
        width_field="width",
        height_field="height",
        validators=[validate_image],
        help_text=_("JPEG, PNG, WebP or GIF, at most 10 MB. Location data is removed."),
    )
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    alt_en = models.CharField(
        _("alt text (English)"),
        max_length=300,
        blank=True,
        help_text=_("What the image shows, for readers who cannot see it."),
    )
    alt_ja = models.CharField(_("alt text (Japanese)"), max_length=300, blank=True)
    caption_en = models.CharField(_("caption (English)"), max_length=300, blank=True)
    caption_ja = models.CharField(_("caption (Japanese)"), max_length=300, blank=True)
    credit = models.CharField(
        _("credit"), max_length=200, blank=True, help_text=_("e.g. “Photo: Kyodo”.")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        related_name="+",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
    )
    created = models.DateTimeField(_("uploaded"), auto_now_add=True, db_index=True)

    objects = ImageQuerySet.as_manager()
    cleaned_images = {"file": RENDITION_WIDTHS}

    class Meta:
        ordering = ["-created", "-id"]
        get_latest_by = "created"
        verbose_name = _("image")
        verbose_name_plural = _("images")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(alt_en="", alt_ja=""),
                name="media_image_has_alt_text",
                violation_error_message=_(
                    "Describe the image (alt text) in one language at least."
                ),
            ),
        ]

    def __str__(self):
        return localized(self, "alt") or f"#{self.pk}"

    def alt(self, language):
        return localized(self, "alt", language)

    def caption(self, language):
        return localized(self, "caption", language)

    @property
    def renditions(self):
        """[(url, width)] of the WebP copies, smallest first."""
        return renditions(self.file, self.width or 0) if self.file else []

    @property
    def srcset(self):
        copies = [*self.renditions, (self.file.url, self.width)] if self.width else []
        return ", ".join(f"{url} {width}w" for url, width in copies)

    @property
    def thumb(self):
        copies = self.renditions
        return copies[0][0] if copies else self.file.url

    def as_json(self):
        return {
            "id": self.pk,
            "src": self.file.url,
            "thumb": self.thumb,
            "width": self.width,
            "height": self.height,
            "alt_en": self.alt_en,
            "alt_ja": self.alt_ja,
            "caption_en": self.caption_en,
            "caption_ja": self.caption_ja,
            "credit": self.credit,
        }
