"""A mailing list in and out as CSV: email, lists (e.g. "speaking-out:ja speaking-out:en"),
consent_at (ISO 8601 date or time), consent_text, consent_language."""

import csv
import io

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from .models import Newsletter, Subscriber, normalise

FIELDS = ["email", "lists", "status", "consent_at", "consent_text", "consent_language"]


def export(subscribers):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(FIELDS)
    for person in subscribers.prefetch_related("newsletters__series"):
        lists = " ".join(f"{n.series.slug}:{n.language}" for n in person.newsletters.all())
        writer.writerow(
            [person.email, lists, person.status, person.consent_at.isoformat(),
             person.consent_text, person.consent_language]
        )  # fmt: skip
    return out.getvalue()


def when(text):
    moment = parse_datetime(text) or (parse_date(text) and f"{text}T00:00:00")
    if isinstance(moment, str):
        moment = parse_datetime(moment)
    if moment and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def import_rows(text):
    """Adds or updates one subscriber per row that has its consent date; returns (imported,
    [(line, reason)]). Nobody is mailed: they consented before, and the date says when."""
    lists = {
        f"{n.series.slug}:{n.language}": n for n in Newsletter.objects.select_related("series")
    }
    imported, refused = 0, []
    for line, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        email = normalise(row.get("email") or "")
        consent_at = when((row.get("consent_at") or "").strip())
        chosen = [lists.get(name) for name in (row.get("lists") or "").split()]
        if "@" not in email:
            refused.append((line, _("no e-mail address")))
        elif consent_at is None:
            refused.append((line, _("no consent date: such an address must subscribe itself")))
        elif not chosen or None in chosen:
            refused.append((line, _("unknown list")))
        else:
            with transaction.atomic():
                person, _created = Subscriber.objects.update_or_create(
                    email=email,
                    defaults={
                        "consent_at": consent_at,
                        "consent_text": row.get("consent_text") or _("Consent given before import"),
                        "consent_language": (row.get("consent_language") or "ja")[:2],
                        "source": Subscriber.Source.IMPORT,
                    },
                )
                person.newsletters.add(*chosen)
            imported += 1
    return imported, refused
