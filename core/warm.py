"""Pages rebuilt right after a change commits, by the job queue, so that the first reader
after a publication finds them built: the changed piece's page, the home page and the lists
it is in (articles.invalidation names them).

Only with a job queue (CELERY_BROKER_URL): without one, jobs run in the saving process, and
rebuilding there would make every save slower for nothing a reader waits on less (the page
cache's single flight already builds each page once).
"""

import logging
from urllib.parse import urlsplit

from celery import shared_task
from django.conf import settings
from django.test import Client

from . import jobs

logger = logging.getLogger(__name__)


def enabled():
    return not settings.CELERY_TASK_ALWAYS_EAGER and settings.PAGE_CACHE_SECONDS > 0


def after_commit(paths):
    if enabled():
        jobs.after_commit(warm_pages, sorted(set(paths)))


@shared_task
def warm_pages(paths):
    """Asks for each page as an anonymous reader would: the page cache builds and keeps it."""
    client = Client(HTTP_HOST=urlsplit(settings.SITE_URL).netloc, raise_request_exception=False)
    secure = settings.SITE_URL.startswith("https://")
    for path in paths:
        response = client.get(path, secure=secure)
        if response.status_code >= 500:
            logger.warning("Warming %s answered %s", path, response.status_code)
