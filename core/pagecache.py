"""The page cache for anonymous readers, and the HTTP caching of public pages.

Each public page is kept whole under its address with the *generation* of the content it was
built from. Any change of content starts a new generation (`changed()`), so the next request
for any page, on every worker and server sharing the cache, builds it afresh: nothing has to
know which pages show what. Nothing that is saved marks the moment a scheduled piece comes
due, so no page is kept past the next scheduled change (settings.PAGE_CACHE_TTL_BOUND, a
function returning seconds).

Only anonymous GETs are stored, and only responses meant for anyone: a request carrying a
session cookie (staff) never reads or writes the cache, nor does a response that sets a
cookie, varies by cookie or is private (previews, admin). Public responses get an ETag, 304
answers, Cache-Control for browsers and CDNs, and gzip or Brotli; nothing else is compressed,
so no secret (a CSRF token) is ever compressed alongside text an attacker chooses (BREACH).
"""

import gzip
import hashlib
import re
import time
import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache as memoize

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.dispatch import Signal
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import parse_http_date_safe
from django.utils.module_loading import import_string
from django.utils.translation import get_language_from_request

from . import cdn

try:
    import brotli
except ImportError:  # optional: gzip alone without it
    brotli = None

GENERATION_KEY = "pagecache:generation"
BOUND_KEY = "pagecache:bound"
COMPRESSIBLE = re.compile(r"^(text/|application/(.+\+)?(xml|json|javascript))")


def bump():
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


# Sent once a change of content has committed, just before the generation moves on (a
# replica router notes then how far a replica must have replayed to be read: thinktank.routers).
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


def changed():
    """Content changed: every cached page is out of date. Bumped at once, for this process,
    and again after commit, so a page read from the old rows before the commit can only have
    been kept under a generation already gone."""
    if _rolled_back.get():
        return
    bump()
    # Once per transaction, however many rows it changes.
    if not any(callback is committed for _ids, callback, _robust in connection.run_on_commit):
        transaction.on_commit(committed)


def committed():
    content_committed.send(sender=None)
    bump()
    cdn.purge_pages()  # after the bump: the CDN's next request must get the new page


def generation():
    current = cache.get(GENERATION_KEY)
    if current is None:
        current = uuid.uuid4().hex
        if not cache.add(GENERATION_KEY, current, None):
            current = cache.get(GENERATION_KEY, current)
    return current


@memoize
def ttl_bound():
    return import_string(settings.PAGE_CACHE_TTL_BOUND)


def valid_until(current):
    """The instant (time.time()) when pages of this generation may stop being true: the next
    scheduled change. Worked out once a generation and kept beside it."""
    now = time.time()
    kept = cache.get(BOUND_KEY)
    if kept and kept[0] == current and now < kept[1]:
        return kept[1]
    # No bound for replicas: none is read before it has the latest change (thinktank.routers).
    until = now + ttl_bound()()
    cache.set(BOUND_KEY, (current, until), None)
    return until


def readable(request):
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not re.search(settings.PAGE_CACHE_SKIP, request.path)
    )


def storable(request, response):
    control = response.get("Cache-Control", "")
    vary = {value.strip().lower() for value in response.get("Vary", "").split(",") if value}
    return (
        request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and vary <= {"accept-language", "accept-encoding"}
        and not re.search(r"private|no-cache|no-store", control)
    )


def page_key(request):
    # The language too: pages outside /ja/ and /en/ (robots.txt, sitemaps) answer in the
    # language of the request's Accept-Language.
    address = f"{request.build_absolute_uri()} {get_language_from_request(request, True)}"
    return "pagecache:page:" + hashlib.md5(address.encode()).hexdigest()


def encodings(request):
    accepted = request.headers.get("Accept-Encoding", "")
    return [name for name in ("br", "gzip") if re.search(rf"\b{name}\b", accepted)]


def compress(content, encoding):
    if encoding == "gzip":
        return gzip.compress(content, compresslevel=6, mtime=0)
    return brotli.compress(content, quality=5)


def make_entry(response, current, until):
    """What is kept of a public page: its headers, and its body as is and compressed, each
    encoding made once for as long as the page is kept."""
    content = response.content
    bodies = {"identity": content}
    if COMPRESSIBLE.match(response.get("Content-Type", "")) and len(content) > 200:
        bodies["gzip"] = compress(content, "gzip")
        if brotli is not None:
            bodies["br"] = compress(content, "br")
    return {
        "generation": current,
        "until": until,
        "headers": dict(response.items()),
        "bodies": bodies,
        "etag": f'W/"{hashlib.md5(content).hexdigest()}"',
    }


def serve(request, entry):
    """The same bytes and headers for a page just built and one from the cache."""
    encoding = next((name for name in encodings(request) if name in entry["bodies"]), None)
    body = entry["bodies"][encoding or "identity"]
    response = HttpResponse(body, headers=entry["headers"])
    response["Content-Length"] = len(body)
    if encoding:
        response["Content-Encoding"] = encoding
    if len(entry["bodies"]) > 1:
        patch_vary_headers(response, ["Accept-Encoding"])
    response["ETag"] = entry["etag"]
    fresh_for = max(0, int(entry["until"] - time.time()))
    response["Cache-Control"] = (
        f"public, max-age={min(settings.PAGE_CACHE_MAX_AGE, fresh_for)}, "
        f"s-maxage={min(settings.PAGE_CACHE_S_MAXAGE, fresh_for)}"
    )
    last_modified = parse_http_date_safe(entry["headers"].get("Last-Modified", ""))
    return get_conditional_response(
        request, etag=entry["etag"], last_modified=last_modified, response=response
    )


class PageCacheMiddleware:
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
        key = page_key(request)
        found = cache.get_many([GENERATION_KEY, key])
        current = found.get(GENERATION_KEY) or generation()
        entry = found.get(key)
        if entry and entry["generation"] == current and time.time() < entry["until"]:
            return serve(request, entry)
        until = min(valid_until(current), time.time() + settings.PAGE_CACHE_SECONDS)
        response = self.get_response(request)
        if not storable(request, response):
            return response
        entry = make_entry(response, current, until)
        cache.set(key, entry, max(1, int(until - time.time()) + 1))
        return serve(request, entry)
