"""The API's pagination and throttling, named in settings.REST_FRAMEWORK (a module of their
own: DRF imports them while its views module loads)."""

from urllib.parse import urlsplit

from django.conf import settings
from rest_framework import pagination, throttling

from core.security import client_ip
from core.site import absolute


class Pagination(pagination.CursorPagination):
    ordering = ("-published_at", "-id")
    page_size = settings.REST_FRAMEWORK["PAGE_SIZE"]
    page_size_query_param = "page_size"
    max_page_size = 100

    def encode_cursor(self, cursor):
        # On SITE_URL, as every address the site writes (core.site), not the request's Host.
        url = urlsplit(super().encode_cursor(cursor))
        return absolute(f"{url.path}?{url.query}")


class ClientThrottle(throttling.SimpleRateThrottle):
    """Per client address, at settings.API_THROTTLE_RATE (read at each request)."""

    scope = "api"

    def get_rate(self):
        return settings.API_THROTTLE_RATE

    def get_cache_key(self, request, view):
        address = client_ip(request) if settings.TRUSTED_PROXY_HEADER else None
        ident = address or request.META.get("REMOTE_ADDR", "")
        return self.cache_format % {"scope": self.scope, "ident": ident}
