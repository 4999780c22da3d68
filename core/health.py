"""/healthz, for load balancers: the database, the shared cache and the media storage, each
asked the cheapest question that proves it answers.

It is answered before any other middleware, so it is never cached and a load balancer that
asks by IP address (no known Host header) still gets an answer.
"""

import logging
import os
import socket
import uuid

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers

from . import pagecache

logger = logging.getLogger(__name__)

SERVER_ID = os.environ.get("SERVER_ID") or socket.gethostname()
PATH = "/healthz"


def database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def shared_cache():
    if not getattr(cache, "available", lambda: True)():
        raise RuntimeError("the cache failed a moment ago (its circuit is open)")
    key, value = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, 10)
    if cache.get(key) != value:
        raise RuntimeError("the cache did not give back what was stored")


def storage():
    default_storage.exists("healthz")


CHECKS = {"database": database, "cache": shared_cache, "storage": storage}


def healthz():
    report = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as error:
            logger.warning("Health check of the %s failed: %r", name, error)
            report[name] = f"error: {type(error).__name__}"
        else:
            report[name] = "ok"
    healthy = all(result == "ok" for result in report.values())
    if pagecache.pending():  # served uncached until the cache takes it (core.pagecache)
        report["invalidations"] = "pending"
    response = JsonResponse(
        {"status": "ok" if healthy else "error", "server": SERVER_ID, **report},
        status=200 if healthy else 503,
    )
    add_never_cache_headers(response)
    return response


def health_check(get_response):
    def middleware(request):
        if request.path == PATH:
            return healthz()
        return get_response(request)

    return middleware
