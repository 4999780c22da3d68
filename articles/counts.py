"""Counts over the whole public archive (years, months, topics), cached, and what else is
worked out from many pieces (the navigation, a commentary's surroundings: articles.views).

They are aggregates over every public commentary, the slowest queries of the site on a large
archive, and they change only when content is saved or deleted, or when a scheduled piece
comes due or reaches its end time. So they are cached under the generation of the site's
content they show (the page cache's tags, core.pagecache and articles.invalidation), and
never past the next scheduled start or end of publication that touches them.
"""

from django.utils import translation

from core import pagecache


def changed(article=None):
    """Call after any write to content that sends no model signal (bulk_create(), raw SQL;
    the content models' QuerySet.update() calls it itself): every cached page and count is
    out of date, or with `article`, those that show that piece or lists it is in."""
    if article is None:
        pagecache.changed()
    else:  # its bylines (bulk_create): its pages, and the authors' lists of pieces
        pagecache.changed(f"a{article.pk}", pagecache.LISTS, pagecache.ANY)


def version():
    """What a kept count was worked out from must be asked for before its rows are read."""
    return pagecache.token()


def cached(name, compute, current=None, tags=None):
    """compute() as a list, cached per name and language while nothing it shows changed
    (core.pagecache.fragment): the tags it names (by default any list of pieces) and those
    of the rows it reads.

    `current` is the version() read before any row compute() works from, for a compute()
    that works from rows read earlier (a page's own piece); one that queries for itself
    needs none."""
    key = f"articles:counts:{name}:{translation.get_language()}"
    tags = [pagecache.LISTS] if tags is None else tags
    return pagecache.fragment(key, lambda: list(compute()), tags, current)
