"""The trash: deleting a commentary hides it from every page (Article.objects.published()
leaves it out) and keeps it whole, with its revisions, workflow steps, authors, tags and
translation link, for an editor to restore. Purging, the one real delete, is a separate step:
by an editor, or by `manage.py purge_trash` for what has been in the trash long enough.

A commentary in the trash keeps its number: restoring it never meets a clash, and a new
commentary cannot take the number until the old one is purged (the form says so). Moving to
and from the trash bumps the version under the row lock, so a save made from a form opened
before is refused, never undoes it.
"""

from datetime import timedelta

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.images import delete_with_copies

from ..models import Article
from .common import SYSTEM, announce, person, stored_standing
from .editing import lock, record_step
from .rules import may_publish, may_purge, require


def set_trashed(article, user, trashed, version):
    current = lock(article, article.version if version is None else version)
    before = stored_standing(current)
    if (current["deleted_at"] is not None) == trashed:
        return article
    article.deleted_at = timezone.now() if trashed else None
    article.deleted_by = person(user) if trashed else None
    article.version = current["version"] + 1
    Article.objects.filter(pk=article.pk).update(
        deleted_at=article.deleted_at, deleted_by=article.deleted_by, version=article.version
    )
    note = _("Moved to the trash") if trashed else _("Restored from the trash")
    record_step(article, user, article.status, article.status, note)
    announce(article, before)
    return article


@transaction.atomic
def trash(article, user, version=None):
    require(may_publish(user), _("Only editors move commentaries to the trash."))
    return set_trashed(article, user, True, version)


@transaction.atomic
def restore_from_trash(article, user, version=None):
    require(may_publish(user), _("Only editors restore commentaries from the trash."))
    return set_trashed(article, user, False, version)


@transaction.atomic
def purge(article, user):
    """Deletes a commentary in the trash for good, with its record and its pairing with
    another article (translations.TranslationLink), which itself stays. Its lead image goes
    too, unless another piece (its translation) shows the same file."""
    require(may_purge(user), _("Only editors purge the trash."))
    article = Article.objects.trashed().select_for_update().get(pk=article.pk)
    for relation in Article._meta.related_objects:
        if relation.one_to_one and relation.on_delete is models.PROTECT:
            relation.related_model.objects.filter(**{relation.field.name: article}).delete()
    image = article.image
    shared = image and Article.objects.filter(image=image.name).exclude(pk=article.pk).exists()
    if image and not shared:
        transaction.on_commit(lambda: delete_with_copies(image))
    article.delete()


def purge_older_than(days):
    """Purges what has been in the trash more than `days` days; returns how many."""
    due = Article.objects.trashed().filter(deleted_at__lt=timezone.now() - timedelta(days=days))
    purged = 0
    for article in due.order_by("deleted_at"):
        purge(article, SYSTEM)
        purged += 1
    return purged
