from celery import shared_task

from . import cdn


@shared_task
def purge_cdn(keys):
    cdn.purge(keys)
