"""Counts over the whole public archive (years, months, topics), cached.

They are aggregates over every public commentary, the slowest queries of the site on a large
archive, and they change only when a commentary is saved or deleted, or when a scheduled one
comes due or reaches its end time. So they are cached under a version that every change of an
article bumps, and never past the next scheduled start or end of publication.
"""

import uuid

from django.core.cache import cache
from django.db.models import Min, Q
from django.utils import timezone, translation

VERSION_KEY = "articles:counts-version"
LONGEST = 3600


def changed():
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def version():
    current = cache.get(VERSION_KEY)
    if current is None:
        changed()
        current = cache.get(VERSION_KEY)
    return current


def seconds_until_next_publication():
    """Until the next scheduled start or end of publication: the public lists change then."""
    from .models import Article

    now = timezone.now()
    coming = Article.objects.live().aggregate(
        start=Min("published_at", filter=Q(published_at__gt=now)),
        end=Min("unpublish_at", filter=Q(unpublish_at__gt=now)),
    )
    upcoming = min((moment for moment in coming.values() if moment), default=None)
    if upcoming is None:
        return LONGEST
    return max(1, min(LONGEST, int((upcoming - now).total_seconds())))


def cached(name, compute):
    """compute() as a list, cached per name, language and version of the archive."""
    key = f"articles:counts:{name}:{translation.get_language()}:{version()}"
    value = cache.get(key)
    if value is None:
        value = list(compute())
        cache.set(key, value, seconds_until_next_publication())
    return value
