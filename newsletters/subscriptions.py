"""Subscribing, confirming and unsubscribing, as the views and the admin's import call them."""

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import jobs

from . import links, throttle
from .forms import consent_text
from .models import Newsletter, Subscriber, normalise


def ask(email, newsletters, language):
    """Mails a confirmation link, unless the address has had its share today or is
    suppressed: the person asking is told the same either way."""
    from articles.tasks import send_mail

    email = normalise(email)
    if Subscriber.objects.filter(email=email, suppressed_at__isnull=False).exists():
        return False
    if not throttle.address_allowed(email):
        return False
    token = links.confirmation_token(email, [n.pk for n in newsletters], language)
    with translation.override(language):
        context = {
            "url": links.absolute("newsletters:confirm", language, token=token),
            "newsletters": newsletters,
            "days": settings.NEWSLETTER_CONFIRM_DAYS,
        }
        subject = _("Please confirm your subscription")
        body = render_to_string("newsletters/mail/confirm.txt", context)
    jobs.after_commit(send_mail, [[subject, body, settings.NEWSLETTER_FROM_EMAIL, [email]]])
    return True


@transaction.atomic
def confirm(request_data):
    """The signed request of a confirmation link, applied; a second time changes nothing."""
    email, language = request_data["e"], request_data["l"]
    newsletters = Newsletter.objects.filter(pk__in=request_data["n"], active=True)
    subscriber = Subscriber.objects.select_for_update().filter(email=email).first()
    with translation.override(language):
        consent = {
            "consent_at": timezone.now(),
            "consent_text": str(consent_text()),
            "consent_language": language,
            "source": Subscriber.Source.FORM,
        }
    if subscriber is None:
        subscriber = Subscriber.objects.create(email=email, **consent)
    new_lists = set(newsletters) - set(subscriber.newsletters.all())
    if new_lists or subscriber.status != Subscriber.Status.CONFIRMED:
        for name, value in consent.items():
            setattr(subscriber, name, value)
        subscriber.status = Subscriber.Status.CONFIRMED
        subscriber.save()
    subscriber.newsletters.add(*new_lists)
    return subscriber


def unsubscribe(subscriber):
    Subscriber.objects.filter(pk=subscriber.pk).update(
        status=Subscriber.Status.UNSUBSCRIBED, updated=timezone.now()
    )


def subscriber_for(token):
    """The subscriber a preferences link names, or None (a bad or erased one)."""
    from django.core.signing import BadSignature

    try:
        key = links.read_subscriber_token(token)
    except BadSignature:
        return None
    return Subscriber.objects.filter(key=key).first()


@transaction.atomic
def keep(subscriber, newsletters):
    """The lists a subscriber chose on the preferences page (none: no mail)."""
    subscriber.newsletters.set(newsletters)
    status = Subscriber.Status.CONFIRMED if newsletters else Subscriber.Status.UNSUBSCRIBED
    Subscriber.objects.filter(pk=subscriber.pk).update(status=status, updated=timezone.now())
