"""Webhooks through the real job queue: the editor's publication only queues the delivery; a
Celery worker process sends it, and tries again (Celery's retry, with backoff) until the
partner answers."""

import pytest

from articles import actions
from tests.conftest import postgres_only
from tests.services import free_port
from tests.test_webhooks import Partner
from tests.workers import Worker, wait_until, worker_env
from webhooks.models import Delivery, Endpoint

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_worker_sends_the_delivery_and_retries_it_until_the_partner_answers(
    broker, tmp_path, draft, editor
):
    partner = Partner()
    partner.status = 503
    Endpoint.objects.create(name="Partner", url=partner.url)
    # Backoff of at most a second, so the test waits for two retries, not minutes.
    env = worker_env(broker, free_port(), tmp_path, WEBHOOK_RETRY_MAX_SECONDS="1")
    worker = Worker(env, tmp_path / "worker.log")
    try:
        actions.publish(draft, editor)
        wait_until(lambda: len(partner.received) == 2, "the first try and its retry")
        partner.status = 200
        wait_until(
            lambda: Delivery.objects.filter(state=Delivery.State.SENT).exists(), "the delivery"
        )
        delivery = Delivery.objects.get()
        assert delivery.attempts == len(partner.received) >= 3
        assert delivery.last_status == 200
    finally:
        worker.stop()
        partner.server.shutdown()
        print((tmp_path / "worker.log").read_text()[-4000:])  # shown when the test fails
