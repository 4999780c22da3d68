"""What is kept of a page (its headers and compressed bodies), how it is served, and the
process's own copy of the pages it served last."""

import gzip
import hashlib
import re
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import parse_http_date_safe

from .. import cdn
from .requests import encodings
from .tags import GENERATION_KEY, version_key
from .versions import freshness

try:
    import brotli
except ImportError:  # optional: gzip alone without it
    brotli = None

COMPRESSIBLE = re.compile(r"^(text/|application/(.+\+)?(xml|json|javascript))")
PER_REQUEST = {"X-Request-ID", "Content-Length", "Content-Encoding"}  # never kept

# The process's own copy of the pages it served last, checked against the shared cache
# (generation and tag versions, one round trip) before each use: a hit then moves a few
# bytes from Redis instead of the whole page. With Redis, the check is one MGET of keys made
# once, its bytes compared with those it last found true; only when they differ are the
# versions decoded and the entry's freshness worked out again (in the same round trip).
HOT_ENTRIES = 128
_hot = OrderedDict()
_hot_lock = threading.Lock()


class Hot:
    __slots__ = ("entry", "tags", "keys", "seen")

    def __init__(self, entry):
        self.entry = entry
        self.tags = [GENERATION_KEY, *map(version_key, entry["tags"])]
        make = getattr(cache, "make_and_validate_key", None)
        self.keys = [make(tag) for tag in self.tags] if hasattr(cache, "stored_many") else None
        self.seen = None  # the bytes last found true


def hot_lookup(key):
    """The entry from the process's copy when it is still true, or None."""
    hot = _hot.get(key)
    if hot is None:
        return None
    if hot.keys is None:  # not Redis: its values, as any reader gets them
        found = cache.get_many(hot.tags)
        stored = None
    else:
        stored = cache.stored_many(hot.keys)
        if stored is None:  # Redis away
            return None
        if stored == hot.seen and time.time() < hot.entry["until"]:
            return hot.entry  # nothing it was built from has changed since it was true
        found = dict(zip(hot.tags, map(cache.decode, stored), strict=True))
    if not true(hot.entry, found):
        with _hot_lock:
            if _hot.get(key) is hot:
                del _hot[key]
        return None
    hot.seen = stored
    with _hot_lock:
        if key in _hot:
            _hot.move_to_end(key)
    return hot.entry


def true(entry, found):
    """Whether the entry is true, from the generation and versions found: {key: value}."""
    current_generation = found.get(GENERATION_KEY)
    if current_generation is None:
        return False
    seen = {tag: found.get(version_key(tag)) for tag in entry["tags"]}
    return freshness(entry, current_generation, seen) == 0


@receiver(setting_changed)
def forget_hot(setting, **kwargs):
    """A copy checked against another cache means nothing (tests change the cache)."""
    if setting == "CACHES":
        with _hot_lock:
            _hot.clear()


def keep_hot(key, entry):
    hot = Hot(entry)
    with _hot_lock:
        _hot[key] = hot
        _hot.move_to_end(key)
        while len(_hot) > HOT_ENTRIES:
            _hot.popitem(last=False)


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


def plain(entry):
    """The body uncompressed, for a client that takes neither encoding (wrk, curl, some
    crawlers): made once for the process's own copy of the entry, not on each hit."""
    if "plain" not in entry:
        # In this process only: the entry was stored before it was first served.
        entry["plain"] = gzip.decompress(entry["bodies"]["gzip"])
    return entry["plain"]


def serve(request, entry, stale=False):
    """The same bytes and headers for a page just built and one from the cache."""
    encoding = next((name for name in encodings(request) if name in entry["bodies"]), None)
    if encoding:
        body = entry["bodies"][encoding]
    else:
        body = entry["bodies"].get("identity") or plain(entry)
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
    response["Surrogate-Key"] = keys = entry.get("keys") or cdn.surrogate_keys(entry["tags"])
    response["Cache-Tag"] = ",".join(keys.split())
    if stale:
        response["X-Cache"] = "stale"
    last_modified = parse_http_date_safe(entry["headers"].get("Last-Modified", ""))
    return get_conditional_response(
        request, etag=entry["etag"], last_modified=last_modified, response=response
    )
