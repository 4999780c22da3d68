from celery import shared_task
from django.conf import settings

from . import building


@shared_task
def build_pdf(article_id):
    """Builds, rebuilds or removes one piece's PDF, as its standing asks; safe to run twice."""
    return building.build(article_id)


@shared_task
def sweep():
    return building.sweep(settings.PDFS_SWEEP_BATCH)
