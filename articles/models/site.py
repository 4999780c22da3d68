"""What every list of the site is sorted into: series and topics."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Max
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from taggit.models import NaturalKeyManager, TagBase, TaggedItemBase

from core.i18n import address, localized
from core.models import ContentManageable, ContentQuerySet
from core.text import CleansText

# Paths under /<lang>/ that a series slug would shadow.
RESERVED_SLUGS = {"authors", "archive", "tags", "search", "feed", "preview", "admin", "media"}


def validate_series_slug(value):
    if value in RESERVED_SLUGS:
        raise ValidationError(
            _("“%(slug)s” is used by another page of the site; choose another slug."),
            params={"slug": value},
        )


class Series(ContentManageable):
    slug = models.SlugField(
        _("slug"),
        max_length=60,
        unique=True,
        validators=[validate_series_slug],
        help_text=_("Used in web addresses, e.g. speaking-out."),
    )
    name_ja = models.CharField(_("name (Japanese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    description_ja = models.TextField(_("description (Japanese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    class Meta:
        ordering = ["name_en"]
        get_latest_by = "created"
        verbose_name = _("series")
        verbose_name_plural = _("series")

    def __str__(self):
        return self.name_en or self.name_ja

    def get_absolute_url(self):
        return address("articles:series", slug=self.slug)

    @property
    def name(self):
        return localized(self, "name")

    @property
    def description(self):
        return localized(self, "description")

    def next_number(self):
        highest = self.articles.aggregate(highest=Max("number"))["highest"]
        return (highest or 0) + 1


class Tag(CleansText, TagBase):
    """A topic; its name is English, with an optional Japanese name for Japanese pages.
    Names are shown as the editors wrote them ("Cyber", "Indo-Pacific")."""

    name_ja = models.CharField(_("name (Japanese)"), max_length=100, blank=True)
    reading_ja = models.CharField(
        _("reading of the Japanese name"),
        max_length=100,
        blank=True,
        help_text=_(
            "In hiragana, e.g. さいばー for サイバー: Japanese lists of topics are sorted by it. "
            "Left empty, the Japanese name itself is used."
        ),
    )

    # taggit's manager (natural keys), with update() starting a new generation of the pages.
    objects = NaturalKeyManager.from_queryset(ContentQuerySet)()

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def get_absolute_url(self):
        return address("articles:tag", slug=self.slug)

    def slugify(self, tag, i=None):
        # A name of symbols alone ("--", an emoji) has no slug of its own, and a page of
        # topics cannot link to an empty one: it becomes "tag", "tag_1"...
        return super().slugify(tag if slugify(tag, allow_unicode=True) else "tag", i)

    @property
    def label(self):
        if translation.get_language() == "ja" and self.name_ja:
            return self.name_ja
        return self.name

    def sort_key(self):
        """Where the topic goes in a list in the page's language: by reading in Japanese,
        alphabetically in English, whatever the case the editors wrote."""
        if translation.get_language() == "ja" and self.name_ja:
            return (0, self.reading_ja or self.name_ja)
        return (1, self.name.casefold())


class TaggedArticle(TaggedItemBase):
    content_object = models.ForeignKey(
        "Article", related_name="tagged_items", on_delete=models.CASCADE
    )
    tag = models.ForeignKey(Tag, related_name="tagged_articles", on_delete=models.CASCADE)

    class Meta:
        verbose_name = _("tagged commentary")
        verbose_name_plural = _("tagged commentaries")
        constraints = [
            models.UniqueConstraint(fields=["tag", "content_object"], name="tagged_article_unique"),
        ]
