"""A CDN in front of the site: CDN_PURGE_URL (or CDN_PURGE_FUNCTION, a dotted path).

Public pages carry surrogate keys (Surrogate-Key for Fastly and the like, space-separated;
Cache-Tag for Cloudflare, comma-separated): the site-wide CDN_SURROGATE_KEY, and one per
thing the page shows (the page cache's tags: a piece, an author, a list; core.pagecache).
When content changes, once its transaction has committed, the CDN is asked to drop the
pages carrying the keys of what changed; a change of everything (templates, a deployment,
site settings) purges the site-wide key. A purge that fails is logged and never undoes or
holds up the save; the CDN's copies then expire at their s-maxage, which never outlives
the next scheduled publication.
"""

import json
import logging
import urllib.request

from django.conf import settings
from django.utils.module_loading import import_string

from . import jobs

logger = logging.getLogger(__name__)


def post_purge(keys):
    """Asks CDN_PURGE_URL to drop the pages with these surrogate keys."""
    headers = {"Content-Type": "application/json"}
    if settings.CDN_PURGE_TOKEN:
        headers["Authorization"] = f"Bearer {settings.CDN_PURGE_TOKEN}"
    request = urllib.request.Request(
        settings.CDN_PURGE_URL,
        data=json.dumps({"surrogate_keys": keys}).encode(),
        headers=headers,
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=settings.CDN_PURGE_TIMEOUT) as response:
        response.read()


def key(tag):
    return f"{settings.CDN_SURROGATE_KEY}-{tag}".replace(" ", "_").replace(",", "_")


def surrogate_keys(tags):
    """The keys of a page showing these tags, for the Surrogate-Key header."""
    return " ".join([settings.CDN_SURROGATE_KEY, *(key(tag) for tag in sorted(tags))])


def purge_tags(tags):
    """Called by core.pagecache once a change of content has committed, with the tags it
    changed (None: everything): the purge is a job (core.tasks.purge_cdn), so a slow CDN
    never holds the save."""
    if not tags or not (settings.CDN_PURGE_URL or settings.CDN_PURGE_FUNCTION):
        return
    from .tasks import purge_cdn

    keys = [settings.CDN_SURROGATE_KEY] if None in tags else sorted(map(key, tags))
    jobs.after_commit(purge_cdn, keys)


def purge_pages():
    """Drops every page at the CDN."""
    purge_tags({None})


def purge(keys):
    purge_with = import_string(settings.CDN_PURGE_FUNCTION or "core.cdn.post_purge")
    try:
        purge_with(keys)
    except Exception:
        logger.exception("CDN purge failed; its copies will expire by themselves")


def surrogate_key(get_response):
    """Tags every response a CDN may keep (s-maxage) with the key a purge names."""

    def middleware(request):
        response = get_response(request)
        if "s-maxage" in response.get("Cache-Control", ""):
            keys = response.get("Surrogate-Key") or settings.CDN_SURROGATE_KEY
            response["Surrogate-Key"] = keys
            response["Cache-Tag"] = ",".join(keys.split())
        return response

    return middleware
