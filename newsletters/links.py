"""Signed links in the mail: a confirmation (it carries the whole request and expires) and
a subscriber's own preferences (never expires: an unsubscribe link in an old mail works)."""

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation

CONFIRM_SALT = "newsletters.confirm"
PREFERENCES_SALT = "newsletters.preferences"


def confirmation_token(email, newsletter_ids, language):
    return signing.dumps(
        {"e": email, "n": sorted(newsletter_ids), "l": language}, salt=CONFIRM_SALT
    )


def read_confirmation(token):
    """The request, or raises signing.BadSignature (SignatureExpired past its days)."""
    max_age = settings.NEWSLETTER_CONFIRM_DAYS * 86400
    return signing.loads(token, salt=CONFIRM_SALT, max_age=max_age)


def subscriber_token(subscriber):
    return signing.Signer(salt=PREFERENCES_SALT).sign(subscriber.key)


def read_subscriber_token(token):
    """The subscriber's key, or raises signing.BadSignature."""
    return signing.Signer(salt=PREFERENCES_SALT).unsign(token)


def absolute(viewname, language, **kwargs):
    # Not core.i18n.address: it remembers addresses, and these are one per subscriber.
    with translation.override(language):
        return settings.SITE_URL + reverse(viewname, kwargs=kwargs)
