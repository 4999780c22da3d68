"""When kept things stop being true: sealed with the tags and the sequence number they were
built under, and bounded by the next scheduled publication or end that touches their tags
(settings.PAGE_CACHE_SCHEDULE), with no job; fragments kept the same way."""

import time
from functools import cache as memoize

from django.conf import settings
from django.core.cache import cache
from django.utils.module_loading import import_string

from .tags import ALL, LONGEST, SCHEDULE_KEY, SCHEDULE_TAG, collect, depends, version_key
from .versions import cache_available, freshness, token, versions


def seal(entry, tags, kept_token, longest, until=None):
    """Completes what is kept with what it was built from: its tags, the sequence number
    read before it was built, and the instant it stops being true."""
    current_generation, number = kept_token
    seen = versions(tags)
    # A tag the cache has no version of gets one, so that losing it later (an eviction)
    # makes every entry built before unreadable rather than true forever.
    for tag, stamp in seen.items():
        if stamp is None:
            cache.add(version_key(tag), (number, time.time()), None)
    entry.update(generation=current_generation, sequence=number, tags=sorted(tags))
    entry["until"] = until or min(time.time() + longest, bound(tags))
    return entry


def kept_for(entry):
    """How long the cache keeps an entry: while true, and then as the last good copy."""
    return max(1, int(entry["until"] - time.time()) + settings.PAGE_CACHE_STALE_IF_ERROR)


@memoize
def schedule_function():
    return import_string(settings.PAGE_CACHE_SCHEDULE)


def schedule():
    """([(instant, tags)], horizon): the coming scheduled starts and ends of publication
    until the horizon, and the tags each one changes (settings.PAGE_CACHE_SCHEDULE), kept
    until one of them changes or the horizon is reached."""
    current = token()
    entry = cache.get(SCHEDULE_KEY)
    if entry and freshness(entry, current[0]) == 0:
        return entry["events"], entry["until"]
    horizon = time.time() + LONGEST
    events = [(instant, set(tags)) for instant, tags in schedule_function()() if instant < horizon]
    entry = seal({"events": events}, [SCHEDULE_TAG], current, LONGEST, until=horizon)
    cache.set(SCHEDULE_KEY, entry, kept_for(entry))
    return events, horizon


def bound(tags):
    """The instant when a thing built from these tags may stop being true: the next
    scheduled change that touches them, or the schedule's horizon, beyond which it is not
    known."""
    tags, now = set(tags), time.time()
    events, horizon = schedule()
    return min(
        (
            instant
            for instant, touched in events
            if instant > now and (ALL in touched or touched & tags)
        ),
        default=horizon,
    )


def fragment(key, compute, tags=(), current=None):
    """compute(), kept under key while what it names (tags, and the tags of the content it
    reads) has not changed; the tags are added to those of the page being built. `current`
    is the token() read before any row compute() works from, when it works from rows read
    earlier."""
    if not cache_available():
        return compute()  # nothing kept while the cache is away, nor the schedule asked
    current = current or token()
    entry = cache.get(key)
    if entry and freshness(entry, current[0]) == 0:
        depends(*entry["tags"])
        return entry["value"]
    with collect() as found:
        depends(*tags)
        value = compute()
    depends(*found)
    entry = seal({"value": value}, found, current, LONGEST)
    cache.set(key, entry, max(1, int(entry["until"] - time.time())))
    return value
