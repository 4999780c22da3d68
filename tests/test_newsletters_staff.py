"""Staff's side of the newsletters: subscribers in the admin (search, filters, CSV import with
consent dates, export, erasure), issues with their progress; and the mail provider's
bounce and complaint webhooks (django-anymail, signature checked) suppressing addresses."""

import hashlib
import hmac
import json

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from newsletters.models import Delivery, Issue, Newsletter, Subscriber

pytestmark = pytest.mark.django_db


@pytest.fixture
def editors(staff, client_for):
    return client_for(staff("Editor"))


@pytest.fixture
def person(series):
    made = Subscriber.objects.create(
        email="reader@example.org", consent_at=timezone.now(), consent_text="yes",
        consent_language="ja", source="form",
    )  # fmt: skip
    made.newsletters.set(Newsletter.objects.filter(series=series, language="ja"))
    return made


CSV = """email,lists,consent_at,consent_text,consent_language
Old.Friend@Example.org,speaking-out:ja speaking-out:en,2019-04-01,紙の申込書,ja
no-date@example.org,speaking-out:ja,,,
wrong@example.org,nowhere:ja,2020-01-01,,en
"""


def test_an_existing_list_is_imported_with_its_consent_dates_and_nobody_is_mailed(
    editors, series, django_capture_on_commit_callbacks
):
    url = reverse("admin:newsletters_subscriber_import")
    upload = SimpleUploadedFile("list.csv", CSV.encode("utf-8-sig"), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = editors.post(url, {"file": upload}, follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert (
        "1 imported." in text
        and "Line 3: no consent date" in text
        and "Line 4: unknown list" in text
    )
    friend = Subscriber.objects.get()
    assert friend.email == "old.friend@example.org" and friend.source == "import"
    assert timezone.localtime(friend.consent_at).date().isoformat() == "2019-04-01"
    assert friend.consent_text == "紙の申込書"
    assert friend.newsletters.count() == 2
    assert mail.outbox == []  # they consented before: no confirmation mail


def test_subscribers_are_searched_filtered_exported_and_erased(editors, person, series):
    changelist = reverse("admin:newsletters_subscriber_changelist")
    assert "reader@example.org" in editors.get(changelist, {"q": "reader"}).content.decode()
    assert "reader@example.org" not in editors.get(changelist, {"q": "other"}).content.decode()
    assert "reader@example.org" in editors.get(changelist, {"status": "confirmed"}).content.decode()
    filtered = editors.get(changelist, {"suppressed": "yes"}).content.decode()
    assert "reader@example.org" not in filtered
    exported = editors.post(changelist, {"action": "export_csv", "_selected_action": [person.pk]})
    assert exported["Content-Type"].startswith("text/csv")
    assert "reader@example.org,speaking-out:ja,confirmed" in exported.content.decode()
    editors.post(changelist, {"action": "erase", "_selected_action": [person.pk], "post": "yes"})
    assert not Subscriber.objects.filter(email="reader@example.org").exists()


def test_writers_see_no_subscriber(staff, client_for, person):
    writers = client_for(staff("Writer"))
    assert writers.get(reverse("admin:newsletters_subscriber_changelist")).status_code == 403


def test_each_issue_shows_its_progress(editors, person, make_article, series):
    newsletter = Newsletter.objects.get(series=series, language="ja")
    piece = make_article(number=700, language="ja")
    issue = Issue.objects.create(newsletter=newsletter, article=piece, subject=str(piece))
    others = [
        Subscriber.objects.create(email=f"p{n}@example.org", consent_at=timezone.now(),
                                  consent_text="yes", consent_language="ja", source="form")
        for n in range(3)
    ]  # fmt: skip
    for who, status in zip([person, *others], ["sent", "sent", "failed", "queued"], strict=True):
        Delivery.objects.create(issue=issue, subscriber=who, status=status)
    response = editors.get(reverse("admin:newsletters_issue_changelist"))
    assert response.status_code == 200
    row = response.content.decode().split(str(piece))[1].split("</tr>")[0]
    cells = [cell.split(">")[-1] for cell in row.split("</td>")[:-1]]
    assert cells[-4:] == ["1", "2", "1", "0"]  # queued, sent, failed, suppressed


def mailgun_event(key, event, recipient, **extra):
    timestamp, token = str(int(timezone.now().timestamp())), "a" * 50
    signature = hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256)
    return {
        "signature": {"timestamp": timestamp, "token": token, "signature": signature.hexdigest()},
        "event-data": {"event": event, "recipient": recipient, "timestamp": timestamp, **extra},
    }


def test_a_bounce_or_complaint_from_the_provider_suppresses_the_address(settings, client, person):
    settings.ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": "signing-key"}
    url = reverse("anymail:mailgun_tracking_webhook")
    forged = mailgun_event("not-the-key", "complained", "reader@example.org")
    response = client.post(url, json.dumps(forged), content_type="application/json")
    assert response.status_code == 400
    assert Subscriber.objects.receiving().count() == 1
    bounce = mailgun_event("signing-key", "failed", "Reader@example.org", severity="permanent")
    response = client.post(url, json.dumps(bounce), content_type="application/json")
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.suppressed_at is not None and "bounced" in person.suppressed_reason
    assert Subscriber.objects.receiving().count() == 0


def test_a_temporary_failure_suppresses_nothing(settings, client, person):
    settings.ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": "signing-key"}
    url = reverse("anymail:mailgun_tracking_webhook")
    soft = mailgun_event("signing-key", "failed", "reader@example.org", severity="temporary")
    assert client.post(url, json.dumps(soft), content_type="application/json").status_code == 200
    assert Subscriber.objects.receiving().count() == 1
