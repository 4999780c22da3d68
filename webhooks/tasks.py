"""Sending the outbox (webhooks.outbox): each job safe to run twice, at once or not.

deliver() claims its row first, in one conditional UPDATE, so of two runs only one sends;
a failed try is tried again 1, 2, 4 … minutes later, by Celery's retry where a worker runs
the jobs and by sweep() (beat, every minute) in any case: whichever comes first claims it.
"""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db.models import F
from django.utils import timezone

from core import jobs

from . import outbox
from .models import Delivery

State = Delivery.State


def backoff(attempts):
    return min(60 * 2 ** (attempts - 1), settings.WEBHOOK_RETRY_MAX_SECONDS)


def claim(delivery_id, now):
    """Takes the delivery for one try, or None if it is not due or another run has it: its
    next attempt moves past this try's longest time, so no second run claims it meanwhile."""
    lease = now + timedelta(seconds=settings.WEBHOOK_TIMEOUT + 60)
    claimed = Delivery.objects.filter(
        pk=delivery_id, state=State.PENDING, next_attempt_at__lte=now
    ).update(next_attempt_at=lease, attempts=F("attempts") + 1)
    return Delivery.objects.select_related("endpoint").get(pk=delivery_id) if claimed else None


def finish(delivery, **fields):
    Delivery.objects.filter(pk=delivery.pk).update(**fields)


def attempt(delivery):
    """(HTTP status or None, error) of one POST of the delivery."""
    body = outbox.encode(outbox.envelope(delivery))
    try:
        return outbox.post(delivery.endpoint, delivery.pk, delivery.event, body), ""
    except OSError as failure:  # refused, unreachable, timed out
        return None, str(failure)[:2000]


@shared_task(bind=True, max_retries=None)
def deliver(self, delivery_id):
    now = timezone.now()
    delivery = claim(delivery_id, now)
    if delivery is None:
        return "not due"
    if not delivery.endpoint.is_active or not outbox.still_due(delivery, now):
        finish(delivery, state=State.CANCELLED)
        return "cancelled"
    if delivery.payload is None:  # made at the first try, then sent the same every time
        delivery.payload = outbox.commentary(delivery.article_id)
        finish(delivery, payload=delivery.payload)
    status, error = attempt(delivery)
    if status is not None and 200 <= status < 300:
        sent = {"state": State.SENT, "sent_at": timezone.now(), "last_error": ""}
        finish(delivery, last_status=status, **sent)
        return "sent"
    if delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
        finish(delivery, state=State.FAILED, last_status=status, last_error=error)
        return "failed"
    wait = backoff(delivery.attempts)
    finish(
        delivery,
        next_attempt_at=timezone.now() + timedelta(seconds=wait),
        last_status=status,
        last_error=error or f"HTTP {status}",
    )
    if not self.request.is_eager:
        raise self.retry(countdown=wait)
    return "to be retried"


@shared_task
def sweep():
    """Sends what is due (planned events whose moment has come, retries), and forgets
    deliveries done with for WEBHOOK_LOG_KEEP_DAYS."""
    now = timezone.now()
    old = now - timedelta(days=settings.WEBHOOK_LOG_KEEP_DAYS)
    Delivery.objects.filter(created__lt=old).exclude(state=State.PENDING).delete()
    due = Delivery.objects.filter(state=State.PENDING, next_attempt_at__lte=now)
    ids = list(due.order_by("next_attempt_at").values_list("pk", flat=True)[:500])
    for delivery_id in ids:
        jobs.after_commit(deliver, str(delivery_id))
    return len(ids)
