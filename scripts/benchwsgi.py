"""The load benchmark's WSGI application (scripts/loadbench.py): the site as configured, and
at /bench/bare/ the same bare Django view with no middleware at all: the ceiling a page
cache hit is measured against (issue 21)."""

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.wsgi import get_wsgi_application

BARE = "/bench/bare/"

site = get_wsgi_application()


class NoMiddleware(WSGIHandler):
    def load_middleware(self, is_async=False):
        kept = settings.MIDDLEWARE
        settings.MIDDLEWARE = []
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = kept


bare = NoMiddleware()


def application(environ, start_response):
    handler = bare if environ.get("PATH_INFO") == BARE else site
    return handler(environ, start_response)
