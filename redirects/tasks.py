from celery import shared_task
from django.conf import settings

from . import records


@shared_task
def prune_not_found():
    return records.prune_not_found(settings.NOT_FOUND_KEEP_DAYS)
