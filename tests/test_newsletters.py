"""Subscribing by e-mail: the form on every public page (cached ones too), double opt-in by
a signed link, preferences, one-click unsubscription, and no way to abuse any of it."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from newsletters import links
from newsletters.models import Newsletter, Subscriber

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_memory_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def reader():
    return Client(HTTP_ACCEPT_LANGUAGE="ja", REMOTE_ADDR="192.0.2.10")


def subscribe_url(language="ja"):
    from django.utils import translation

    with translation.override(language):
        return reverse("newsletters:subscribe")


def ask(client, email="reader@example.org", language="both", series="speaking-out", lang="ja"):
    return client.post(
        subscribe_url(lang), {"email": email, "language": language, "series": [series]}
    )


def confirm_link(message):
    return re.search(r"https?://\S+/confirm/\S+/", message.body).group(0)


def path_of(url):
    return "/" + url.split("/", 3)[3]


def test_every_public_page_has_the_form_even_when_served_from_the_cache(
    settings, client, article, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 3600
    page = article.get_absolute_url()
    first, cached = client.get(page), client.get(page)
    for response in (first, cached):
        assert b'action="/en/newsletter/"' in response.content
        assert b'name="series" value="speaking-out"' in response.content
        assert b"csrfmiddlewaretoken" not in response.content  # the same bytes for everyone
    assert first.content == cached.content
    # A post from that cached page works with no token and no cookie.
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(Client(enforce_csrf_checks=True), lang="en")
    assert response.status_code == 302
    assert len(mail.outbox) == 1


def test_double_opt_in_nothing_is_kept_or_mailed_until_the_link_is_followed(
    reader, article, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(reader)
    assert response.status_code == 302
    assert Subscriber.objects.count() == 0
    [message] = mail.outbox
    assert message.to == ["reader@example.org"]
    assert message.subject == "購読の確認をお願いします"  # "Please confirm your subscription"
    link = path_of(confirm_link(message))
    # Opening the link (a mail scanner does) confirms nothing; the button does.
    assert "購読" in reader.get(link).content.decode()
    assert Subscriber.objects.count() == 0
    response = reader.post(link)
    assert response.status_code == 302
    person = Subscriber.objects.get()
    assert person.status == "confirmed" and person.consent_language == "ja"
    assert person.consent_at is not None and "同意" in person.consent_text
    assert {str(n) for n in person.newsletters.all()} == {
        "今週の直言 (日本語)", "Speaking Out (English)",
    }  # fmt: skip
    # Confirming twice is harmless: the same one subscriber, the same lists.
    consented = person.consent_at
    reader.post(link)
    person.refresh_from_db()
    assert Subscriber.objects.count() == 1 and person.newsletters.count() == 2
    assert person.consent_at == consented


def test_a_confirmation_link_expires_and_a_forged_one_is_refused(reader, series):
    token = links.confirmation_token("reader@example.org", [1], "ja")
    url = links.absolute("newsletters:confirm", "ja", token=token)
    with time_machine.travel(timezone.now() + timedelta(days=3, seconds=1)):
        response = reader.post(url)
    assert response.status_code == 400
    assert "有効期限が切れています" in response.content.decode()
    forged = links.absolute("newsletters:confirm", "ja", token=token[:-2] + "xx")
    assert reader.post(forged).status_code == 400
    assert Subscriber.objects.count() == 0


def test_the_answer_is_the_same_whether_the_address_is_new_subscribed_or_suppressed(
    reader, series, django_capture_on_commit_callbacks
):
    listed = Newsletter.objects.filter(series=series)
    known = Subscriber.objects.create(
        email="known@example.org", consent_at=timezone.now(), consent_text="yes",
        consent_language="en", source="form",
    )  # fmt: skip
    known.newsletters.set(listed)
    Subscriber.objects.create(
        email="bounced@example.org", consent_at=timezone.now(), consent_text="yes",
        consent_language="en", source="form", suppressed_at=timezone.now(),
    )  # fmt: skip
    answers = []
    with django_capture_on_commit_callbacks(execute=True):
        for email in ("new@example.org", "known@example.org", "bounced@example.org"):
            response = ask(reader, email=email)
            answers.append((response.status_code, response["Location"]))
            answers.append(reader.get(response["Location"]).content)
    assert answers[0::2] == [answers[0]] * 3 and answers[1::2] == [answers[1]] * 3
    assert [m.to for m in mail.outbox] == [["new@example.org"], ["known@example.org"]]


def test_no_mail_storm_to_a_victim_and_clients_are_throttled(
    series, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(6):  # from six different clients
            client = Client(HTTP_ACCEPT_LANGUAGE="ja", REMOTE_ADDR=f"192.0.2.{number}")
            assert ask(client, email="victim@example.org").status_code == 302
    assert len(mail.outbox) == 3  # NEWSLETTER_MAILS_PER_ADDRESS_DAY
    one = Client(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR="198.51.100.7")
    codes = [ask(one, email=f"a{n}@example.org", lang="en").status_code for n in range(11)]
    assert codes[:10] == [302] * 10
    assert codes[10] == 429
    assert "Too many requests" in ask(one, lang="en").content.decode()


def test_bad_input_gets_a_clear_answer_in_the_readers_language(reader, series):
    response = ask(reader, email="not an address")
    assert response.status_code == 400
    assert "有効なメールアドレス" in response.content.decode()
    response = reader.post(subscribe_url(), {"email": "a@example.org", "language": "both"})
    assert response.status_code == 400
    assert Subscriber.objects.count() == 0


@pytest.fixture
def subscriber(series):
    person = Subscriber.objects.create(
        email="reader@example.org", consent_at=timezone.now(), consent_text="yes",
        consent_language="en", source="form",
    )  # fmt: skip
    person.newsletters.set(Newsletter.objects.filter(series=series))
    return person


def test_one_click_unsubscribe_needs_no_login_no_token_and_no_page(subscriber):
    url = reverse("newsletters:unsubscribe", kwargs={"token": links.subscriber_token(subscriber)})
    response = Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == "unsubscribed"
    assert Subscriber.objects.receiving().count() == 0
    # A link scanner's GET changes nothing: it is shown the preferences page.
    subscriber.status = "confirmed"
    subscriber.save()
    assert Client().get(url).status_code == 302
    assert Subscriber.objects.receiving().count() == 1
    wrong = reverse("newsletters:unsubscribe", kwargs={"token": "someone-else:abc"})
    assert Client().post(wrong).status_code == 404


def test_the_preferences_page_changes_lists_and_unsubscribes(subscriber, series):
    url = reverse("newsletters:preferences", kwargs={"token": links.subscriber_token(subscriber)})
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    page = client.get(url)
    assert page.status_code == 200
    assert "no-cache" in page["Cache-Control"] or "private" in page["Cache-Control"]
    japanese = Newsletter.objects.get(series=series, language="ja")
    client.post(url, {"newsletters": [japanese.pk]})
    assert list(subscriber.newsletters.all()) == [japanese]
    client.post(url, {"unsubscribe": "1"})
    subscriber.refresh_from_db()
    assert subscriber.status == "unsubscribed"


def test_the_newsletter_pages_cost_a_few_queries(subscriber, series, django_assert_max_num_queries):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.get(subscribe_url("en"))  # the navigation's counts, kept from here on
    with django_assert_max_num_queries(2):
        assert client.get(subscribe_url("en")).status_code == 200
    url = reverse("newsletters:preferences", kwargs={"token": links.subscriber_token(subscriber)})
    with django_assert_max_num_queries(4):
        assert client.get(url).status_code == 200
