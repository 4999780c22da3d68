import logging

from django.dispatch import receiver

from articles.signals import commentary_changed
from core import jobs

from . import outbox
from .tasks import deliver

logger = logging.getLogger(__name__)


@receiver(commentary_changed)
def tell_partners(sender, article, event, **kwargs):
    # After the action's commit: a failure here is logged, never the editor's error.
    try:
        due = outbox.record(article, event)
    except Exception:
        logger.exception("webhook deliveries for %s (%s) not recorded", article.pk, event)
        return
    for delivery_id in due:
        jobs.after_commit(deliver, str(delivery_id))
