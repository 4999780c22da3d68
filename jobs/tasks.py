from celery import shared_task
from django.conf import settings

from . import records


@shared_task
def prune_job_runs():
    return records.prune(settings.JOB_RUNS_KEEP_DAYS)
