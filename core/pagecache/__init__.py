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

The package's modules: tags (what a page is built from), versions (invalidation), schedule
(when kept things stop being true; fragments), requests (which requests, which key), entries
(what is kept and how it is served; the process's hot copy), middleware.
"""

from .entries import HOT_ENTRIES, hot_lookup, keep_hot, make_entry, serve
from .middleware import PageCacheMiddleware
from .requests import canonical_query, page_key, page_parameters, readable, signed_in, storable
from .schedule import bound, fragment, kept_for, schedule, seal
from .tags import (
    ALL,
    ANY,
    GENERATION_KEY,
    LISTS,
    LONGEST,
    PRECISE,
    SEQUENCE_KEY,
    collect,
    collecting,
    depends,
    precise,
    version_key,
)
from .versions import (
    EVERYTHING,
    ROW_TAGS,
    cache_available,
    changed,
    content_committed,
    freshness,
    generation,
    pending,
    rolled_back,
    sequence,
    token,
    versions,
)

__all__ = [
    "ALL",
    "ANY",
    "EVERYTHING",
    "GENERATION_KEY",
    "HOT_ENTRIES",
    "LISTS",
    "LONGEST",
    "PRECISE",
    "ROW_TAGS",
    "SEQUENCE_KEY",
    "PageCacheMiddleware",
    "bound",
    "cache_available",
    "canonical_query",
    "changed",
    "collect",
    "collecting",
    "content_committed",
    "depends",
    "fragment",
    "freshness",
    "generation",
    "hot_lookup",
    "keep_hot",
    "kept_for",
    "make_entry",
    "page_key",
    "page_parameters",
    "pending",
    "precise",
    "readable",
    "rolled_back",
    "schedule",
    "seal",
    "sequence",
    "serve",
    "signed_in",
    "storable",
    "token",
    "version_key",
    "versions",
]
