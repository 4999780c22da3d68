"""A CDN in front of the site: CDN_PURGE_URL (or CDN_PURGE_FUNCTION, a dotted path).

Public pages carry one surrogate key (Surrogate-Key for Fastly and the like, Cache-Tag for
Cloudflare). When content changes, once its transaction has committed, the CDN is asked to
drop every page carrying that key, as the page cache drops a whole generation: any change
can show on any page. A purge that fails is logged and never undoes or holds up the save;
the CDN's copies then expire at their s-maxage, which never outlives the next scheduled
publication.
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


def purge_pages():
    """Called by core.pagecache once a change of content has committed: the purge is a job
    (core.tasks.purge_cdn), so a slow CDN never holds the save."""
    if not (settings.CDN_PURGE_URL or settings.CDN_PURGE_FUNCTION):
        return
    from .tasks import purge_cdn

    jobs.after_commit(purge_cdn, [settings.CDN_SURROGATE_KEY])


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
            response["Surrogate-Key"] = response["Cache-Tag"] = settings.CDN_SURROGATE_KEY
        return response

    return middleware
