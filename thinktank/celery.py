"""The job queue: Celery, with Redis as its broker where CELERY_BROKER_URL names one.

Without a broker (a newcomer's `make run`, the SQLite test runs) every job runs in the web
process, once the transaction that asked for it has committed (core.jobs.after_commit), so
nothing needs a worker to be running. With one, `make worker` runs the workers and beat.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thinktank.settings")

app = Celery("thinktank")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
