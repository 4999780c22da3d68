from django.conf import settings
from django.dispatch import receiver

from articles.signals import commentary_changed
from core.jobs import after_commit

from . import tasks


@receiver(commentary_changed)
def rebuild(sender, article, event, **kwargs):
    # "scheduled" waits: the sweep builds it once it is due (tasks.sweep).
    if event in ("published", "updated", "unpublished") and settings.PDFS_BUILD:
        after_commit(tasks.build_pdf, article.pk)
