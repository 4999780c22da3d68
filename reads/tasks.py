from celery import shared_task
from django.conf import settings

from . import counting


@shared_task
def prune():
    return counting.prune(settings.READS_KEEP_DAYS)
