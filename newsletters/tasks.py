"""The newsletters' jobs, each safe to run twice: issues are unique per list and piece, and
a mail is claimed under a row lock and marked sent in the same transaction."""

from celery import shared_task
from celery.signals import worker_ready
from django.conf import settings

from core import jobs

from . import issues, sending


@shared_task
def issue_article(article_id):
    """A piece became public: its issues, and senders to send them."""
    if issues.issue_article(article_id):
        start_senders()


@shared_task
def sweep():
    """Every minute (beat): issues of scheduled pieces whose time came (no write marks that
    moment), and senders for mail that is due again after a temporary failure."""
    made = [issue for pk in issues.due_articles() for issue in issues.issue_article(pk)]
    if made or sending.pending():
        start_senders()
    return len(made)


@shared_task
def deliver():
    done, left = sending.deliver()
    if left and not deliver.request.is_eager:
        # Out of time, over the rate limit, or rows held by another sender: carry on as a
        # new job shortly.
        deliver.apply_async(countdown=5)
    return done


def start_senders():
    for _ in range(settings.NEWSLETTER_SENDERS):
        jobs.after_commit(deliver)


@worker_ready.connect
def resume(**kwargs):
    """A worker that starts (after a crash too) sends what is left without waiting for beat."""
    deliver.delay()
