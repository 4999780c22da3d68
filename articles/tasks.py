"""The desk's background jobs: each safe to run twice (a second run finds nothing left to do).

publish_due_changes and purge_trash run from beat (settings.CELERY_BEAT_SCHEDULE); send_mail
is how articles.notifications sends, so a slow or stalled SMTP server never holds a save.
"""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mass_mail

from core.mail import is_temporary

from . import actions


@shared_task
def publish_due_changes():
    return actions.publish_due_changes()


@shared_task
def purge_trash():
    return actions.purge_older_than(settings.TRASH_RETENTION_DAYS)


@shared_task(bind=True, max_retries=12)
def send_mail(self, messages):
    """messages: [subject, body, sender, [recipient]] lists, as send_mass_mail takes them.
    A retry after a partial send may send one message twice; a lost one is worse."""
    try:
        return send_mass_mail([tuple(message) for message in messages], fail_silently=False)
    except Exception as error:
        if self.request.is_eager or not is_temporary(error):
            raise
        # 2, 4, 8 … seconds, at most settings.MAIL_RETRY_MAX_SECONDS apart.
        countdown = min(2 ** (self.request.retries + 1), settings.MAIL_RETRY_MAX_SECONDS)
        raise self.retry(exc=error, countdown=countdown) from error
