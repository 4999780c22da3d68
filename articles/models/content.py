import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from authors.models import Author
from core import body as body_markup
from core import lead as lead_markup
from core.i18n import address
from core.images import (
    RENDITION_WIDTHS,
    CleansUploads,
    ImageField,
    renditions,
    safe_extension,
    validate_image,
)
from core.models import ContentManageable

from .queries import ArticleQuerySet, State, Status, whole_seconds
from .reading import Reading
from .site import Series, TaggedArticle


def image_path(article, filename):
    # A random name: nothing of the uploader's file name reaches the disk or the page.
    return f"articles/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{safe_extension(filename)}"


class Article(Reading, CleansUploads, ContentManageable):
    Status = Status
    State = State

    series = models.ForeignKey(
        Series, verbose_name=_("series"), related_name="articles", on_delete=models.PROTECT
    )
    number = models.PositiveIntegerField(
        _("number"),
        help_text=_(
            "The number in the series, e.g. 434. A Japanese original and its English "
            "translation share the same number."
        ),
    )
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(
        _("slug"),
        max_length=255,
        blank=True,
        help_text=_(
            "A short Latin-letter label for editors, feeds and file names. "
            "Web addresses use the series and number, never the slug."
        ),
    )
    authors = models.ManyToManyField(
        Author, through="Byline", verbose_name=_("authors"), related_name="articles"
    )
    lead = models.TextField(
        _("lead"),
        blank=True,
        help_text=_(
            "One or two sentences that sum the piece up, for lists, feeds and search: bold, "
            "italic and links are kept, as text where a page wants text."
        ),
    )
    body = models.TextField(
        _("body"),
        help_text=_(
            "Paste from Word, Google Docs or a web page: headings, bold, italic, links, lists "
            "and tables are kept. “## ” at the start of a line makes a sub-heading."
        ),
    )
    body_html = models.TextField(editable=False, default="")
    author_note = models.TextField(
        _("author bio as published"),
        blank=True,
        help_text=_(
            "The closing bio line, kept as it was when the piece appeared. Left empty, it is "
            "filled from the authors' current bios."
        ),
    )
    tags = TaggableManager(_("tags"), through=TaggedArticle, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(
        _("publication date"),
        null=True,
        blank=True,
        help_text=_("A time in the future schedules the piece: it appears by itself then."),
    )
    unpublish_at = models.DateTimeField(
        _("end of publication"),
        null=True,
        blank=True,
        help_text=_("Optional: at this time the piece leaves the site by itself."),
    )
    image = ImageField(
        _("lead image"),
        upload_to=image_path,
        width_field="image_width",
        height_field="image_height",
        blank=True,
        validators=[validate_image],
        help_text=_("JPEG, PNG, WebP or GIF, at most 10 MB. Location data is removed."),
    )
    image_alt = models.CharField(
        _("image description (alt text)"),
        max_length=300,
        blank=True,
        help_text=_(
            "What the image shows, in the article's language, for readers who cannot see it."
        ),
    )
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_caption = models.CharField(_("image caption"), max_length=300, blank=True)
    image_credit = models.CharField(_("image credit"), max_length=200, blank=True)
    # Deleting moves a commentary to the trash (articles.trash), hidden from every page.
    deleted_at = models.DateTimeField(_("moved to the trash"), null=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moved to the trash by"),
        related_name="+",
        null=True,
        editable=False,
        on_delete=models.SET_NULL,
    )
    # Optimistic locking: a save made from an outdated form is refused, not applied.
    version = models.PositiveIntegerField(default=1, editable=False)

    # Filled on Postgres by articles.search; the GIN index is made by a Postgres-only migration.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ArticleQuerySet.as_manager()
    cleaned_images = {"image": RENDITION_WIDTHS}

    class Meta:
        ordering = ["-published_at", "-number"]
        get_latest_by = "published_at"
        verbose_name = _("commentary")
        verbose_name_plural = _("commentaries")
        constraints = [
            models.UniqueConstraint(
                fields=["series", "number", "language"],
                name="article_unique_number_per_series_language",
                violation_error_message=_(
                    "This series already has a commentary with this number in this language."
                ),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(published_at__isnull=False),
                name="article_published_has_date",
                violation_error_message=_("A published commentary needs a publication date."),
            ),
            models.CheckConstraint(
                condition=models.Q(number__gte=1), name="article_number_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(unpublish_at__isnull=True)
                | models.Q(published_at__isnull=True)
                | models.Q(unpublish_at__gt=models.F("published_at")),
                name="article_ends_after_it_starts",
                violation_error_message=_("The end of publication must come after its start."),
            ),
            models.CheckConstraint(
                condition=models.Q(image="") | ~models.Q(image_alt=""),
                name="article_image_has_alt_text",
                violation_error_message=_("Describe the lead image (alt text)."),
            ),
        ]
        permissions = [("publish_article", _("Can publish, schedule and unpublish commentaries"))]
        indexes = [
            # In the lists' own order, with the id: Postgres pages through them on the index
            # alone (see PublishedArticleMixin.paginate_queryset).
            models.Index(
                fields=["language", "status", "-published_at", "-number"],
                include=["id", "unpublish_at"],
                condition=models.Q(deleted_at__isnull=True),
                name="article_lang_pub_idx",
            ),
            models.Index(
                fields=["series", "language", "status", "-published_at", "-number"],
                include=["id", "unpublish_at"],
                condition=models.Q(deleted_at__isnull=True),
                name="article_series_pub_idx",
            ),
            # A list reached through another table (a topic's taggings, an author's bylines)
            # tests each piece against the public rule and sorts them: on the index alone,
            # not the table, and not by walking a whole language's list.
            models.Index(
                fields=["id"],
                include=["language", "status", "published_at", "number", "unpublish_at"],
                condition=models.Q(deleted_at__isnull=True),
                name="article_public_by_id",
            ),
        ]

    def __str__(self):
        return f"【#{self.number}】{self.title}"

    def clean(self):
        super().clean()
        in_trash = Article.objects.trashed().filter(
            series_id=self.series_id, number=self.number, language=self.language
        )
        if self.series_id and self.number and in_trash.exclude(pk=self.pk).exists():
            raise ValidationError(
                {
                    "number": _(
                        "Commentary #%(number)s in this language is in the trash: an editor "
                        "can restore it, or purge it to free its number."
                    )
                    % {"number": self.number}
                }
            )

    def save(self, *args, **kwargs):
        self.lead = lead_markup.clean(self.lead)
        self.body_html = body_markup.render(self.body, self.language)
        if self.published_at:
            self.published_at = whole_seconds(self.published_at)
        if kwargs.get("update_fields") is not None and "body" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "body_html"}
        super().save(*args, **kwargs)

    @property
    def image_renditions(self):
        return renditions(self.image, self.image_width or 0) if self.image else []

    def get_absolute_url(self):
        return address(
            "articles:detail", self.language, series=self.series.slug, number=self.number
        )

    def get_preview_url(self):
        with translation.override(self.language):
            return reverse("articles:preview", kwargs={"pk": self.pk})

    def is_published(self):
        return self.deleted_at is None and self.status_now == self.State.LIVE

    is_published.boolean = True
    is_published.short_description = _("public now")

    @property
    def status_now(self):
        """One of Article.State, pending changes aside: state_conditions() for this row."""
        now = timezone.now()
        if self.status != self.Status.PUBLISHED:
            names = {self.Status.DRAFT: "DRAFT", self.Status.REVIEW: "REVIEW"}
            return self.State[names.get(self.status, "UNPUBLISHED")]
        if self.unpublish_at is not None and self.unpublish_at <= now:
            return self.State.UNPUBLISHED
        started = self.published_at is not None and self.published_at <= now
        return self.State.LIVE if started else self.State.SCHEDULED

    @property
    def state(self):
        """One of Article.State; has_pending comes from with_pending() or one query."""
        state = self.status_now
        if state != self.State.LIVE:
            return state
        if not hasattr(self, "has_pending"):
            self.has_pending = self.revisions.filter(pending=True).exists()
        return self.State.CHANGED if self.has_pending else state


Article._meta.get_field("lead").register_lookup(lead_markup.PlainText)  # the admin's search


def seconds_until_next_publication():
    """The one bound of every cache of public content (settings.PAGE_CACHE_TTL_BOUND)."""
    return Article.objects.seconds_until_next_change()


def bylines():
    """An article's bylines with what pages show of their authors (names and addresses)."""
    return Article.objects.bylines()


class TrashedArticle(Article):
    """The trash, as the admin lists it (articles.trash)."""

    class Meta:
        proxy = True
        verbose_name = _("commentary in the trash")
        verbose_name_plural = _("trash")


class Byline(models.Model):
    article = models.ForeignKey(
        Article, verbose_name=_("commentary"), related_name="bylines", on_delete=models.CASCADE
    )
    author = models.ForeignKey(
        Author, verbose_name=_("author"), related_name="bylines", on_delete=models.PROTECT
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("byline")
        verbose_name_plural = _("bylines")
        constraints = [
            models.UniqueConstraint(fields=["author", "article"], name="byline_unique_author"),
        ]

    def __str__(self):
        return f"{self.author} – {self.article}"
