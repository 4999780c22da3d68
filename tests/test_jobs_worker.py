"""The job queue for real: a Celery worker process on a Redis of the tests' own, the test
process queueing through the broker (not in process), mail counted at a real SMTP server."""

import time

import pytest
from django.core import mail
from django.utils import timezone

from articles.models import Article
from jobs.models import JobRun
from tests.conftest import postgres_only
from tests.forms import edit_form
from tests.services import free_port
from tests.test_workflow import change_url
from tests.workers import Stall, Worker, smtp_sink, wait_until, worker_env

# The worker reads the test database from its own process: Postgres only.
pytestmark = [postgres_only, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def smtp_port(settings):
    """The port both the worker and (were it to send in the request) this process use."""
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 3
    return port


def publish(article):
    """The change form, publishing the piece now."""
    now = timezone.localtime()
    return edit_form(
        article,
        status="published",
        published_at_0=now.strftime("%Y-%m-%d"),
        published_at_1=now.strftime("%H:%M:%S"),
    )


def test_a_save_never_waits_on_a_stalled_smtp_server_and_the_mail_goes_when_it_is_back(
    broker, smtp_port, tmp_path, staff, client_for, make_article
):
    writer, editor = staff("Writer"), staff("Editor")
    editors = client_for(editor)
    first = make_article(number=1, status="review", published_at=None, created_by=writer)
    second = make_article(number=2, status="review", published_at=None, created_by=writer)
    env = worker_env(broker, smtp_port, tmp_path, EMAIL_TIMEOUT="1", MAIL_RETRY_MAX_SECONDS="1")
    worker = Worker(env, tmp_path / "worker.log")
    sink = smtp_sink(smtp_port)
    try:
        started = time.monotonic()
        response = editors.post(change_url(first), publish(first))
        with_server_up = time.monotonic() - started
        assert response.status_code == 302
        wait_until(lambda: len(sink.handler.messages) == 1, "the first publication's mail")
        sink.stop()
        sink = None

        stall = Stall(smtp_port)
        started = time.monotonic()
        response = editors.post(change_url(second), publish(second))
        with_server_stalled = time.monotonic() - started
        assert response.status_code == 302
        # As fast as with the server up; sending in the request would take EMAIL_TIMEOUT (3 s).
        assert with_server_stalled < with_server_up + 0.5
        assert Article.objects.get(pk=second.pk).status == "published"
        wait_until(
            lambda: JobRun.objects.filter(
                name="articles.tasks.send_mail", state="retrying"
            ).exists(),
            "the worker's first try, timed out on the stalled server",
        )
        stall.close()

        sink = smtp_sink(smtp_port)
        wait_until(lambda: len(sink.handler.messages) == 1, "the mail, once the server is back")
        [(recipients, content)] = sink.handler.messages
        assert recipients == [writer.email]
        assert "#2" in content.decode()
        run = JobRun.objects.filter(name="articles.tasks.send_mail").latest()
        wait_until(lambda: JobRun.objects.get(pk=run.pk).state == "succeeded", "its record")
        assert JobRun.objects.get(pk=run.pk).retries >= 1
    finally:
        worker.stop()
        if sink:
            sink.stop()
        print((tmp_path / "worker.log").read_text()[-4000:])  # shown when the test fails
    assert mail.outbox == []  # nothing was sent in this process
