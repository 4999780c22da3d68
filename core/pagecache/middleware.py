"""The page cache's middleware, first of all: a hit is answered before any other runs; a
miss is built by one request at a time, the last good copy served while it fails."""

import logging
import re
import time
import uuid

from django.conf import settings
from django.core.cache import cache

from .. import cdn
from .entries import hot_lookup, keep_hot, make_entry, serve
from .requests import canonicalize, page_key, readable, storable
from .schedule import kept_for, seal
from .tags import ANY, GENERATION_KEY, LISTS, PRECISE, collect, depends
from .versions import cache_available, freshness, generation, pending, token

logger = logging.getLogger("core.pagecache")

LOCK_SECONDS = 15  # a builder that died frees its page after this long
WAIT_STEP = 0.02


class PageCacheMiddleware:
    """First of all middleware: a hit is answered before any other runs (what they add to
    a response, security headers and the CSP, is kept with the page), with one log line."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not readable(request):
            response = self.get_response(request)
            if settings.SESSION_COOKIE_NAME in request.COOKIES and not response.has_header(
                "Cache-Control"
            ):
                response["Cache-Control"] = "private, no-cache"  # staff's pages stay theirs
            return response
        start = time.perf_counter()
        request.COOKIES.pop(settings.SESSION_COOKIE_NAME, None)  # nobody's: a reader's page
        canonicalize(request)
        if pending() or not cache_available():
            return self.build(request, None)
        key = page_key(request)
        hot = hot_lookup(key)
        if hot:
            return answered(request, hot, start)
        found = cache.get_many([GENERATION_KEY, key])
        current_generation = found.get(GENERATION_KEY) or generation()
        entry = found.get(key)
        age = freshness(entry, current_generation) if entry else None
        if age == 0:
            keep_hot(key, entry)
            return answered(request, entry, start)
        lock = f"{key}:lock"
        swr = settings.PAGE_CACHE_STALE_WHILE_REVALIDATE
        stale = entry if age is not None and age <= swr else None
        deadline = time.monotonic() + settings.PAGE_CACHE_WAIT_SECONDS
        waited = False
        while not cache.add(lock, 1, LOCK_SECONDS):
            if stale:  # another request is building it
                return answered(request, stale, start, stale=True)
            if time.monotonic() > deadline or not cache_available():
                return self.build(request, entry)  # waited long enough: build it as well
            time.sleep(WAIT_STEP)
            waited = True
            built = self.built(key, current_generation)
            if built:
                return answered(request, built, start)
        try:
            built = waited and self.built(key, current_generation)  # just before the lock
            return answered(request, built, start) if built else self.build(request, entry, key)
        finally:
            cache.delete(lock)

    def built(self, key, current_generation):
        entry = cache.get(key)
        return entry if entry and freshness(entry, current_generation) == 0 else None

    def build(self, request, last, key=None):
        kept_token = token() if key else None
        with collect() as tags:
            if re.search(settings.PAGE_CACHE_EVERY_CHANGE, request.path):
                depends(ANY)
            try:
                response = self.get_response(request)
            except Exception:
                if last and usable_if_error(last):
                    return answered(request, last, time.perf_counter(), stale=True)
                raise
        if response.status_code >= 500 and last and usable_if_error(last):
            logger.warning("Serving the last good copy of %s", request.path)
            return with_id(serve(request, last, stale=True), response)
        if not key or not storable(request, response):
            return response
        try:
            if PRECISE in tags:
                tags.discard(PRECISE)
            else:
                tags.add(LISTS)  # any change of what the public lists may show on it
            entry = seal(make_entry(response), tags, kept_token, settings.PAGE_CACHE_SECONDS)
            entry["keys"] = cdn.surrogate_keys(entry["tags"])  # made once, not on each hit
        except Exception:  # the schedule needs the database, gone since the page was built
            logger.warning("Page of %s built but not kept", request.path, exc_info=True)
            return response
        cache.set(key, entry, kept_for(entry))
        keep_hot(key, entry)
        return with_id(serve(request, entry), response)


def with_id(response, built):
    """The request id the request log gave the response built (core.requestlog)."""
    if built.has_header("X-Request-ID"):
        response["X-Request-ID"] = built["X-Request-ID"]
    return response


def answered(request, entry, start, stale=False):
    """A page served from the cache, with its request id and its log line (no other
    middleware saw it: core.requestlog)."""
    from ..requestlog import REQUEST_ID, log_line

    if not hasattr(request, "request_id"):  # from META: request.headers parses them all
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        request.request_id = given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
    response = serve(request, entry, stale=stale)
    log_line(request, response, start, {})
    return response


def usable_if_error(entry):
    return time.time() < entry["until"] + settings.PAGE_CACHE_STALE_IF_ERROR
