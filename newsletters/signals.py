from django.db.models.signals import post_save
from django.dispatch import receiver

from articles.models import Series
from articles.signals import commentary_changed
from core import jobs

from .models import Newsletter


@receiver(post_save, sender=Series)
def lists_of_a_new_series(sender, instance, created, raw=False, **kwargs):
    """A series has a list in each language from the moment it exists."""
    if created and not raw:
        from django.conf import settings

        for language, _name in settings.LANGUAGES:
            Newsletter.objects.get_or_create(series=instance, language=language)


@receiver(commentary_changed)
def issue_when_published(sender, article, event, **kwargs):
    # Sent after commit: the job is queued at once. Scheduled pieces come due with no write
    # at all: tasks.sweep (every minute) issues them.
    if event == "published":
        from .tasks import issue_article

        jobs.after_commit(issue_article, article.pk)
