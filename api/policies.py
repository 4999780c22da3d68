"""The API's pagination and throttling, named in settings.REST_FRAMEWORK (a module of their
own: DRF imports them while its views module loads)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import pagination, throttling
from rest_framework.exceptions import ValidationError

from core.security import client_address
from core.site import absolute


class Pagination(pagination.CursorPagination):
    ordering = ("-published_at", "-id")
    page_size = settings.REST_FRAMEWORK["PAGE_SIZE"]
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request):
        # DRF falls back to the default on a bad value; a client should know it asked wrongly.
        value = request.query_params.get(self.page_size_query_param)
        if not value:
            return self.page_size
        if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= self.max_page_size:
            message = _("A whole number from 1 to %(most)d.") % {"most": self.max_page_size}
            raise ValidationError({self.page_size_query_param: [message]})
        return int(value)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters

    def decode_cursor(self, request):
        if not request.query_params.get(self.cursor_query_param):
            return None  # an empty cursor is the first page, as an empty filter is no filter
        return super().decode_cursor(request)

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
        return self.cache_format % {"scope": self.scope, "ident": client_address(request)}
