"""The editorial record of a commentary: workflow steps, revisions, shared preview links."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from core import body as body_markup
from core import lead as lead_markup
from core.text import CleansText

from .content import Article


class Recorded(CleansText, models.Model):
    """Who did something to a commentary, and when: the workflow's and revisions' stamp."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    created = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-created", "-pk"]
        get_latest_by = "created"


class WorkflowEvent(Recorded):
    """A step of a commentary through the desk: who moved it, from where to where, why."""

    article = models.ForeignKey(
        Article, verbose_name=_("commentary"), related_name="events", on_delete=models.CASCADE
    )
    from_status = models.CharField(_("from"), max_length=20, choices=Article.Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=Article.Status.choices)
    comment = models.TextField(_("comment"), blank=True)

    class Meta(Recorded.Meta):
        verbose_name = _("workflow step")
        verbose_name_plural = _("workflow steps")

    def __str__(self):
        return f"{self.article}: {self.get_from_status_display()} → {self.get_to_status_display()}"


# What a revision keeps of a commentary, the one list every copy uses: the text fields are
# copied as they are, tags and authors as lists of names and ids.
TEXT_FIELDS = ("title", "lead", "body", "author_note")
# The parts of a piece whose change makes its translation out of date.
SUBSTANCE_FIELDS = ("title", "lead", "body")
REVISION_FIELDS = (*TEXT_FIELDS, "tags", "authors", "status", "published_at")


class RevisionQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(pending=True)


class Revision(Recorded):
    """What a commentary said at one save, authors and tags included, to compare or restore.

    A *pending* revision is a change to a live piece that is not live yet: the public reads
    the Article row, never a pending revision, until an Editor publishes it.
    """

    article = models.ForeignKey(
        Article, verbose_name=_("commentary"), related_name="revisions", on_delete=models.CASCADE
    )
    title = models.CharField(_("title"), max_length=255)
    lead = models.TextField(_("lead"), blank=True)
    body = models.TextField(_("body"))
    author_note = models.TextField(_("author bio as published"), blank=True)
    tags = models.JSONField(_("tags"), default=list)
    authors = models.JSONField(_("authors"), default=list)
    status = models.CharField(_("status"), max_length=20, choices=Article.Status.choices)
    published_at = models.DateTimeField(_("publication date"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    applied = models.BooleanField(
        _("applied"),
        default=True,
        help_text=_("False for an edit refused because someone else saved first: kept, not lost."),
    )
    pending = models.BooleanField(
        _("pending"),
        default=False,
        help_text=_("An unpublished change to a live piece, waiting to be published."),
    )
    submitted = models.BooleanField(
        _("submitted for review"), default=False, help_text=_("For a pending change.")
    )
    go_live_at = models.DateTimeField(
        _("publish the change at"),
        null=True,
        blank=True,
        help_text=_("For a pending change: when it replaces the live text."),
    )

    objects = RevisionQuerySet.as_manager()

    class Meta(Recorded.Meta):
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        indexes = [models.Index(fields=["article", "-created"], name="revision_article_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["article"], condition=models.Q(pending=True), name="revision_one_pending"
            ),
        ]

    def __str__(self):
        return f"{self.article} @ {self.created:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        self.lead = lead_markup.clean(self.lead)  # as the piece's: shown as HTML in a preview
        super().save(*args, **kwargs)

    @staticmethod
    def snapshot(article):
        """The REVISION_FIELDS of an article as it stands (authors and tags read from it)."""
        return {
            **{field: getattr(article, field) for field in TEXT_FIELDS},
            "tags": sorted(tag.name for tag in article.tags.all()),
            "authors": [byline.author_id for byline in article.bylines.all()],
            "status": article.status,
            "published_at": article.published_at,
        }

    @classmethod
    def record(cls, article, user=None, note="", **overrides):
        fields = {**cls.snapshot(article), **overrides}
        return cls.objects.create(article=article, user=user, note=note, **fields)

    def as_text(self, field):
        value = getattr(self, field)
        if isinstance(value, list):
            return "\n".join(str(item) for item in value)
        if field == "body":
            return body_markup.as_text(value)
        if field == "lead":
            return lead_markup.text(value)
        return str(value or "")


def show_pending(article):
    """Puts the pending change's text on the article in memory (never saved), for the form
    and the staff preview; returns the change, or None."""
    change = article.revisions.pending().first()
    if change is not None:
        for field in TEXT_FIELDS:
            setattr(article, field, getattr(change, field))
        article.body_html = body_markup.render(article.body, article.language)
    article.pending_change = change
    return change


class PreviewLink(models.Model):
    """A signed address that shows one unpublished commentary to whoever holds it."""

    article = models.ForeignKey(
        Article,
        verbose_name=_("commentary"),
        related_name="preview_links",
        on_delete=models.CASCADE,
    )
    token = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(
        _("expires"), help_text=_("After this time the link shows nothing.")
    )
    revoked = models.BooleanField(_("revoked"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, related_name="+", on_delete=models.SET_NULL
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]
        get_latest_by = "created"
        verbose_name = _("preview link")
        verbose_name_plural = _("preview links")

    def __str__(self):
        return str(self.article)

    def save(self, *args, **kwargs):
        if not self.token:
            self.token = secrets.token_urlsafe(32)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        with translation.override(self.article.language):
            return reverse("articles:shared-preview", kwargs={"token": self.token})

    def is_valid(self):
        return not self.revoked and self.expires_at > timezone.now()


class Autosave(models.Model):
    """What one user typed into one commentary's form (or a new one's), kept while typing so a
    crash, a closed tab or an expired session loses nothing: never the piece itself, never a
    revision or a new version. The form offers it back until it is restored or discarded."""

    AUTOSAVED_FIELDS = TEXT_FIELDS

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        related_name="+",
        on_delete=models.CASCADE,
    )
    article = models.ForeignKey(
        Article,
        verbose_name=_("commentary"),
        related_name="autosaves",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
    )
    fields = models.JSONField(_("text"), default=dict)
    saved_at = models.DateTimeField(_("saved"), auto_now=True)

    class Meta:
        ordering = ["-saved_at"]
        get_latest_by = "saved_at"
        verbose_name = _("autosaved copy")
        verbose_name_plural = _("autosaved copies")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "article"],
                condition=models.Q(article__isnull=False),
                name="autosave_one_per_user_article",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(article__isnull=True),
                name="autosave_one_new_per_user",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.article or _('new commentary')}"
