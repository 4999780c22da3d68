"""Deployment checks (`manage.py check --deploy`) for settings Django does not know."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.http.request import validate_host


@register(Tags.security, deploy=True)
def check_site_url(app_configs, **kwargs):
    """Every absolute address the site writes is on SITE_URL (core.site): in production it
    is the public https address, one of ALLOWED_HOSTS."""
    parts = urlsplit(settings.SITE_URL)
    problems = []
    if parts.scheme != "https":
        problems.append(
            Warning(
                f"SITE_URL is {settings.SITE_URL!r}: canonical addresses, sitemaps, feeds and "
                "mail would not link to the public https site.",
                hint="Set SITE_URL, e.g. https://www.example.org, or name the one host in "
                "ALLOWED_HOSTS.",
                id="core.W001",
            )
        )
    if not validate_host(parts.hostname or "", settings.ALLOWED_HOSTS):
        problems.append(
            Warning(
                f"SITE_URL's host {parts.hostname!r} is not in ALLOWED_HOSTS.",
                id="core.W002",
            )
        )
    return problems
