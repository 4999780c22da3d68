"""Every job run recorded as a JobRun, from Celery's own signals: in a worker, and in the web
process when jobs run there (no broker). A retry is the same job id run again, so one row
shows how many retries it took. A failure to record never fails the job."""

import logging
from datetime import timedelta

from celery import signals
from django.db import transaction
from django.utils import timezone

from .models import JobRun

logger = logging.getLogger(__name__)
State = JobRun.State


def record(task_id, **fields):
    if not task_id:
        return
    try:
        # Its own transaction: a job run inside a request's on_commit, or a worker's.
        with transaction.atomic():
            JobRun.objects.update_or_create(task_id=task_id, defaults=fields)
    except Exception:
        logger.exception("job run %s not recorded", task_id)


@signals.task_prerun.connect
def started(task_id=None, task=None, args=(), kwargs=None, **_):
    named = (f"{name}={value!r}" for name, value in (kwargs or {}).items())
    arguments = ", ".join([*map(repr, args or ()), *named])
    record(
        task_id,
        name=task.name,
        arguments=arguments[:2000],
        state=State.STARTED,
        retries=task.request.retries or 0,
        started=timezone.now(),
        finished=None,
    )


@signals.task_postrun.connect
def finished(task_id=None, state=None, **_):
    # RETRY and FAILURE are recorded by their own signals, which fire first.
    if state == "SUCCESS":
        record(task_id, state=State.SUCCEEDED, finished=timezone.now(), error="")


@signals.task_retry.connect
def retrying(request=None, reason=None, **_):
    record(request.id, state=State.RETRYING, finished=timezone.now(), error=str(reason)[:2000])


@signals.task_failure.connect
def failed(task_id=None, exception=None, **_):
    record(task_id, state=State.FAILED, finished=timezone.now(), error=repr(exception)[:2000])


def prune(days):
    """Forgets runs older than `days` days (a minute's periodic jobs add up)."""
    return JobRun.objects.filter(started__lt=timezone.now() - timedelta(days=days)).delete()[0]
