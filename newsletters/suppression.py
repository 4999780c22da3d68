"""Bounces and complaints from the mail provider (django-anymail's tracking webhooks, whose
signature or shared secret anymail checks before any signal is sent) suppress the address."""

from anymail.signals import tracking
from django.dispatch import receiver
from django.utils import timezone

from .models import Subscriber, normalise

SUPPRESSING = {"bounced", "complained", "rejected"}


@receiver(tracking)
def suppress(sender, event, esp_name, **kwargs):
    if not event.recipient:
        return
    found = Subscriber.objects.filter(email=normalise(event.recipient))
    if event.event_type in SUPPRESSING:
        reason = f"{esp_name}: {event.event_type} {event.reject_reason or ''}".strip()
        found.filter(suppressed_at__isnull=True).update(
            suppressed_at=timezone.now(), suppressed_reason=reason[:200]
        )
    elif event.event_type == "unsubscribed":
        found.update(status=Subscriber.Status.UNSUBSCRIBED, updated=timezone.now())
