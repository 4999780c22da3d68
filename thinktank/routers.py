"""Read replicas (DATABASE_REPLICA_URLS).

An anonymous reader's GET reads from a replica that is streaming and caught up. Every other
request reads from the primary: the admin, anyone logged in, any form that writes, and a
browser that wrote a moment ago (it carries a short "pinned" cookie), so nobody misses their
own change. A replica that fails its check, or fails in the middle of a request, is left
alone until its next check and the request is answered from the primary.

Pages built from a replica go into the shared page cache, so a replica must never be read
before it has replayed the latest change of content: when one commits, the primary's WAL
position is kept in the cache (core.pagecache.content_committed), and a replica is read only
once it has replayed that far. Readers see every change as soon as the primary has it.
"""

import contextlib
import logging
import random
import time
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connections
from django.dispatch import receiver
from django.urls import reverse

from core.pagecache import content_committed

logger = logging.getLogger(__name__)

PIN_COOKIE = "primary"
CHECK_SECONDS = 5

# Streaming from the primary, and either replayed all it received or at most
# REPLICA_MAX_LAG seconds behind the last transaction it replayed.
HEALTH_SQL = """
    SELECT pg_is_in_recovery()
        AND EXISTS (SELECT 1 FROM pg_stat_wal_receiver)
        AND (pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()
             OR now() - pg_last_xact_replay_timestamp() <= make_interval(secs => %s))
"""

CONTENT_LSN_KEY = "replicas:content-lsn"

_reads = ContextVar("replica_reads", default=None)
_health = {}  # alias -> (when checked, healthy), per process
_replayed = {}  # alias -> how far it had replayed when last asked (it only grows)


class Reads:
    """Where one request's reads go: a replica chosen at its first query, or the primary."""

    alias = None
    chosen = False
    failed = False


def check(alias):
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute(HEALTH_SQL, [settings.REPLICA_MAX_LAG])
            return bool(cursor.fetchone()[0])
    except DatabaseError as error:
        logger.warning("Replica %s unusable, reading from the primary: %s", alias, error)
        with contextlib.suppress(DatabaseError):
            connections[alias].close()
        return False


def healthy(alias):
    checked, ok = _health.get(alias, (None, False))
    now = time.monotonic()
    if checked is None or now - checked > CHECK_SECONDS:
        ok = check(alias)
        _health[alias] = (now, ok)
    return ok


def lsn(text):
    high, low = text.split("/")
    return (int(high, 16) << 32) + int(low, 16)


def fetch(alias, sql):
    with connections[alias].cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


@receiver(content_committed)
def note_content_position(**kwargs):
    if settings.DATABASE_REPLICAS:
        cache.set(CONTENT_LSN_KEY, fetch("default", "SELECT pg_current_wal_lsn()::text"), None)


def caught_up(alias):
    """Whether the replica has replayed the latest change of content."""
    needed = cache.get(CONTENT_LSN_KEY)
    if needed is None or _replayed.get(alias, 0) >= lsn(needed):
        return True
    try:
        _replayed[alias] = lsn(fetch(alias, "SELECT pg_last_wal_replay_lsn()::text"))
    except DatabaseError:
        return False
    return _replayed[alias] >= lsn(needed)


def choose_replica():
    usable = [alias for alias in settings.DATABASE_REPLICAS if healthy(alias) and caught_up(alias)]
    return random.choice(usable) if usable else None


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        reads = _reads.get()
        if reads is None:
            return "default"
        if not reads.chosen:
            reads.alias, reads.chosen = choose_replica(), True
        return reads.alias or "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"


def may_read_from_replica(request):
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and PIN_COOKIE not in request.COOKIES
        and not request.path.startswith(reverse("admin:index"))
    )


class ReplicaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.DATABASE_REPLICAS:
            return self.get_response(request)
        reads = Reads() if may_read_from_replica(request) else None
        token = _reads.set(reads)
        try:
            response = self.get_response(request)
            if reads is not None and reads.failed:
                # A read-only request, so asking the primary again is safe.
                _reads.set(None)
                response = self.get_response(request)
        finally:
            _reads.reset(token)
        # A write that nobody reads back (reads/' beacon) pins nothing, and sets no cookie.
        if request.method not in ("GET", "HEAD", "OPTIONS") and not getattr(
            response, "sets_no_cookie", False
        ):
            # Long enough for any replica still in use to have replayed this write.
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=int(settings.REPLICA_MAX_LAG + CHECK_SECONDS) + 1,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def process_exception(self, request, exception):
        reads = _reads.get()
        if reads is not None and reads.alias and isinstance(exception, DatabaseError):
            reads.failed = True
            _health[reads.alias] = (time.monotonic(), False)
