"""Invalidation and the versions it leaves: changed(tags) bumps the tags a change of content
touches with a new sequence number (a new generation for everything), at once and again after
commit, retried until the cache takes it; freshness() says whether a kept thing built under an
older number is still true."""

import logging
import threading
import time
import uuid
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.dispatch import Signal

from .. import cdn
from .tags import GENERATION_KEY, LISTS, SCHEDULE_TAG, SEQUENCE_KEY, version_key

logger = logging.getLogger("core.pagecache")

# Sent once a change of content has committed, just before its tags are bumped (a replica
# router notes then how far a replica must have replayed to be read: thinktank.routers).
content_committed = Signal()

_rolled_back = ContextVar("pagecache_rolled_back", default=False)


@contextmanager
def rolled_back():
    """For writes that are all rolled back (an import's dry run): they change nothing, so
    within this block changed() leaves the cache as it is, unwritten."""
    token = _rolled_back.set(True)
    try:
        yield
    finally:
        _rolled_back.reset(token)


EVERYTHING = None  # changed() with no tags
# {model label: function(queryset) -> the tags its rows' pages carry, or None for all}: what
# QuerySet.update() of content invalidates (core.models), asked before and after.
ROW_TAGS = {}


def changed(*tags):
    """Content changed: the pages that show these tags (all pages, with none) are out of
    date. Bumped at once, for this process, and again after commit, so a page read from
    the old rows before the commit was built under a sequence number already passed."""
    if _rolled_back.get():
        return
    tags = set(tags) or {EVERYTHING}
    bump(tags)
    real = connections[DEFAULT_DB_ALIAS]
    # Once per transaction, however many rows it changes.
    if any(callback is committed for _ids, callback, _robust in real.run_on_commit):
        real.pagecache_pending |= tags
    else:
        real.pagecache_pending = set(tags)
        transaction.on_commit(committed)  # at once outside a transaction


def committed():
    real = connections[DEFAULT_DB_ALIAS]
    tags, real.pagecache_pending = getattr(real, "pagecache_pending", set()), set()
    if not tags:
        return
    content_committed.send(sender=None)
    bump(tags)
    cdn.purge_tags(tags)  # after the bump: the CDN's next request must get the new page


_retry = {"tags": set(), "thread": None}
_retry_lock = threading.Lock()


def bump(tags):
    """A new sequence number for these tags (a new generation for EVERYTHING). When the
    cache cannot be written, retried until it can; this process serves nothing from the
    cache meanwhile (pending())."""
    if not tags:
        return
    try:
        write_bump(tags)
    except Exception as error:
        logger.warning("Invalidation not written, retrying: %r", error)
        with _retry_lock:
            _retry["tags"].update(tags)
            if _retry["thread"] is None:
                _retry["thread"] = threading.Thread(target=retry_bumps, daemon=True)
                _retry["thread"].start()


def write_bump(tags):
    getattr(cache, "close_circuit", lambda: None)()  # an invalidation never waits on it
    if EVERYTHING in tags:
        new = uuid.uuid4().hex
        cache.set(GENERATION_KEY, new, None)
        if cache.get(GENERATION_KEY) != new:
            raise RuntimeError("the cache refused the new generation")
    named = {tag for tag in tags if tag is not EVERYTHING}
    if EVERYTHING in tags or LISTS in tags:  # who is public, and when, may have changed
        named.add(SCHEDULE_TAG)
    stamp = (next_sequence(), time.time())
    if cache.set_many({version_key(tag): stamp for tag in named}, None):
        raise RuntimeError("the cache refused the new versions")


def next_sequence():
    try:
        return cache.incr(SEQUENCE_KEY)
    except ValueError:  # missing: start above any number given before (milliseconds)
        cache.add(SEQUENCE_KEY, int(time.time() * 1000))
        return cache.incr(SEQUENCE_KEY)


def retry_bumps():
    while True:
        time.sleep(0.2)
        with _retry_lock:
            tags = set(_retry["tags"])
        try:
            write_bump(tags)
        except Exception:
            continue
        with _retry_lock:
            _retry["tags"] -= tags
            if not _retry["tags"]:
                _retry["thread"] = None
                logger.warning("Invalidation written after a retry")
                return


def pending():
    """Whether an invalidation made by this process waits to be written."""
    return bool(_retry["tags"])


# --- Reading what is kept -------------------------------------------------------------------


def generation():
    current = cache.get(GENERATION_KEY)
    if current is None:
        current = uuid.uuid4().hex
        if not cache.add(GENERATION_KEY, current, None):
            current = cache.get(GENERATION_KEY, current)
    return current


def sequence():
    """The number of the last change: content read after this was asked includes it."""
    found = cache.get(SEQUENCE_KEY)
    if found is None:
        cache.add(SEQUENCE_KEY, int(time.time() * 1000))
        found = cache.get(SEQUENCE_KEY, 0)
    return found


def token():
    """(generation, sequence), asked before any row a kept thing is worked out from."""
    return generation(), sequence()


def versions(tags):
    found = cache.get_many([version_key(tag) for tag in tags])
    return {tag: found.get(version_key(tag)) for tag in tags}


def freshness(entry, current_generation, seen=None):
    """0 when the entry is still true; else the seconds since it stopped being so (None
    when unknown, as after a reset of everything). `seen`: the versions of its tags, when
    already read."""
    now = time.time()
    if entry.get("generation") != current_generation:
        return None
    seen = versions(entry["tags"]) if seen is None else seen
    if any(stamp is None for stamp in seen.values()):
        return None  # a tag forgotten by the cache: no knowing what changed
    since = [stamp[1] for stamp in seen.values() if stamp[0] > entry["sequence"]]
    if now >= entry["until"]:
        since.append(entry["until"])
    return max(now - min(since), 1e-6) if since else 0


def cache_available():
    available = getattr(cache, "available", None)
    return available() if available else True
