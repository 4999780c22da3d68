"""What a page is built from: the tags of the content it shows, gathered while it is built
(depends()), and the names of what the page cache keeps in the shared cache."""

from contextlib import contextmanager
from contextvars import ContextVar

GENERATION_KEY = "pagecache:generation"
SEQUENCE_KEY = "pagecache:sequence"
SCHEDULE_KEY = "pagecache:schedule"
SCHEDULE_TAG = "schedule"  # bumped whenever a piece's times or state change
LONGEST = 3600  # no kept thing outlives this, page cache or not


def version_key(tag):
    return f"pagecache:tag:{tag}"


_collecting = ContextVar("pagecache_collecting", default=())


@contextmanager
def collect():
    """Within this block every tag named by depends() is gathered in the set yielded (and
    in those of the blocks around it)."""
    found = set()
    token = _collecting.set((*_collecting.get(), found))
    try:
        yield found
    finally:
        _collecting.reset(token)


def collecting():
    return bool(_collecting.get())


def depends(*tags):
    """The page being built shows the content these tags name."""
    for found in _collecting.get():
        found.update(tags)


ALL = "*"  # in the schedule: an instant that bounds every page
LISTS = "lists"  # what every page shows unless it says precise(): any list of pieces
ANY = "any"  # every change of content (search results, sitemaps)
PRECISE = "precise"


def precise():
    """The page being built names all it shows with depends() and the tags of the rows it
    reads (a commentary's page): it does not change with every list of pieces."""
    depends(PRECISE)
