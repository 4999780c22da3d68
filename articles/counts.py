"""Counts over the whole public archive (years, months, topics), cached, and what else is
worked out from many pieces (the navigation, a commentary's surroundings: articles.views).

They are aggregates over every public commentary, the slowest queries of the site on a large
archive, and they change only when content is saved or deleted, or when a scheduled piece
comes due or reaches its end time. So they are cached under the generation of the site's
content (the page cache's, core.pagecache), which every change bumps, and never past the next
scheduled start or end of publication.
"""

import time

from django.core.cache import cache
from django.utils import translation

from core import pagecache

LONGEST = 3600


def changed():
    """Call after any write to content that sends no model signal (bulk_create(), raw SQL;
    the content models' QuerySet.update() calls it itself): every cached page and count is
    out of date."""
    pagecache.changed()


def version():
    return pagecache.generation()


def cached(name, compute, current=None):
    """compute() as a list, cached per name, language and version of the archive.

    The version must be read before any row compute() works from: a change committed after
    that starts a new version, so what was worked out from older rows is never found again.
    compute() that queries for itself is safe as it is; one that works from rows read earlier
    (a page's own piece) needs `current`, the version read before them."""
    current = current or version()
    key = f"articles:counts:{name}:{translation.get_language()}:{current}"
    value = cache.get(key)
    if value is None:
        value = list(compute())
        cache.set(key, value, pagecache.valid_until(current) - time.time())
    return value
