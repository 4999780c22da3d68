"""The editorial record of a commentary: workflow steps, revisions, shared preview links."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from authors.models import Author

from .content import Article, Byline


class Recorded(models.Model):
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


class Revision(Recorded):
    """What a commentary said at one save, authors and tags included, to compare or restore."""

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

    class Meta(Recorded.Meta):
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        indexes = [models.Index(fields=["article", "-created"], name="revision_article_idx")]

    def __str__(self):
        return f"{self.article} @ {self.created:%Y-%m-%d %H:%M}"

    @classmethod
    def record(cls, article, user=None, note="", **overrides):
        fields = {
            "title": article.title,
            "lead": article.lead,
            "body": article.body,
            "author_note": article.author_note,
            "tags": sorted(tag.name for tag in article.tags.all()),
            "authors": [byline.author_id for byline in article.bylines.all()],
            "status": article.status,
            "published_at": article.published_at,
            **overrides,
        }
        return cls.objects.create(article=article, user=user, note=note, **fields)

    def restore(self, user=None, keep_status=False):
        """Puts this revision's text, authors and tags back, as a new revision."""
        article = self.article
        fields = ["title", "lead", "body", "author_note"]
        if not keep_status:
            fields += ["status", "published_at"]
        for field in fields:
            setattr(article, field, getattr(self, field))
        article.updated_by = user
        article.version += 1
        article.save()
        article.bylines.all().delete()
        Byline.objects.bulk_create(
            Byline(article=article, author_id=author_id, position=position)
            for position, author_id in enumerate(self.authors)
            if Author.objects.filter(pk=author_id).exists()
        )
        article.tags.set(self.tags)
        return Revision.record(
            article,
            user,
            note=_("Restored from %(when)s")
            % {"when": timezone.localtime(self.created).strftime("%Y-%m-%d %H:%M")},
        )


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
