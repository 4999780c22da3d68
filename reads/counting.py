"""Reads, counted without trackers: the commentary's page asks a same-origin script to say
"read" once it is shown (static/js/reads.js), so the page itself stays the same bytes for
everyone and can be kept by the page cache and a CDN. Nothing about the reader is stored:
to count a reader once a day per piece (a reload, or a script posting in a loop, is not a
second read), the cache keeps a keyed hash of the address, the piece and the day until the
day is over."""

import hashlib
import hmac
import re
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone

from articles.models import CARD_FIELDS, Article

from .models import DailyReads

# Robots, link previews, monitors and scripts: nobody reading.
BOTS = re.compile(
    r"bot|crawl|spider|slurp|archiver|preview|facebookexternalhit|embedly|headless|"
    r"lighthouse|pingdom|uptime|monitor|curl|wget|python|httpclient|okhttp|java/|go-http|"
    r"axios|node-fetch|scrapy|phantomjs|selenium|^$",
    re.IGNORECASE,
)
MONTH = timedelta(days=30)


def is_bot(user_agent):
    return bool(BOTS.search(user_agent or ""))


def first_today(address, article_id, day=None):
    """Whether this is the first read of the piece from this address today (and so to be
    counted). The key is an HMAC, never the address; it expires when the day does."""
    day = day or timezone.localdate()
    message = f"{address}|{article_id}|{day.isoformat()}".encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
    seconds = max(1, int((end - timezone.now()).total_seconds()))
    return cache.add(f"reads:seen:{digest[:32]}", 1, seconds)


def count(article_id, day=None):
    """One more read of the piece today; False (not counted) unless the public may read it."""
    if not Article.objects.published().filter(pk=article_id).exists():
        return False
    day = day or timezone.localdate()
    rows = DailyReads.objects.filter(article_id=article_id, day=day)
    if rows.update(reads=F("reads") + 1):
        return True
    try:
        with transaction.atomic():
            DailyReads.objects.create(article_id=article_id, day=day, reads=1)
    except IntegrityError:  # the day's first read, counted by another request meanwhile
        rows.update(reads=F("reads") + 1)
    return True


def most_read(language, limit=5, today=None):
    """The public pieces in `language` read most over the last 30 days, as cards (with
    `month_reads`), most read first."""
    since = (today or timezone.localdate()) - MONTH
    recent = Q(daily_reads__day__gt=since)
    return (
        Article.objects.published()
        .filter(language=language)
        .annotate(month_reads=Sum("daily_reads__reads", filter=recent))
        .filter(month_reads__gt=0)
        .order_by("-month_reads", "-published_at")
        .select_related("series")
        .only(*CARD_FIELDS)[:limit]
    )


def prune(keep_days=400):
    """Forgets the counts of days long past; returns how many rows went."""
    before = timezone.localdate() - timedelta(days=keep_days)
    deleted, _kinds = DailyReads.objects.filter(day__lt=before).delete()
    return deleted
