"""core.jobs: a job asked for inside a transaction runs once it commits, never on rollback,
and a job that fails never fails the write that asked for it."""

import pytest
from celery import shared_task
from django.db import transaction

from core import jobs

pytestmark = pytest.mark.django_db

ran = []


@shared_task
def note(value):
    ran.append(value)


@shared_task
def fails():
    raise RuntimeError("the job failed")


@pytest.fixture(autouse=True)
def forget():
    ran.clear()


def test_a_job_runs_after_commit_and_not_on_rollback(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            jobs.after_commit(note, "rolled back")
            transaction.set_rollback(True)
        jobs.after_commit(note, "kept")
        assert ran == []  # not before the commit
    assert ran == ["kept"]


def test_a_failing_job_never_fails_the_write_that_asked_for_it(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        jobs.after_commit(fails)
        jobs.after_commit(note, "after the failure")
    assert ran == ["after the failure"]


def test_each_run_is_recorded_with_its_outcome(django_capture_on_commit_callbacks):
    from jobs.models import JobRun

    with django_capture_on_commit_callbacks(execute=True):
        jobs.after_commit(note, "recorded")
        jobs.after_commit(fails)
    done = JobRun.objects.get(name="tests.test_jobs.note")
    assert (done.state, done.arguments, done.retries) == ("succeeded", "'recorded'", 0)
    assert done.finished >= done.started
    failed = JobRun.objects.get(name="tests.test_jobs.fails")
    assert failed.state == "failed"
    assert "the job failed" in failed.error


def test_editors_read_the_job_runs_and_writers_do_not(staff, client_for):
    from django.urls import reverse
    from django.utils import timezone

    from jobs.models import JobRun

    JobRun.objects.create(
        task_id="a", name="articles.tasks.send_mail", state="retrying", retries=2,
        started=timezone.now(), error="SMTPServerDisconnected('timed out')",
    )  # fmt: skip
    url = reverse("admin:jobs_jobrun_changelist")
    response = client_for(staff("Editor")).get(url)
    assert response.status_code == 200
    assert b"articles.tasks.send_mail" in response.content
    assert b"Failed, will be retried" in response.content
    assert client_for(staff("Writer")).get(url).status_code == 403


def test_beat_runs_the_periodic_jobs_by_their_registered_names(settings):
    from thinktank.celery import app

    app.loader.import_default_modules()
    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"articles.tasks.publish_due_changes", "articles.tasks.purge_trash"} <= names
    assert names <= set(app.tasks)


def test_the_periodic_job_puts_a_due_change_live(article, staff):
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    from articles import actions
    from articles.tasks import publish_due_changes

    editor = staff("Editor")
    actions.propose(article, editor, {"title": "Retitled"}, version=article.version)
    actions.publish_change(article, editor, at=timezone.now() + timedelta(hours=1))
    assert publish_due_changes.delay().get() == 0
    with time_machine.travel(timezone.now() + timedelta(hours=1, seconds=1)):
        assert publish_due_changes.delay().get() == 1
        assert publish_due_changes.delay().get() == 0  # run twice: done once
    article.refresh_from_db()
    assert article.title == "Retitled"
