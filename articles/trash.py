"""The trash: deleting a commentary hides it from every page (Article.objects.published()
leaves it out) and keeps it whole, with its revisions, workflow steps, authors, tags and
translation link, for an editor to restore. Purging, the one real delete, is a separate step:
by an editor, or by `manage.py purge_trash` for what has been in the trash long enough.

A commentary in the trash keeps its number: restoring it never meets a clash, and a new
commentary cannot take the number until the old one is purged (the form says so).
"""

from datetime import timedelta

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.images import delete_with_copies

from .models import Article, WorkflowEvent


def record(article, user, comment):
    WorkflowEvent.objects.create(
        article=article,
        from_status=article.status,
        to_status=article.status,
        comment=comment,
        user=user,
    )


@transaction.atomic
def trash(article, user=None):
    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.deleted_at is None:
        article.deleted_at, article.deleted_by = timezone.now(), user
        article.save(update_fields=["deleted_at", "deleted_by"])
        record(article, user, _("Moved to the trash"))
    return article


@transaction.atomic
def restore(article, user=None):
    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.deleted_at is not None:
        article.deleted_at, article.deleted_by = None, None
        article.save(update_fields=["deleted_at", "deleted_by"])
        record(article, user, _("Restored from the trash"))
    return article


@transaction.atomic
def purge(article):
    """Deletes a commentary in the trash for good, with its record and its pairing with
    another article (translations.TranslationLink), which itself stays."""
    article = Article.objects.trashed().select_for_update().get(pk=article.pk)
    for relation in Article._meta.related_objects:
        if relation.one_to_one and relation.on_delete is models.PROTECT:
            relation.related_model.objects.filter(**{relation.field.name: article}).delete()
    if article.image:
        image = article.image
        transaction.on_commit(lambda: delete_with_copies(image))
    article.delete()


def purge_older_than(days):
    """Purges what has been in the trash more than `days` days; returns how many."""
    due = Article.objects.trashed().filter(deleted_at__lt=timezone.now() - timedelta(days=days))
    purged = 0
    for article in due.order_by("deleted_at"):
        purge(article)
        purged += 1
    return purged
