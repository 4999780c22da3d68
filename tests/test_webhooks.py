"""Webhooks for partners: what is sent (signed, as the API shows it, never anything hidden),
when (at once, at a scheduled start or end), retried with backoff, and sent once however
often its job runs. A real HTTP server stands in for the partner."""

import hashlib
import hmac
import json
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine
from django.db import connection

from articles import actions
from webhooks import tasks
from webhooks.models import Delivery, Endpoint

State = Delivery.State


class Partner:
    """A partner's server: records each POST, answers with `status`."""

    def __init__(self):
        self.received, self.status = [], 200
        partner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                partner.received.append((dict(self.headers), body))
                self.send_response(partner.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def events(self):
        return [json.loads(body) for _headers, body in self.received]


@pytest.fixture
def partner():
    server = Partner()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
def endpoint(partner, db):
    return Endpoint.objects.create(name="Partner", url=partner.url)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs the block's after-commit work (the signal, the jobs) as a real commit would."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


def sweep(committed):
    return committed(tasks.sweep)


def test_a_publication_is_sent_signed_with_the_commentary_as_the_api_shows_it(
    partner, endpoint, committed, draft, editor, client
):
    committed(actions.publish, draft, editor)
    [(headers, body)] = partner.received
    event = json.loads(body)
    assert event["event"] == headers["X-Webhook-Event"] == "commentary.published"
    assert event["id"] == headers["X-Webhook-Id"] == str(Delivery.objects.get().pk)
    assert event["data"] == client.get(f"/api/v1/commentaries/{draft.pk}/").json()
    timestamp = headers["X-Webhook-Timestamp"]
    assert abs(int(timestamp) - time.time()) < 60
    expected = hmac.new(
        endpoint.secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256
    ).hexdigest()
    assert headers["X-Webhook-Signature"] == f"sha256={expected}"
    assert Delivery.objects.get().state == State.SENT


def test_a_change_and_an_unpublication_are_sent_and_the_last_says_only_which_piece(
    partner, endpoint, committed, article, editor
):
    article.title = "A corrected title"
    committed(actions.save, article, editor, version=article.version)
    committed(actions.unpublish, article, editor)
    updated, gone = partner.events()
    assert updated["event"] == "commentary.updated"
    assert updated["data"]["title"] == "A corrected title"
    assert gone["event"] == "commentary.unpublished"
    assert gone["data"] == {"id": article.pk, "url": "http://testserver/en/speaking-out/434/"}


def test_drafts_pending_changes_and_the_trash_send_nothing_hidden(
    partner, endpoint, committed, article, make_article, editor
):
    draft = make_article(number=440, status="draft", published_at=None)
    draft.title = "Still a draft"
    committed(actions.save, draft, editor, version=draft.version)
    committed(actions.propose, article, editor, {"title": "Pending title"}, version=article.version)
    assert partner.received == []
    committed(actions.trash, article, editor, version=article.version)
    [gone] = partner.events()
    assert gone["event"] == "commentary.unpublished"
    assert set(gone["data"]) == {"id", "url"}
    assert b"Pending title" not in b"".join(body for _headers, body in partner.received)


def test_an_endpoint_gets_only_the_events_it_asked_for(partner, committed, draft, editor, db):
    Endpoint.objects.create(name="Changes only", url=partner.url, on_published=False)
    Endpoint.objects.create(name="Switched off", url=partner.url, is_active=False)
    committed(actions.publish, draft, editor)
    assert partner.received == []
    committed(actions.unpublish, draft, editor)
    assert [event["event"] for event in partner.events()] == ["commentary.unpublished"]


def test_a_scheduled_piece_is_announced_when_it_comes_out_and_not_before(
    partner, endpoint, committed, make_article, editor, now
):
    start = now + timedelta(hours=2)
    piece = make_article(number=441, status="draft", published_at=None)
    committed(actions.publish, piece, editor, at=start)
    with time_machine.travel(start - timedelta(seconds=1)):
        sweep(committed)
    assert partner.received == []
    with time_machine.travel(start + timedelta(seconds=30)):
        sweep(committed)
        sweep(committed)
    [event] = partner.events()
    assert event["event"] == "commentary.published"
    assert event["data"]["id"] == piece.pk


def test_a_rescheduled_piece_is_announced_once_at_its_new_time(
    partner, endpoint, committed, make_article, editor, now
):
    piece = make_article(number=442, status="draft", published_at=None)
    committed(actions.publish, piece, editor, at=now + timedelta(hours=1))
    committed(actions.move, piece, editor, piece.status, published_at=now + timedelta(hours=3))
    with time_machine.travel(now + timedelta(hours=2)):
        sweep(committed)
    assert partner.received == []
    with time_machine.travel(now + timedelta(hours=4)):
        sweep(committed)
    assert [event["event"] for event in partner.events()] == ["commentary.published"]
    assert Delivery.objects.filter(state=State.CANCELLED).count() == 1


def test_an_endpoint_switched_off_meanwhile_is_sent_nothing_more(
    partner, endpoint, committed, make_article, editor, now
):
    piece = make_article(number=443, status="draft", published_at=None)
    committed(actions.publish, piece, editor, at=now + timedelta(hours=1))
    endpoint.is_active = False
    endpoint.save()
    with time_machine.travel(now + timedelta(hours=2)):
        sweep(committed)
    assert partner.received == []
    assert Delivery.objects.get().state == State.CANCELLED


def test_the_end_of_publication_is_announced_when_it_comes(
    partner, endpoint, committed, article, editor, now
):
    end = now + timedelta(hours=1)
    committed(actions.set_end, article, editor, end)
    assert [event["event"] for event in partner.events()] == ["commentary.updated"]
    with time_machine.travel(end + timedelta(seconds=5)):
        sweep(committed)
    gone = partner.events()[-1]
    assert gone["event"] == "commentary.unpublished"
    assert gone["data"] == {"id": article.pk, "url": "http://testserver/en/speaking-out/434/"}


def test_a_failed_delivery_is_retried_with_backoff_then_given_up(
    partner, endpoint, committed, draft, editor, settings, now
):
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    partner.status = 503
    committed(actions.publish, draft, editor)
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.last_status) == (State.PENDING, 1, 503)
    assert timedelta(seconds=55) < delivery.next_attempt_at - now < timedelta(seconds=70)
    with time_machine.travel(now + timedelta(seconds=30)):
        sweep(committed)  # not yet due
    assert len(partner.received) == 1
    with time_machine.travel(now + timedelta(seconds=65)):
        sweep(committed)
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    assert timedelta(seconds=115) < delivery.next_attempt_at - (now + timedelta(seconds=65))
    with time_machine.travel(now + timedelta(minutes=10)):
        sweep(committed)
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (State.FAILED, 3)
    # Every try sent the same event, freshly signed.
    bodies = {body for _headers, body in partner.received}
    assert len(partner.received) == 3 and len(bodies) == 1


def test_a_retry_succeeds_once_the_partner_is_back(
    partner, endpoint, committed, draft, editor, now
):
    partner.status = 500
    committed(actions.publish, draft, editor)
    partner.status = 204
    with time_machine.travel(now + timedelta(minutes=2)):
        sweep(committed)
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.last_status) == (State.SENT, 2, 204)


def test_an_unreachable_partner_is_a_failed_try_not_an_error(committed, draft, editor, db):
    Endpoint.objects.create(name="Gone", url="http://127.0.0.1:9/hooks")
    committed(actions.publish, draft, editor)  # the editor's publication stands
    delivery = Delivery.objects.get()
    assert delivery.state == State.PENDING and delivery.last_error
    draft.refresh_from_db()
    assert draft.is_published()


def test_the_log_forgets_finished_deliveries_after_a_month(
    partner, endpoint, committed, article, draft, editor, now, settings
):
    partner.status = 500
    committed(actions.publish, draft, editor)  # pending: kept however old
    partner.status = 200
    committed(actions.unpublish, article, editor)  # sent
    with time_machine.travel(now + timedelta(days=settings.WEBHOOK_LOG_KEEP_DAYS, hours=1)):
        Delivery.objects.filter(state=State.PENDING).update(
            next_attempt_at=now + timedelta(days=99)
        )
        sweep(committed)
    assert list(Delivery.objects.values_list("event", flat=True)) == ["commentary.published"]


def test_a_delivery_job_run_twice_sends_once(partner, endpoint, committed, article, editor):
    endpoint.is_active = False
    endpoint.save()
    committed(actions.unpublish, article, editor)
    endpoint.is_active = True
    endpoint.save()
    from webhooks import outbox

    [delivery_id] = outbox.record(article, "unpublished")
    assert tasks.deliver.apply(args=[str(delivery_id)]).get() == "sent"
    assert tasks.deliver.apply(args=[str(delivery_id)]).get() == "not due"
    # Told twice, the same event is one delivery.
    assert outbox.record(article, "unpublished") == []
    assert len(partner.received) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_runs_of_one_delivery_at_once_send_it_once(partner, article, editor):
    from webhooks import outbox

    actions.unpublish(article, editor)
    Endpoint.objects.create(name="Partner", url=partner.url)
    [delivery_id] = outbox.record(article, "unpublished")
    barrier, outcomes = threading.Barrier(2), []

    def run():
        barrier.wait()
        try:
            outcomes.append(tasks.deliver.apply(args=[str(delivery_id)]).get())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["not due", "sent"]
    assert len(partner.received) == 1
