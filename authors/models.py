import re
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.i18n import address, localized
from core.images import CleansUploads, safe_extension, validate_image
from core.models import ContentManageable


def photo_path(author, filename):
    return f"authors/{uuid.uuid4().hex}{safe_extension(filename)}"


class Author(CleansUploads, ContentManageable):
    """A person who writes for the institute: a record, not a login, so guests need no account."""

    name_ja = models.CharField(_("name (Japanese)"), max_length=100, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        help_text=_("Used in the author's web address, e.g. kenro-nagoshi. Latin letters only."),
    )
    photo = models.ImageField(
        _("photo"),
        upload_to=photo_path,
        blank=True,
        validators=[validate_image],
        help_text=_("A portrait in JPEG, PNG or WebP, at most 10 MB."),
    )
    bio_ja = models.TextField(
        _("bio line (Japanese)"),
        blank=True,
        help_text=_("Current titles and affiliations, printed at the end of new commentaries."),
    )
    bio_en = models.TextField(
        _("bio line (English)"),
        blank=True,
        help_text=_(
            'Current titles, without the name: "Planning Committee Member at the Japan '
            'Institute for National Fundamentals and Professor at ..."'
        ),
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Inactive authors keep their archive but are left off the authors list."),
    )

    cleaned_images = {"photo": ()}

    class Meta:
        ordering = ["name_en", "name_ja"]
        get_latest_by = "created"
        verbose_name = _("author")
        verbose_name_plural = _("authors")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(name_ja="", name_en=""), name="author_has_a_name"
            ),
        ]
        indexes = [models.Index(fields=["is_active", "name_en"], name="author_active_name_idx")]

    def __str__(self):
        return self.name_en or self.name_ja

    def get_absolute_url(self):
        return address("authors:detail", slug=self.slug)

    @property
    def name(self):
        return localized(self, "name")

    @property
    def bio(self):
        return localized(self, "bio")

    def bio_line(self, language):
        """The closing line of a commentary: 'Kenro Nagoshi is Professor at ...'."""
        name = localized(self, "name", language)
        bio = self.without_name(getattr(self, f"bio_{language}", "").strip())
        if not bio:
            return ""
        if language == "ja":
            return f"{name}　{bio}"
        return f"{name} is {bio.rstrip('.')}."

    def without_name(self, bio):
        """The bio without a name it starts with: the old site's bios are whole sentences
        ("Kenro Nagoshi is Professor at …", "名越健郎　拓殖大学教授"), and the line adds the
        name itself."""
        for name in filter(None, [self.name_en, self.name_ja]):
            spaced = r"\s*".join(re.escape(part) for part in name.split())
            start = re.match(
                rf"{spaced}(?![A-Za-z])(?:\s*(?:is\b|,|、|は))?\s*", bio, re.IGNORECASE
            )
            if start and start.end() < len(bio):
                return bio[start.end() :]
        return bio
