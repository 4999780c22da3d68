from celery import shared_task

from . import cdn


@shared_task
def purge_cdn(keys):
    cdn.purge(keys)


from .warm import warm_pages  # noqa: E402,F401  (registered with the workers)
