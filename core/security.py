"""Hooks for django-axes (login throttling): the lockout page, and the client's address
behind a trusted proxy."""

from django.conf import settings
from django.contrib import admin
from django.shortcuts import render


def locked_out(request, response=None, credentials=None):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {**admin.site.each_context(request), "minutes": minutes}
    return render(request, "admin/locked_out.html", context, status=429)


def client_ip(request):
    """The address the trusted proxy (TRUSTED_PROXY_HEADER) saw: the last one it appended
    to X-Forwarded-For; any before it came from the client and prove nothing."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return forwarded.rsplit(",", 1)[-1].strip() or request.META.get("REMOTE_ADDR")


def client_address(request):
    """The client's address, for counting and throttling: the proxy's word where one is
    trusted, else the socket's (a client could write any X-Forwarded-For)."""
    if settings.TRUSTED_PROXY_HEADER:
        return client_ip(request)
    return request.META.get("REMOTE_ADDR", "")
