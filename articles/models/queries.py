"""The states of a commentary and the queries every page builds from them."""

from datetime import datetime

from django.db import models
from django.db.models import Min, Prefetch
from django.utils import timezone, translation
from django.utils.translation import pgettext_lazy

from core.models import ContentQuerySet


def whole_seconds(moment):
    # HTML's <time datetime> allows at most three decimals; readers never see a fraction.
    return moment.replace(microsecond=0) if isinstance(moment, datetime) else moment


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


# The states of a piece, as named conditions (Q) read against the clock: the one place the
# public rule is written. Article.objects.published(), in_state(), the desk's visible() and the
# cache's time bound are built from them; Article.status_now is their twin for one row in
# memory (tests/test_rules_time.py pins the two together at each instant).


def is_live():
    """Published and not in the trash, whatever the clock says."""
    return models.Q(deleted_at__isnull=True, status=Status.PUBLISHED)


def has_started(now):
    return models.Q(published_at__lte=now)


def has_ended(now):
    return models.Q(unpublish_at__lte=now)


def is_public(now):
    """What the public may see at `now`: live, started, not ended."""
    return is_live() & has_started(now) & ~has_ended(now)


def state_conditions(now):
    """{Article.State: Q}, pending changes read from the has_pending annotation."""
    published = models.Q(status=Status.PUBLISHED)
    pending = models.Q(has_pending=True)
    running = published & has_started(now) & ~has_ended(now)
    return {
        State.DRAFT: models.Q(status=Status.DRAFT),
        State.REVIEW: models.Q(status=Status.REVIEW),
        State.SCHEDULED: published & ~has_started(now) & ~has_ended(now),
        State.LIVE: running & ~pending,
        State.CHANGED: running & pending,
        State.UNPUBLISHED: models.Q(status=Status.ARCHIVED) | (published & has_ended(now)),
    }


LONGEST_BOUND = 3600


# What a card shows (a list's entry, a related piece, a neighbour): a list never fetches the
# rest of a row (the body twice over, the search vector).
CARD_FIELDS = [
    *("series", "number", "language", "title", "lead", "published_at"),
    *("image", "image_alt", "image_width", "image_height"),
    *("series__slug", "series__name_en", "series__name_ja"),
]


BYLINE_FIELDS = ("article", "author", "position", "author__slug", "author__name_en",
                 "author__name_ja")  # fmt: skip


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

    def bylines(self):
        """The articles' bylines with what pages show of their authors (names, addresses)."""
        model = self.model.bylines.rel.related_model
        rows = model.objects.select_related("author").only(*BYLINE_FIELDS)
        return Prefetch("bylines", queryset=rows)

    def seconds_until_next_change(self):
        """How long what the public sees now stays true: until the next scheduled start or
        end of publication of a live piece (at most LONGEST_BOUND)."""
        now = timezone.now()
        coming = self.live().aggregate(
            start=Min("published_at", filter=~has_started(now)),
            end=Min("unpublish_at", filter=~has_ended(now)),
        )
        upcoming = min((moment for moment in coming.values() if moment), default=None)
        if upcoming is None:
            return LONGEST_BOUND
        return min(LONGEST_BOUND, (upcoming - now).total_seconds())

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
        return self.select_related("series").defer("search_vector").prefetch_related(self.bylines())

    def for_cards(self):
        """What a list of cards shows (CARD_FIELDS), with the authors."""
        return self.for_listing().only(*CARD_FIELDS)

    def tagged_rows(self):
        model = self.model.tagged_items.rel.related_model
        return model.objects.select_related("tag")

    def with_topics(self):
        """For pages that show topics too (a commentary, a feed entry)."""
        return self.for_listing().prefetch_related(
            Prefetch("tagged_items", queryset=self.tagged_rows())
        )
