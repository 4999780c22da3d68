"""Which requests read the cache and which responses are kept, and under what key: the
path, the query parameters that change a page, and the language."""

import hashlib
import re
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import QueryDict
from django.utils.module_loading import import_string
from django.utils.translation import get_language_from_request


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
    if not request.META.get("QUERY_STRING"):
        return
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


ENCODINGS = [(name, re.compile(rf"\b{name}\b")) for name in ("br", "gzip")]


def encodings(request):
    accepted = request.META.get("HTTP_ACCEPT_ENCODING", "")  # not request.headers: all parsed
    return [name for name, named in ENCODINGS if named.search(accepted)]
