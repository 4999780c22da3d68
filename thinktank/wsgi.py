import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thinktank.settings")


def settle():
    """Loads the URLconf (and so every view) now, then moves everything loaded so far out of
    the garbage collector's sight: it lives as long as the process, and a full collection
    walking it cost 135–263 ms every ~150 requests (docs/performance.md)."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports the views)
    gc.collect()
    gc.freeze()


application = get_wsgi_application()
settle()
