"""The cache of the load benchmark's "cold" run (scripts/benchsite.py): the configured
backend, except that what a page keeps of its own is never found, so each page is built as
on the first request for it after a change of content (or by a crawler walking the archive),
while what every page shares (the generation, the next publication time, the navigation,
the archive's months) is found, as it is made once per change by whichever page comes first.
"""

from django.core.cache.backends.filebased import FileBasedCache

from core.cache import ForgivingRedisCache

PAGE_OWN = (":around:",)  # a commentary's surroundings (articles.views.surroundings)


class ForgetsPages:
    def get(self, key, default=None, version=None):
        if any(part in key for part in PAGE_OWN):
            return default
        return super().get(key, default, version)


class FileCache(ForgetsPages, FileBasedCache):
    pass


class RedisCache(ForgetsPages, ForgivingRedisCache):
    pass
