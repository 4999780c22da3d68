"""Sending: one issue per list when a piece becomes public (now, or when its time comes),
to confirmed subscribers only, with the headers providers ask for; retries and suppression."""

import email.policy
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from articles import actions
from newsletters import sending, tasks
from newsletters.models import Delivery, Issue, Newsletter, Subscriber
from tests.services import free_port
from tests.workers import smtp_sink

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_memory_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL, settings.NEWSLETTER_DOMAIN = "https://www.example.org", "www.example.org"
    settings.NEWSLETTER_UNSUBSCRIBE_EMAIL = "unsubscribe@www.example.org"


@pytest.fixture
def lists(series, now):
    """The series' lists, made an hour ago."""
    Newsletter.objects.filter(series=series).update(created=now - timedelta(hours=1))
    return {n.language: n for n in Newsletter.objects.filter(series=series)}


@pytest.fixture
def subscribe(lists, now):
    def make(address, languages=("ja", "en"), **fields):
        fields = {"consent_at": now, "consent_text": "yes", "consent_language": "ja",
                  "source": "form", **fields}  # fmt: skip
        person = Subscriber.objects.create(email=address, **fields)
        person.newsletters.set([lists[language] for language in languages])
        return person

    return make


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    def run():
        with django_capture_on_commit_callbacks(execute=True):
            return tasks.sweep.delay().get()

    return run


def test_a_published_piece_goes_once_to_its_lists_confirmed_subscribers_only(
    subscribe, make_article, now, sweep, link, staff
):
    subscribe("both@example.org")
    subscribe("japanese@example.org", ["ja"])
    subscribe("gone@example.org", status="unsubscribed")
    subscribe("bounced@example.org", suppressed_at=now)
    original = make_article(number=500, language="ja", title="日米同盟の今", published_at=now)
    english = make_article(number=500, language="en", status="draft", published_at=None)
    link(original, english)
    assert sweep() == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["both@example.org", "japanese@example.org"]
    assert {m.subject for m in mail.outbox} == {"【#500】日米同盟の今"}
    # The English list waits for the English piece to be public.
    mail.outbox.clear()
    assert sweep() == 0 and mail.outbox == []
    english.status, english.published_at = "published", timezone.now()
    actions.save(english, staff("Editor"), version=english.version)
    assert sweep() == 1
    assert [m.to for m in mail.outbox] == [["both@example.org"]]
    assert sweep() == 0 and Issue.objects.count() == 2


def test_an_issue_has_both_parts_the_list_headers_and_no_tracking(
    subscribe, make_article, now, sweep, author
):
    person = subscribe("reader@example.org", ["ja"])
    make_article(
        number=501, language="ja", title="憲法改正の論点", lead="要点はこうだ。", published_at=now
    )
    sweep()
    [message] = mail.outbox
    parsed = email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)
    text = parsed.get_body(("plain",)).get_content()
    html = parsed.get_body(("html",)).get_content()
    for part in (text, html):
        assert "【#501】憲法改正の論点" in part and "要点はこうだ。" in part
        assert author.name_ja in part
        assert "https://www.example.org/ja/speaking-out/501/" in part
        assert "/ja/newsletter/preferences/" in part
    assert "line-height:1.9" in html and "Hiragino" in html and "mso-line-height-rule" in html
    assert "<img" not in html  # no tracking pixel; links go straight to the site
    unsubscribe = parsed["List-Unsubscribe"].strip()  # folded: a long header
    assert unsubscribe.startswith("<https://www.example.org/ja/newsletter/unsubscribe/")
    assert "<mailto:unsubscribe@www.example.org?subject=unsubscribe%20" in unsubscribe
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert parsed["List-Id"].endswith("<speaking-out.ja.www.example.org>")
    issue = Issue.objects.get()
    assert parsed["Message-ID"] == f"<issue-{issue.pk}.{person.pk}@www.example.org>"


def test_a_scheduled_piece_is_mailed_once_when_due_not_before_not_again(
    subscribe, make_article, now, sweep, staff
):
    subscribe("reader@example.org", ["en"])
    due = now + timedelta(hours=2)
    piece = make_article(number=502, published_at=due)
    assert sweep() == 0 and mail.outbox == []
    with time_machine.travel(due - timedelta(seconds=1)):
        assert sweep() == 0
    with time_machine.travel(due + timedelta(seconds=1)):
        assert sweep() == 1
        assert len(mail.outbox) == 1
        editor = staff("Editor")
        piece.title = "Corrected title"
        actions.save(piece, editor, version=piece.version)
        assert sweep() == 0
    assert len(mail.outbox) == 1


def test_old_or_pre_list_pieces_are_never_mailed(subscribe, make_article, now, lists, sweep):
    subscribe("reader@example.org")
    make_article(number=503, published_at=now - timedelta(hours=49))  # an import's old date
    make_article(number=504, published_at=lists["en"].created - timedelta(seconds=1))
    assert sweep() == 0 and mail.outbox == []


class Refusing:
    """An SMTP server that answers one address with a temporary and one with a permanent
    refusal, and takes the rest."""

    def __init__(self):
        self.messages = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("later@"):
            return "451 4.3.0 try again later"
        if address.startswith("nobody@"):
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope.rcpt_tos)
        return "250 OK"


def test_temporary_refusals_are_retried_later_and_permanent_ones_never(
    settings, subscribe, make_article, now, sweep
):
    server = smtp_sink(free_port(), Refusing())
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    try:
        for name in ("later", "nobody", "fine"):
            subscribe(f"{name}@example.org", ["en"])
        make_article(number=505, published_at=now)
        sweep()
        states = dict(Delivery.objects.values_list("subscriber__email", "status"))
        assert states == {"later@example.org": "queued", "nobody@example.org": "failed",
                          "fine@example.org": "sent"}  # fmt: skip
        later = Delivery.objects.get(subscriber__email="later@example.org")
        assert later.attempts == 1
        assert later.next_try_at >= now + timedelta(seconds=settings.NEWSLETTER_RETRY_SECONDS)
        sweep()  # not due yet: nothing is tried
        assert Delivery.objects.get(pk=later.pk).attempts == 1
        with time_machine.travel(later.next_try_at + timedelta(seconds=1)):
            sweep()
        later.refresh_from_db()
        assert later.attempts == 2 and later.status == "queued"
        assert later.next_try_at - timezone.now() > timedelta(seconds=100)  # it grows
        assert Delivery.objects.get(subscriber__email="nobody@example.org").attempts == 1
        assert server.handler.messages == [["fine@example.org"]]
    finally:
        server.stop()


def test_the_rate_limit_holds_a_send_back(settings, subscribe, make_article, now, sweep):
    settings.NEWSLETTER_RATE_PER_MINUTE = 3
    for number in range(5):
        subscribe(f"r{number}@example.org", ["en"])
    make_article(number=506, published_at=now)
    with time_machine.travel(now.replace(second=0) + timedelta(minutes=1), tick=False):
        sweep()
        assert len(mail.outbox) == 3
        assert sending.deliver() == (0, True)  # still this minute
    with time_machine.travel(now.replace(second=0) + timedelta(minutes=2), tick=False):
        assert sending.deliver() == (2, False)
    assert len(mail.outbox) == 5


def test_someone_unsubscribed_after_the_issue_was_queued_gets_nothing(
    subscribe, make_article, now, django_capture_on_commit_callbacks
):
    from newsletters import issues

    person = subscribe("reader@example.org", ["en"])
    piece = make_article(number=507, published_at=now)
    [issue] = issues.issue_article(piece.pk)
    Subscriber.objects.filter(pk=person.pk).update(status="unsubscribed")
    assert sending.deliver() == (1, False)
    assert mail.outbox == []
    assert Delivery.objects.get().status == "suppressed"


def test_a_piece_published_now_is_mailed_at_once_without_waiting_for_the_sweep(
    subscribe, make_article, staff, django_capture_on_commit_callbacks
):
    subscribe("reader@example.org", ["en"])
    piece = make_article(number=508, status="review", published_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        actions.publish(piece, staff("Editor"))
    assert [m.subject for m in mail.outbox] == [str(piece)]


def test_what_counts_as_a_temporary_failure():
    import smtplib

    from anymail.exceptions import AnymailAPIError

    from core.mail import is_temporary

    assert is_temporary(smtplib.SMTPServerDisconnected("gone"))
    assert is_temporary(TimeoutError())
    assert is_temporary(smtplib.SMTPDataError(451, b"later"))
    assert not is_temporary(smtplib.SMTPDataError(554, b"rejected"))
    assert not is_temporary(smtplib.SMTPRecipientsRefused({"a@example.org": (550, b"no")}))
    assert is_temporary(smtplib.SMTPRecipientsRefused({"a@example.org": (452, b"full")}))
    down, refused = AnymailAPIError("down"), AnymailAPIError("bad request")
    down.status_code, refused.status_code = 503, 400
    assert is_temporary(down) and not is_temporary(refused)
