"""What partners are sent, and when: each content event becomes one Delivery row per
endpoint that wants it (the outbox), then a job sends it (webhooks.tasks).

From articles.signals.commentary_changed:
- "published", "updated", "unpublished": due now;
- "scheduled": a commentary.published planned for the piece's start, sent then only if the
  piece has become public at that very start (rescheduled, it gets a new one);
- a piece with an end of publication also gets a commentary.unpublished planned for its end,
  sent only if it then ends as planned (not already unpublished or trashed by hand).
The same event is never recorded twice for an endpoint (Delivery.key is unique per endpoint).
"""

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from api.serializers import CommentarySerializer
from api.views import attach_translations, commentaries, public
from articles.models import Article, is_live
from core.site import absolute

from .models import Delivery, Endpoint, Event

EVENTS = {"published": Event.PUBLISHED, "updated": Event.UPDATED, "unpublished": Event.UNPUBLISHED}


def planned_events(article, event, now):
    """[(Event, key, due_at, planned)] that a commentary_changed event asks for."""
    found = []
    if event in EVENTS:
        found.append((EVENTS[event], f"{event}:{article.pk}:v{article.version}", now, False))
    if event == "scheduled":
        start = article.published_at
        found.append((Event.PUBLISHED, at("published", article, start), start, True))
    if event in ("published", "scheduled", "updated") and article.unpublish_at:
        end = article.unpublish_at
        found.append((Event.UNPUBLISHED, at("unpublished", article, end), end, True))
    return found


def at(event, article, moment):
    return f"{event}:{article.pk}:at:{moment.isoformat()}"


def record(article, event):
    """Delivery rows for the event; returns those due now (their jobs are the caller's)."""
    now = timezone.now()
    planned = planned_events(article, event, now)
    endpoints = list(Endpoint.objects.filter(is_active=True))
    due = []
    for endpoint in endpoints:
        for name, key, due_at, is_planned in planned:
            if not endpoint.wants(name):
                continue
            try:
                with transaction.atomic():
                    delivery = Delivery.objects.create(
                        endpoint=endpoint, event=name, article_id=article.pk, key=key,
                        planned=is_planned, due_at=due_at, next_attempt_at=due_at,
                        payload=gone(article) if name == Event.UNPUBLISHED else None,
                    )  # fmt: skip
            except IntegrityError:
                continue  # recorded already (the same event told twice)
            if due_at <= now:
                due.append(delivery.pk)
    return due


def gone(article):
    """All a commentary.unpublished says: which piece, and its former address."""
    return {"id": article.pk, "url": absolute(article.get_absolute_url())}


def commentary(article_id):
    """The public commentary as the API shows it, or None if the public may not see it."""
    found = attach_translations(commentaries().filter(pk=article_id))
    return CommentarySerializer(found[0]).data if found else None


def still_due(delivery, now):
    """Whether the piece still is as the delivery's event says, now it is to be sent."""
    if delivery.event == Event.UNPUBLISHED:
        if not delivery.planned:
            return True
        ended = Article.objects.filter(is_live(), pk=delivery.article_id, unpublish_at__lte=now)
        return ended.filter(unpublish_at=delivery.due_at).exists()
    showing = public().filter(pk=delivery.article_id)
    if delivery.planned:
        showing = showing.filter(published_at=delivery.due_at)
    return showing.exists()


def envelope(delivery):
    return {
        "id": str(delivery.pk),
        "event": delivery.event,
        "created": delivery.created.isoformat(),
        "data": delivery.payload,
    }


def signature(secret, timestamp, body):
    """HMAC-SHA256 of "<timestamp>.<body>" with the endpoint's secret, in hex."""
    message = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 3xx is an answer like any other: not a success


opener = urllib.request.build_opener(NoRedirects)


def post(endpoint, delivery_id, event, body):
    """POSTs the signed body; returns the HTTP status (raises on a network error)."""
    timestamp = str(int(time.time()))
    request = urllib.request.Request(
        endpoint.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "commentary-webhooks/1",
            "X-Webhook-Id": str(delivery_id),
            "X-Webhook-Event": event,
            "X-Webhook-Timestamp": timestamp,
            "X-Webhook-Signature": "sha256=" + signature(endpoint.secret, timestamp, body),
        },
    )
    try:
        with opener.open(request, timeout=settings.WEBHOOK_TIMEOUT) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def encode(payload):
    # Sorted: the same bytes at every try, whatever order the database keeps the keys in.
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
