"""core.jobs: a job asked for inside a transaction runs once it commits, never on rollback."""

import pytest
from celery import shared_task
from django.db import transaction

from core import jobs

ran = []


@shared_task
def note(value):
    ran.append(value)


@pytest.fixture(autouse=True)
def forget():
    ran.clear()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_job_runs_after_commit_and_not_on_rollback():
    with transaction.atomic():
        jobs.after_commit(note, "kept")
        assert ran == []  # not before the commit
    assert ran == ["kept"]

    with transaction.atomic():
        jobs.after_commit(note, "rolled back")
        transaction.set_rollback(True)
    assert ran == ["kept"]


@shared_task
def fails():
    raise RuntimeError("the job failed")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failing_job_never_fails_the_write_that_asked_for_it(caplog):
    with transaction.atomic():
        jobs.after_commit(fails)
    # The transaction committed and nothing was raised; eager Celery kept the error.
    assert ran == []
