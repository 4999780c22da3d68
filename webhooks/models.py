"""Partners' endpoints, and the outbox of what is sent to them (webhooks.outbox)."""

import secrets
import uuid

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_secret():
    return secrets.token_urlsafe(32)


class Event(models.TextChoices):
    PUBLISHED = "commentary.published", _("commentary published")
    UPDATED = "commentary.updated", _("public commentary changed")
    UNPUBLISHED = "commentary.unpublished", _("commentary no longer public")


class Endpoint(models.Model):
    name = models.CharField(_("partner"), max_length=200)
    url = models.URLField(
        _("address"),
        max_length=500,
        validators=[URLValidator(schemes=["https", "http"])],
        help_text=_("Where each event is POSTed as JSON, e.g. https://partner.example/hooks."),
    )
    secret = models.CharField(
        _("signing secret"),
        max_length=100,
        default=new_secret,
        editable=False,
        help_text=_("Give it to the partner: it checks each delivery's signature with it."),
    )
    on_published = models.BooleanField(_("on publication"), default=True)
    on_updated = models.BooleanField(_("on a change of a public piece"), default=True)
    on_unpublished = models.BooleanField(_("when a piece is no longer public"), default=True)
    is_active = models.BooleanField(
        _("in use"), default=True, help_text=_("Endpoints not in use are sent nothing new.")
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        related_name="+",
        null=True,
        editable=False,
        on_delete=models.SET_NULL,
    )

    class Meta:
        ordering = ["name"]
        get_latest_by = "created"
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self):
        return f"{self.name} ({self.url})"

    def wants(self, event):
        return getattr(self, "on_" + event.removeprefix("commentary."))


class Delivery(models.Model):
    """One event for one endpoint: decided (a row) before anything is sent, so a crash
    between the two loses nothing; sent once (webhooks.tasks.deliver claims it first)."""

    class State(models.TextChoices):
        PENDING = "pending", _("To be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed, no more tries")
        CANCELLED = "cancelled", _("Not sent: the piece or the endpoint changed first")

    id = models.UUIDField(_("delivery id"), primary_key=True, default=uuid.uuid4, editable=False)
    endpoint = models.ForeignKey(
        Endpoint, verbose_name=_("endpoint"), related_name="deliveries", on_delete=models.CASCADE
    )
    event = models.CharField(_("event"), max_length=30, choices=Event.choices)
    # The article's id, not a key: the record outlives a piece purged from the trash.
    article_id = models.PositiveBigIntegerField(_("commentary id"), db_index=True)
    key = models.CharField(
        max_length=200, editable=False, help_text="What makes the event one: its idempotency key."
    )
    # Planned for a moment (a scheduled start, an end of publication): sent then only if the
    # piece still is as planned (webhooks.outbox.still_due).
    planned = models.BooleanField(default=False, editable=False)
    due_at = models.DateTimeField(_("due"))
    payload = models.JSONField(_("payload"), null=True, blank=True, editable=False)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), db_index=True)
    last_status = models.PositiveSmallIntegerField(_("last HTTP status"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        get_latest_by = "created"
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "key"], name="delivery_unique_event"),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(state="pending"),
                name="delivery_pending_idx",
            )
        ]

    def __str__(self):
        return f"{self.get_event_display()} #{self.article_id} → {self.endpoint.name}"
