"""Django's Redis cache, made forgiving: while Redis is away, reads miss and writes are
dropped (logged once per pause), so pages are built uncached instead of failing. After a
short pause the next call tries Redis again, so the site recovers by itself.

The pause is a circuit shared by every thread of the process (Django makes one cache
object per thread): once one request has met the dead Redis, no other waits on it for
PAUSE seconds. Timeouts are short (settings: a fraction of a second), since Redis on the
same network answers in well under a millisecond. incr() is not forgiving: the page cache
must know when an invalidation was not written (core.pagecache retries it)."""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

PAUSE = 3.0  # seconds without trying Redis after an error


def forgiving(fallback):
    """fallback(*args, **kwargs) is the answer while Redis is away."""

    def decorate(method):
        @functools.wraps(method)
        def call(self, *args, **kwargs):
            if time.time() < ForgivingRedisCache.down_until:
                return fallback(*args, **kwargs)
            try:
                return method(self, *args, **kwargs)
            except RedisError as error:
                ForgivingRedisCache.down_until = time.time() + PAUSE
                logger.warning("Cache unavailable, serving uncached for %ss: %s", PAUSE, error)
                return fallback(*args, **kwargs)

        return call

    return decorate


def default_argument(key, default=None, version=None):
    return default


class ReusedClient(RedisCacheClient):
    """Django makes a redis.Redis object on every call (its response callbacks built
    afresh, a third of a page-cache hit's time); one per connection pool does."""

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        clients = self.__dict__.setdefault("clients", {})
        if index not in clients:
            clients[index] = super().get_client(key, write=write)
        return clients[index]


class ForgivingRedisCache(RedisCache):
    down_until = 0.0  # shared by the process's threads: set on the class, never on self

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClient

    def available(self):
        """Whether Redis is to be asked (the circuit is closed)."""
        return time.time() >= ForgivingRedisCache.down_until

    def close_circuit(self):
        """Ask Redis again at once: for what must not wait (an invalidation's retry)."""
        ForgivingRedisCache.down_until = 0.0

    get = forgiving(default_argument)(RedisCache.get)
    get_many = forgiving(lambda *args, **kwargs: {})(RedisCache.get_many)
    has_key = forgiving(lambda *args, **kwargs: False)(RedisCache.has_key)
    add = forgiving(lambda *args, **kwargs: False)(RedisCache.add)
    set = forgiving(lambda *args, **kwargs: None)(RedisCache.set)
    set_many = forgiving(lambda data, *args, **kwargs: list(data))(RedisCache.set_many)
    touch = forgiving(lambda *args, **kwargs: False)(RedisCache.touch)
    delete = forgiving(lambda *args, **kwargs: False)(RedisCache.delete)
    delete_many = forgiving(lambda *args, **kwargs: None)(RedisCache.delete_many)
    clear = forgiving(lambda *args, **kwargs: False)(RedisCache.clear)

    @forgiving(lambda *args, **kwargs: None)
    def stored_many(self, keys):
        """The bytes stored under these keys (already made: make_and_validate_key), None for
        a missing one, in one MGET; None while Redis is away. For the page cache's hot copy:
        bytes compared, no key made nor value unpickled per call."""
        return self._cache.get_client(keys[0]).mget(keys)

    def decode(self, stored):
        """The value of bytes stored_many() returned."""
        return None if stored is None else self._cache._serializer.loads(stored)
