"""Lists (one per series and language), their subscribers, and the outbox: one Delivery row
per issue and subscriber, unique on the pair, so an issue can be sent by any number of
workers, crash and resume, and still reach each subscriber once."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Series


def this_second():
    # As publication times are kept (whole seconds): a piece published in the second the list
    # was made counts as published after it.
    return timezone.now().replace(microsecond=0)


class Newsletter(models.Model):
    series = models.ForeignKey(
        # A series can be deleted only while it has no commentary (articles PROTECT it), so
        # its lists then have no issue: they go with it.
        Series,
        verbose_name=_("series"),
        related_name="newsletters",
        on_delete=models.CASCADE,
    )
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Unticked, the list sends nothing and is not offered."),
    )
    created = models.DateTimeField(
        _("created"),
        default=this_second,
        help_text=_("Only pieces published after this moment are mailed to the list."),
    )

    class Meta:
        ordering = ["series__name_en", "language"]
        verbose_name = _("newsletter")
        verbose_name_plural = _("newsletters")
        constraints = [
            models.UniqueConstraint(fields=["series", "language"], name="newsletter_unique")
        ]

    def __str__(self):
        with translation.override(self.language):
            return f"{self.series.name} ({self.get_language_display()})"

    @property
    def list_id(self):
        return f"{self.series.slug}.{self.language}.{settings.NEWSLETTER_DOMAIN}"


class SubscriberQuerySet(models.QuerySet):
    def receiving(self):
        """The one rule of who gets mail: confirmed, not unsubscribed, not suppressed."""
        return self.filter(status=Subscriber.Status.CONFIRMED, suppressed_at__isnull=True)


def new_key():
    return secrets.token_urlsafe(18)


class Subscriber(models.Model):
    """A confirmed address (a subscription asked for and not yet confirmed is no row at all:
    it lives only in the signed link mailed to the address)."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Subscribed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")

    class Source(models.TextChoices):
        FORM = "form", _("Subscription form, confirmed by e-mail")
        IMPORT = "import", _("Imported list, consent given before")

    email = models.EmailField(_("e-mail address"), unique=True)
    newsletters = models.ManyToManyField(
        Newsletter, verbose_name=_("lists"), related_name="subscribers", blank=True
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.CONFIRMED
    )
    suppressed_at = models.DateTimeField(
        _("suppressed"),
        null=True,
        blank=True,
        help_text=_(
            "Set when mail to the address bounced or was reported as spam: nothing is sent."
        ),
    )
    suppressed_reason = models.CharField(_("why suppressed"), max_length=200, blank=True)
    consent_at = models.DateTimeField(_("consent given"))
    consent_text = models.TextField(_("consent text"))
    consent_language = models.CharField(
        _("consent language"), max_length=2, choices=settings.LANGUAGES
    )
    source = models.CharField(_("source"), max_length=6, choices=Source.choices)
    key = models.CharField(max_length=32, unique=True, default=new_key, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["email"]
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        self.email = normalise(self.email)
        super().save(*args, **kwargs)


def normalise(email):
    return email.strip().lower()


class Issue(models.Model):
    """One commentary mailed to one list: made once (unique), whatever runs twice."""

    newsletter = models.ForeignKey(
        Newsletter, verbose_name=_("newsletter"), related_name="issues", on_delete=models.CASCADE
    )
    article = models.ForeignKey(
        Article,
        verbose_name=_("commentary"),
        related_name="newsletter_issues",
        null=True,
        on_delete=models.SET_NULL,
    )
    subject = models.CharField(_("subject"), max_length=300)
    created = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created"]
        get_latest_by = "created"
        verbose_name = _("issue")
        verbose_name_plural = _("issues")
        constraints = [
            models.UniqueConstraint(fields=["newsletter", "article"], name="issue_unique")
        ]

    def __str__(self):
        return self.subject


class Delivery(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SUPPRESSED = "suppressed", _("Not sent: unsubscribed or suppressed")

    issue = models.ForeignKey(Issue, related_name="deliveries", on_delete=models.CASCADE)
    subscriber = models.ForeignKey(Subscriber, related_name="deliveries", on_delete=models.CASCADE)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_try_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["issue", "subscriber"], name="delivery_unique")
        ]
        indexes = [
            models.Index(
                fields=["next_try_at", "id"],
                condition=models.Q(status="queued"),
                name="delivery_queued_idx",
            )
        ]

    def __str__(self):
        return f"{self.issue} → {self.subscriber_id}"
