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
