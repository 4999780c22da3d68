import re
import uuid
from datetime import datetime

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Max, Min, Prefetch
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from taggit.managers import TaggableManager
from taggit.models import NaturalKeyManager, TagBase, TaggedItemBase

from authors.models import Author
from core.i18n import address, localized
from core.images import (
    RENDITION_WIDTHS,
    CleansUploads,
    ImageField,
    renditions,
    safe_extension,
    validate_image,
)
from core.markup import render_markdown
from core.models import ContentManageable, ContentQuerySet
from core.text import CleansText

# Paths under /<lang>/ that a series slug would shadow.
RESERVED_SLUGS = {"authors", "archive", "tags", "search", "feed", "preview", "admin", "media"}

TAG = re.compile(r"""<(?:[^>"']|"[^"]*"|'[^']*')*>""")  # quoted values may hold a ">"
JAPANESE_CHARACTERS_PER_MINUTE = 500
ENGLISH_WORDS_PER_MINUTE = 220


def image_path(article, filename):
    # A random name: nothing of the uploader's file name reaches the disk or the page.
    return f"articles/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{safe_extension(filename)}"


def whole_seconds(moment):
    # HTML's <time datetime> allows at most three decimals; readers never see a fraction.
    return moment.replace(microsecond=0) if isinstance(moment, datetime) else moment


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


# The states of a piece, as named conditions (Q) read against the clock: the one place the
# public rule is written. Article.objects.published(), in_state(), the desk's visible() and the
# cache's time bound are built from them; Article.status_now is their twin for one row in
# memory (tests/test_rules_time.py pins the two together at each instant).


def is_live():
    """Published and not in the trash, whatever the clock says."""
    return models.Q(deleted_at__isnull=True, status=Article.Status.PUBLISHED)


def has_started(now):
    return models.Q(published_at__lte=now)


def has_ended(now):
    return models.Q(unpublish_at__lte=now)


def is_public(now):
    """What the public may see at `now`: live, started, not ended."""
    return is_live() & has_started(now) & ~has_ended(now)


def state_conditions(now):
    """{Article.State: Q}, pending changes read from the has_pending annotation."""
    published = models.Q(status=Article.Status.PUBLISHED)
    pending = models.Q(has_pending=True)
    running = published & has_started(now) & ~has_ended(now)
    return {
        Article.State.DRAFT: models.Q(status=Article.Status.DRAFT),
        Article.State.REVIEW: models.Q(status=Article.Status.REVIEW),
        Article.State.SCHEDULED: published & ~has_started(now) & ~has_ended(now),
        Article.State.LIVE: running & ~pending,
        Article.State.CHANGED: running & pending,
        Article.State.UNPUBLISHED: models.Q(status=Article.Status.ARCHIVED)
        | (published & has_ended(now)),
    }


LONGEST_BOUND = 3600


def seconds_until_next_publication():
    """How long what the public sees now stays true: until the next scheduled start or end of
    publication of a live piece. The one bound of every cache of public content
    (settings.PAGE_CACHE_TTL_BOUND)."""
    now = timezone.now()
    coming = Article.objects.live().aggregate(
        start=Min("published_at", filter=~has_started(now)),
        end=Min("unpublish_at", filter=~has_ended(now)),
    )
    upcoming = min((moment for moment in coming.values() if moment), default=None)
    if upcoming is None:
        return LONGEST_BOUND
    return min(LONGEST_BOUND, (upcoming - now).total_seconds())


# What a card shows (a list's entry, a related piece, a neighbour): a list never fetches the
# rest of a row (the body twice over, the search vector).
CARD_FIELDS = [
    *("series", "number", "language", "title", "lead", "published_at"),
    *("image", "image_alt", "image_width", "image_height"),
    *("series__slug", "series__name_en", "series__name_ja"),
]


def bylines():
    """An article's bylines with what pages show of their authors (names and addresses)."""
    fields = ("article", "author", "position", "author__slug", "author__name_en", "author__name_ja")
    return Prefetch("bylines", queryset=Byline.objects.select_related("author").only(*fields))


class ArticleQuerySet(ContentQuerySet):
    def update(self, **kwargs):
        if kwargs.get("published_at"):
            kwargs["published_at"] = whole_seconds(kwargs["published_at"])
        return super().update(**kwargs)

    def untrashed(self):
        return self.filter(deleted_at__isnull=True)

    def trashed(self):
        return self.filter(deleted_at__isnull=False)

    def live(self):
        return self.filter(is_live())

    def published(self):
        """What the public may see: published, not scheduled for later, not past its end, not
        in the trash. One filter() call: every page asks it, and each call copies the query."""
        return self.filter(is_public(timezone.now()))

    def in_state(self, state):
        """Articles in one of Article.State: what the admin's list and filter show."""
        return self.with_pending().filter(state_conditions(timezone.now())[state])

    def with_pending(self):
        """Annotates has_pending: whether an unpublished change waits (see Revision.pending)."""
        from .editorial import Revision

        pending = Revision.objects.filter(article=models.OuterRef("pk"), pending=True)
        return self.annotate(has_pending=models.Exists(pending))

    def in_language(self, language=None):
        return self.filter(language=language or translation.get_language())

    def for_listing(self):
        """Whole rows with their series and authors, fetched in two queries."""
        return self.select_related("series").defer("search_vector").prefetch_related(bylines())

    def for_cards(self):
        """What a list of cards shows (CARD_FIELDS), with the authors."""
        return self.for_listing().only(*CARD_FIELDS)

    def with_topics(self):
        """For pages that show topics too (a commentary, a feed entry)."""
        return self.for_listing().prefetch_related(
            Prefetch("tagged_items", queryset=TaggedArticle.objects.select_related("tag"))
        )


class Article(CleansUploads, ContentManageable):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("status", "Draft")
        REVIEW = "review", pgettext_lazy("status", "In review")
        PUBLISHED = "published", pgettext_lazy("status", "Published")
        ARCHIVED = "archived", pgettext_lazy("status", "Unpublished")

    class State(models.TextChoices):
        """Where a piece stands for its readers: the status, read against the clock."""

        DRAFT = "draft", pgettext_lazy("state", "Draft")
        REVIEW = "review", pgettext_lazy("state", "In review")
        SCHEDULED = "scheduled", pgettext_lazy("state", "Scheduled")
        LIVE = "live", pgettext_lazy("state", "Live")
        CHANGED = "changed", pgettext_lazy("state", "Live, with unpublished changes")
        UNPUBLISHED = "unpublished", pgettext_lazy("state", "Unpublished")

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
        help_text=_("One or two sentences that sum the piece up, for lists, feeds and search."),
    )
    body = models.TextField(
        _("body"),
        help_text=_(
            "Markdown: a blank line between paragraphs, “## ” before a sub-heading, "
            "[text](https://…) for a link."
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
        self.body_html = render_markdown(self.body)
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

    @property
    def numbered_title(self):
        return str(self)

    @property
    def ordered_authors(self):
        return [byline.author for byline in self.bylines.all()]

    @property
    def topics(self):
        # Through the prefetched rows of for_listing(): taggit's own prefetch of `tags`
        # builds a manager per article, which costs more than the query it saves.
        return sorted((item.tag for item in self.tagged_items.all()), key=Tag.sort_key)

    @property
    def reading_minutes(self):
        # The body's HTML comes from render_markdown(), cleaned by nh3: dropping its tags
        # leaves its text, for counting, at a fraction of strip_tags()'s cost (an HTML parser
        # run over the whole body on every page).
        text = TAG.sub("", self.body_html)
        if self.language == "ja":
            units, per_minute = len("".join(text.split())), JAPANESE_CHARACTERS_PER_MINUTE
        else:
            units, per_minute = len(text.split()), ENGLISH_WORDS_PER_MINUTE
        return max(1, round(units / per_minute))

    def default_author_note(self):
        lines = (author.bio_line(self.language) for author in self.ordered_authors)
        return "\n".join(line for line in lines if line)

    def related(self, limit=3):
        """Public pieces in the same language that share the most tags with this one, as
        cards without authors."""
        tags = [item.tag_id for item in self.tagged_items.all()]  # prefetched by the pages
        return (
            Article.objects.published()
            .filter(language=self.language, tagged_items__tag__in=tags)
            .exclude(pk=self.pk)
            .annotate(shared_tags=Count("pk"))
            .order_by("-shared_tags", "-published_at")
            .select_related("series")
            .only(*CARD_FIELDS)[:limit]
        )

    def neighbours(self):
        """The previous and next public pieces in the same series and language, as cards
        without authors."""
        siblings = Article.objects.published().filter(
            series_id=self.series_id, language=self.language
        )
        before = siblings.filter(number__lt=self.number).order_by("-number").values("pk")[:1]
        after = siblings.filter(number__gt=self.number).order_by("number").values("pk")[:1]
        both = Article.objects.filter(models.Q(pk=before) | models.Q(pk=after))
        both = both.select_related("series").only(*CARD_FIELDS)
        found = {article.number < self.number: article for article in both}
        return found.get(True), found.get(False)


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
