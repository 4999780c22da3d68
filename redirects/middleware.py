import logging
import re

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect
from django.shortcuts import render
from django.urls import is_valid_path
from django.utils.translation import get_language

from . import records
from .models import Redirect

logger = logging.getLogger(__name__)

# Addresses whose 404s are nobody's old page: files and the admin.
NOT_LOGGED = re.compile(r"^/(admin|static|media)/")


def redirect_on_404(get_response):
    """Where the site has no page, an old address leads to the new one (or says 410 Gone);
    any other address that led nowhere is logged for the Editors. Redirects are never kept
    by the page cache (it keeps 200s only), so every hit is counted."""

    def middleware(request):
        response = get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        try:
            return answer(request) or response
        except DatabaseError:  # a 404 stays a 404, never a 500 (a database away, or behind)
            logger.exception("redirects: %s not looked up", request.path_info)
            return response

    return middleware


def answer(request):
    path = request.path_info
    redirect = records.find(path)
    if redirect is None or not records.leads_to_public(redirect):
        if not NOT_LOGGED.match(path) and not has_language_page(request):
            records.log_not_found(path)
        return None
    records.count_hit(redirect)
    destination = redirect.destination()
    if redirect.status == Redirect.Status.GONE or not destination:
        return render(request, "redirects/gone.html", status=410)
    query = getattr(request, "original_query_string", None) or request.META.get("QUERY_STRING")
    if query:
        destination += ("&" if "?" in destination else "?") + query
    if redirect.status == Redirect.Status.FOUND:
        return HttpResponseRedirect(destination)
    response = HttpResponsePermanentRedirect(destination)
    # Browsers and CDNs keep a 301 for good unless told: an Editor may yet change it.
    response["Cache-Control"] = f"public, max-age={settings.REDIRECT_MAX_AGE}"
    return response


def has_language_page(request):
    """Whether LocaleMiddleware, outside this one, sends the request on to the page in the
    reader's language (/ → /ja/): not an address to log."""
    urlconf = getattr(request, "urlconf", None)
    return is_valid_path(f"/{get_language()}{request.path_info}", urlconf)
