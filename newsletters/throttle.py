"""Counts in the cache (shared by every server with Redis): how often a client may ask, and
how many confirmation mails an address may get, so nobody can flood a victim's inbox."""

import hashlib

from django.conf import settings
from django.core.cache import cache

from core.security import client_address


def allow(key, limit, seconds):
    key = "newsletters:throttle:" + hashlib.sha256(key.encode()).hexdigest()
    cache.add(key, 0, seconds)
    try:
        return cache.incr(key) <= limit
    except ValueError:  # expired between the two calls
        return True


def client_allowed(request):
    return allow(
        f"client:{client_address(request)}", settings.NEWSLETTER_REQUESTS_PER_CLIENT_HOUR, 3600
    )


def address_allowed(email):
    return allow(f"address:{email}", settings.NEWSLETTER_MAILS_PER_ADDRESS_DAY, 86400)
