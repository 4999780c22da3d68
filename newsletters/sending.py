"""Workers send the outbox: each mail claimed under a row lock (FOR UPDATE SKIP LOCKED, so
workers never wait on each other nor take the same row), sent, and marked sent in the same
transaction. A worker killed mid-mail leaves its row unsent and unlocked (the database rolls
its transaction back), and the next worker sends it; only a kill in the instant between the
SMTP server's "250 OK" and the commit can send one mail twice, and then with the same
Message-ID. Temporary failures (4xx, a server away) are tried again later with a growing
pause; permanent ones (5xx) are not.
"""

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone

from core.mail import is_temporary

from . import message
from .models import Delivery, Subscriber

logger = logging.getLogger(__name__)
Status = Delivery.Status


def claim():
    return (
        Delivery.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(status=Status.QUEUED, next_try_at__lte=timezone.now())
        .select_related("subscriber", "issue__newsletter__series", "issue__article__series")
        .order_by("next_try_at", "id")
        .first()
    )


def rate_allows():
    """Counts one mail against NEWSLETTER_RATE_PER_MINUTE, shared by every worker (cache)."""
    limit = settings.NEWSLETTER_RATE_PER_MINUTE
    if not limit:
        return True
    key = f"newsletters:rate:{int(time.time() // 60)}"
    cache.add(key, 0, 120)
    try:
        return cache.incr(key) <= limit
    except ValueError:  # expired between add and incr
        return True


def retry_pause(attempts):
    return timedelta(seconds=min(settings.NEWSLETTER_RETRY_SECONDS * 2 ** (attempts - 1), 3600))


def send_one(connection, delivery, rendered):
    """Sends and records one claimed delivery; returns False when the connection failed."""
    subscriber, issue = delivery.subscriber, delivery.issue
    still = Subscriber.objects.receiving().filter(pk=subscriber.pk, newsletters=issue.newsletter)
    if issue.article is None or not still.exists():
        delivery.status = Status.SUPPRESSED
        delivery.save(update_fields=["status"])
        return True
    try:
        connection.open()  # kept open from one mail to the next (no-op when it is)
        connection.send_messages([message.build(issue, subscriber, rendered)])
    except Exception as error:
        delivery.attempts += 1
        delivery.error = repr(error)[:500]
        if is_temporary(error) and delivery.attempts < settings.NEWSLETTER_MAX_ATTEMPTS:
            delivery.next_try_at = timezone.now() + retry_pause(delivery.attempts)
        else:
            delivery.status = Status.FAILED
        delivery.save(update_fields=["attempts", "error", "next_try_at", "status"])
        logger.warning("newsletter mail %s not sent: %r", delivery.pk, error)
        return False
    delivery.status, delivery.sent_at = Status.SENT, timezone.now()
    delivery.attempts += 1
    delivery.save(update_fields=["status", "sent_at", "attempts"])
    return True


def deliver(seconds=None):
    """Sends what is due for up to `seconds`; returns (sent or settled, whether work is left)."""
    deadline = time.monotonic() + (seconds or settings.NEWSLETTER_BATCH_SECONDS)
    connection = get_connection(fail_silently=False)
    rendered, done = {}, 0
    try:
        while time.monotonic() < deadline:
            if not rate_allows():
                return done, True
            with transaction.atomic():
                delivery = claim()
                if delivery is None:
                    # Rows another sender holds (or a dead one's, until the database
                    # notices): worth a look again soon.
                    return done, pending()
                if delivery.issue_id not in rendered and delivery.issue.article is not None:
                    rendered[delivery.issue_id] = message.render_issue(delivery.issue)
                if not send_one(connection, delivery, rendered.get(delivery.issue_id)):
                    connection.close()  # a fresh connection for the next one
            done += 1
        return done, True
    finally:
        connection.close()


def pending():
    return Delivery.objects.filter(status=Status.QUEUED, next_try_at__lte=timezone.now()).exists()
