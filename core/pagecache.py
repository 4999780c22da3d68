"""The page cache for anonymous readers, and the HTTP caching of public pages.

Each public page is kept whole, with what it was built from: the *tags* of the content it
shows (a piece, an author, a series, a topic, a list; articles.invalidation names them) and
the sequence number of the last change made before it was built. A change of content bumps
the tags it touches (`changed(tags)`), with a new sequence number; a page whose tags all
carry an older number is still true and is served, on every worker and server sharing the
cache. `changed()` with no tags resets everything (templates, deployments, site settings,
raw SQL). A scheduled publication or end of publication bounds the pages that show its
tags (settings.PAGE_CACHE_SCHEDULE), so they expire at its second, with no job.

A page no longer true is built by one request at a time (a lock in the cache, across
workers and servers); the others wait for it, or get the previous copy when it went out of
date at most PAGE_CACHE_STALE_WHILE_REVALIDATE seconds ago. When building fails (the
database is down) the previous copy is served for up to PAGE_CACHE_STALE_IF_ERROR seconds
instead of an error. An invalidation that cannot reach the cache is retried until it does,
and until then this process serves no cached page.

Only anonymous GETs are stored, and only responses meant for anyone: a request from a
signed-in user never reads or writes the cache (a session cookie that belongs to no
signed-in user is ignored), nor does a response that sets a cookie, varies by cookie or is
private (previews, admin). Query parameters that do not change a page (utm_*, fbclid, any
not in PAGE_CACHE_QUERY_PARAMETERS) are dropped before the view sees them, so they share one
entry. Public responses get an ETag, 304 answers, Cache-Control for browsers and CDNs, and
gzip or Brotli; nothing else is compressed, so no secret (a CSRF token) is ever compressed
alongside text an attacker chooses (BREACH).
"""

import gzip
import hashlib
import logging
import re
import threading
import time
import uuid
from collections import OrderedDict
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache as memoize
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.dispatch import Signal
from django.http import HttpResponse, QueryDict
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import parse_http_date_safe
from django.utils.module_loading import import_string
from django.utils.translation import get_language_from_request

from . import cdn

try:
    import brotli
except ImportError:  # optional: gzip alone without it
    brotli = None

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
SEQUENCE_KEY = "pagecache:sequence"
SCHEDULE_KEY = "pagecache:schedule"
SCHEDULE_TAG = "schedule"  # bumped whenever a piece's times or state change
COMPRESSIBLE = re.compile(r"^(text/|application/(.+\+)?(xml|json|javascript))")
LOCK_SECONDS = 15  # a builder that died frees its page after this long
WAIT_STEP = 0.02
LONGEST = 3600  # no kept thing outlives this, page cache or not
PER_REQUEST = {"X-Request-ID", "Content-Length", "Content-Encoding"}  # never kept


def version_key(tag):
    return f"pagecache:tag:{tag}"


# --- What a page is built from ------------------------------------------------------------

_collecting = ContextVar("pagecache_collecting", default=())


@contextmanager
def collect():
    """Within this block every tag named by depends() is gathered in the set yielded (and
    in those of the blocks around it)."""
    found = set()
    token = _collecting.set((*_collecting.get(), found))
    try:
        yield found
    finally:
        _collecting.reset(token)


def collecting():
    return bool(_collecting.get())


def depends(*tags):
    """The page being built shows the content these tags name."""
    for found in _collecting.get():
        found.update(tags)


ALL = "*"  # in the schedule: an instant that bounds every page
LISTS = "lists"  # what every page shows unless it says precise(): any list of pieces
ANY = "any"  # every change of content (search results, sitemaps)
PRECISE = "precise"


def precise():
    """The page being built names all it shows with depends() and the tags of the rows it
    reads (a commentary's page): it does not change with every list of pieces."""
    depends(PRECISE)


# --- Invalidation ---------------------------------------------------------------------------

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


# The process's own copy of the pages it served last, checked against the shared cache
# (generation and tag versions, one round trip) before each use: a hit then moves a few
# bytes from Redis instead of the whole page.
HOT_ENTRIES = 128
_hot = OrderedDict()


_hot_lock = threading.Lock()


def hot_lookup(key):
    """(current generation, entry, its freshness) from the process's copy, or None."""
    entry = _hot.get(key)
    if entry is None:
        return None
    found = cache.get_many([GENERATION_KEY, *map(version_key, entry["tags"])])
    current_generation = found.get(GENERATION_KEY)
    if current_generation is None:
        return None
    seen = {tag: found.get(version_key(tag)) for tag in entry["tags"]}
    age = freshness(entry, current_generation, seen)
    with _hot_lock:
        if age != 0:
            _hot.pop(key, None)
            return None
        if key in _hot:
            _hot.move_to_end(key)
    return current_generation, entry, age


def keep_hot(key, entry):
    with _hot_lock:
        _hot[key] = entry
        _hot.move_to_end(key)
        while len(_hot) > HOT_ENTRIES:
            _hot.popitem(last=False)


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


# --- Which requests and responses -----------------------------------------------------------


def signed_in(request):
    """Whether the request's session cookie belongs to a signed-in user (a cookie of no
    session, or of one with nobody signed in, is a reader's)."""
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not key:
        return False
    # Known to be nobody's: a sign-in always starts a session under a new key (cycle_key).
    nobody = "pagecache:nobody:" + hashlib.md5(key.encode()).hexdigest()
    if cache.get(nobody):
        return False
    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")(key)
    try:
        if "_auth_user_id" in store.load():
            return True
    except Exception:
        return True  # no knowing: treated as staff, never served another's page
    cache.set(nobody, True, 300)
    return False


def readable(request):
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and (request.is_secure() or not settings.SECURE_SSL_REDIRECT)
        and not re.search(settings.PAGE_CACHE_SKIP, request.path)
        and not signed_in(request)
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


def canonical_query(request):
    """The query string with only the parameters that change a page, in their order (the
    page's links keep it)."""
    names = page_parameters(request.path_info)
    kept = [
        (name, value) for name, values in request.GET.lists() if name in names for value in values
    ]
    return urlencode(kept)


def page_parameters(path):
    """The query parameters that change what is at this path (the API has its own)."""
    for prefix, names in settings.PAGE_CACHE_QUERY_PARAMETERS_BY_PREFIX.items():
        if path.startswith(prefix):
            return names
    return settings.PAGE_CACHE_QUERY_PARAMETERS


def canonicalize(request):
    query = canonical_query(request)
    if query != request.META.get("QUERY_STRING", ""):
        # Kept for what passes the address on (an old address's redirect keeps a campaign's
        # utm_* parameters); the view and the cache key see only the parameters that count.
        request.original_query_string = request.META.get("QUERY_STRING", "")
        request.META["QUERY_STRING"] = query
        request.GET = QueryDict(query)


def page_key(request):
    # The language too: pages outside /ja/ and /en/ (robots.txt, sitemaps) answer in the
    # language of the request's Accept-Language. No host: pages name SITE_URL (core.site).
    query = request.META.get("QUERY_STRING", "")
    address = f"{request.path}?{query} {get_language_from_request(request, True)}"
    return "pagecache:page:" + hashlib.md5(address.encode()).hexdigest()


def encodings(request):
    accepted = request.headers.get("Accept-Encoding", "")
    return [name for name in ("br", "gzip") if re.search(rf"\b{name}\b", accepted)]


def compress(content, encoding):
    if encoding == "gzip":
        return gzip.compress(content, compresslevel=6, mtime=0)
    return brotli.compress(content, quality=5)


def make_entry(response):
    """What is kept of a public page: its headers, and its body compressed (or as is when
    it is short or not text), each encoding made once for as long as the page is kept."""
    content = response.content
    bodies = {}
    if COMPRESSIBLE.match(response.get("Content-Type", "")) and len(content) > 200:
        bodies["gzip"] = compress(content, "gzip")
        if brotli is not None:
            bodies["br"] = compress(content, "br")
    else:
        bodies["identity"] = content
    headers = {name: value for name, value in response.items() if name not in PER_REQUEST}
    return {
        "headers": headers,
        "bodies": bodies,
        "etag": f'W/"{hashlib.md5(content).hexdigest()}"',
    }


def serve(request, entry, stale=False):
    """The same bytes and headers for a page just built and one from the cache."""
    encoding = next((name for name in encodings(request) if name in entry["bodies"]), None)
    if encoding:
        body = entry["bodies"][encoding]
    else:
        body = entry["bodies"].get("identity") or gzip.decompress(entry["bodies"]["gzip"])
    response = HttpResponse(body, headers=entry["headers"])
    response["Content-Length"] = len(body)
    if encoding:
        response["Content-Encoding"] = encoding
    if "identity" not in entry["bodies"]:
        patch_vary_headers(response, ["Accept-Encoding"])
    response["ETag"] = entry["etag"]
    fresh_for = 0 if stale else max(0, int(entry["until"] - time.time()))
    response["Cache-Control"] = (
        f"public, max-age={min(settings.PAGE_CACHE_MAX_AGE, fresh_for)}, "
        f"s-maxage={min(settings.PAGE_CACHE_S_MAXAGE, fresh_for)}, "
        f"stale-while-revalidate={settings.PAGE_CACHE_STALE_WHILE_REVALIDATE}, "
        f"stale-if-error={settings.PAGE_CACHE_STALE_IF_ERROR}"
    )
    response["Surrogate-Key"] = keys = cdn.surrogate_keys(entry["tags"])
    response["Cache-Tag"] = ",".join(keys.split())
    if stale:
        response["X-Cache"] = "stale"
    last_modified = parse_http_date_safe(entry["headers"].get("Last-Modified", ""))
    return get_conditional_response(
        request, etag=entry["etag"], last_modified=last_modified, response=response
    )


# --- The middleware ----------------------------------------------------------------------


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
            return answered(request, hot[1], start)
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
    from .requestlog import log_line

    response = serve(request, entry, stale=stale)
    log_line(request, response, start, {})
    return response


def usable_if_error(entry):
    return time.time() < entry["until"] + settings.PAGE_CACHE_STALE_IF_ERROR


def cache_available():
    available = getattr(cache, "available", None)
    return available() if available else True
