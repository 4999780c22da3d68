"""The site's own address, settings.SITE_URL, in every absolute address it writes: canonical,
og:url, hreflang, JSON-LD, share links, sitemaps, feeds, robots.txt and mail.

Never the request's Host or scheme: Django lets through `localhost.` for `localhost`, any
port, and (behind a proxy) whatever X-Forwarded-Proto says; a page cached from such a
request would hand that address to every reader and search engine. SITE_URL defaults to the
one host ALLOWED_HOSTS names (thinktank/settings.py).
"""

from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings


def absolute(url):
    """`url` (a path, or an address already absolute) as an address on SITE_URL."""
    url = str(url)
    if url.startswith(("http://", "https://")):
        return url
    parts = urlsplit(settings.SITE_URL)
    if url.startswith("//"):  # media on another host, without a scheme
        return f"{parts.scheme}:{url}"
    return f"{parts.scheme}://{parts.netloc}{'' if url.startswith('/') else '/'}{url}"


class SiteRequest:
    """A request as Django's sitemap and feed views read it, with the host and scheme of
    SITE_URL: they build their absolute addresses from request.get_host() and is_secure()."""

    def __init__(self, request):
        self._request = request

    def __getattr__(self, name):
        return getattr(self._request, name)

    def get_host(self):
        return urlsplit(settings.SITE_URL).netloc

    @property
    def scheme(self):
        return urlsplit(settings.SITE_URL).scheme

    def is_secure(self):
        return self.scheme == "https"

    def build_absolute_uri(self, location=None):
        return absolute(location if location is not None else self._request.get_full_path())


def on_site_address(view):
    """The view (a sitemap's, a feed's) given a SiteRequest in place of the request."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return view(SiteRequest(request), *args, **kwargs)

    return wrapped
