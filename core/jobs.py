"""Background work, asked for by the code that writes: one door to the job queue.

    after_commit(task, *args, **kwargs)

queues a Celery task once the current transaction commits (at once outside one). A
rolled-back write queues nothing, and a job never reads rows that are not committed yet.
With no broker configured (settings.CELERY_TASK_ALWAYS_EAGER) the task runs in this process
at that moment; a failure is logged, never raised into the request that saved.

Tasks are written to be run twice safely: a worker can die after doing the work and before
acknowledging it (CELERY_TASK_ACKS_LATE), and then the job runs again.
"""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def after_commit(task, *args, **kwargs):
    def enqueue():
        try:
            task.apply_async(args=args, kwargs=kwargs)
        except Exception:
            logger.exception("job %s could not be queued", task.name)

    transaction.on_commit(enqueue)
