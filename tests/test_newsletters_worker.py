"""Never twice, never lost: a worker killed (SIGKILL) in the middle of sending an issue to
2,000 subscribers, then started again; every one of them got exactly one mail, as counted
by a real SMTP server. Real Celery workers on a Redis of the tests' own; Postgres only."""

import asyncio
import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from newsletters import issues, tasks
from newsletters.models import Delivery, Newsletter, Subscriber
from tests.conftest import postgres_only
from tests.services import free_port
from tests.workers import Worker, smtp_sink, wait_until, worker_env

pytestmark = [
    postgres_only,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SUBSCRIBERS = 2000


class Gate:
    """Counts each accepted mail by recipient; once `after` mails are in, holds every sender
    at the start of its next mail (MAIL FROM) until opened: the moment to kill the worker."""

    def __init__(self, after):
        self.after, self.received = after, Counter()
        self.waiting, self.opened = 0, threading.Event()

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.received.total() >= self.after and not self.opened.is_set():
            self.waiting += 1
            while not self.opened.is_set():
                await asyncio.sleep(0.01)
            self.waiting -= 1
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.update(envelope.rcpt_tos)
        return "250 OK"


@pytest.fixture
def issue(series, make_article):
    Newsletter.objects.update(created=timezone.now() - timedelta(hours=1))
    japanese = Newsletter.objects.get(series=series, language="ja")
    people = Subscriber.objects.bulk_create(
        Subscriber(email=f"reader{n}@example.org", consent_at=timezone.now(),
                   consent_text="yes", consent_language="ja", source="import")
        for n in range(SUBSCRIBERS)
    )  # fmt: skip
    Subscriber.newsletters.through.objects.bulk_create(
        Subscriber.newsletters.through(subscriber=person, newsletter=japanese) for person in people
    )
    piece = make_article(number=600, language="ja", published_at=timezone.now())
    [made] = issues.issue_article(piece.pk)
    return made


def test_a_worker_killed_mid_send_and_restarted_sends_each_mail_exactly_once(
    broker, issue, tmp_path
):
    gate = Gate(after=SUBSCRIBERS // 3)
    server = smtp_sink(free_port(), gate)
    env = worker_env(broker, server.port, tmp_path, EMAIL_TIMEOUT="10")
    log = tmp_path / "worker.log"
    worker = Worker(env, log, concurrency=2)
    try:
        with transaction.atomic():
            tasks.start_senders()  # two senders, through the broker
        wait_until(lambda: gate.waiting == 2, "both senders held mid-send", seconds=120)
        worker.kill()
        gate.opened.set()
        sent = Delivery.objects.filter(status="sent").count()
        assert gate.received.total() == sent >= SUBSCRIBERS // 3
        assert sent < SUBSCRIBERS

        worker = Worker(env, log, concurrency=2)  # resumes by itself once ready
        wait_until(
            lambda: not Delivery.objects.exclude(status="sent").exists(),
            "every mail sent after the restart",
            seconds=240,
        )
        wait_until(lambda: gate.received.total() >= SUBSCRIBERS, "every mail received")
        assert gate.received == Counter({f"reader{n}@example.org": 1 for n in range(SUBSCRIBERS)})
    finally:
        worker.stop()
        server.stop()
        print(log.read_text()[-3000:])  # shown when the test fails
