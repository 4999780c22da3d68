"""An export's records read back (archive.snapshot): a commentary made or brought up to date
from its record, and the history of a commentary the restore made. Through the same rules as
any edit: a record from someone who may not change a live piece proposes its change or is
refused, and only editors move what the public sees (dates, the trash)."""

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Article, Revision, WorkflowEvent
from .common import person
from .editing import raise_not_allowed, save, save_or_propose, set_bylines
from .rules import EDITORS_FIELDS, may_publish
from .trash import restore_from_trash, trash

STAMPS = ("created", "updated")


@transaction.atomic
def restore_article(article, user, *, values, authors, tags, stamps, note, before_save=None):
    """`values` (the record's fields) on `article`, new or stored; `before_save(article)`
    puts its files in place. Returns "created", "updated" or "proposed"."""
    adding = article._state.adding
    trashed = values.pop("deleted_at", None)
    version = values.pop("version", None)
    moves_trash = not adding and (trashed is None) != (article.deleted_at is None)
    if moves_trash and not may_publish(user):
        raise_not_allowed(_("Only editors move commentaries to and from the trash."))
    if not adding:
        values.pop("status", None)  # a restore never moves a stored piece's status
        if moves_trash and trashed is None:
            restore_from_trash(article, user)
    elif not may_publish(user):
        values.update(dict.fromkeys(EDITORS_FIELDS[1:]), status=Article.Status.DRAFT)
    for name, value in values.items():
        setattr(article, name, value)
    if before_save is not None:
        before_save(article)
    article.clean_fields(exclude=["series", "image"])

    def related():
        set_bylines(article, authors)
        article.tags.set(tags)

    if adding:
        save(article, user, note=note, save_related=related, fill_bio=False)
        outcome = "created"
        kept = {"version": version or article.version, "deleted_at": trashed if may_publish(user)
                else None}  # fmt: skip
    else:
        outcome = save_or_propose(
            article, user, version=article.version, note=note, authors=authors,
            save_related=related, fill_bio=False,
        )  # fmt: skip
        outcome = "updated" if outcome == "saved" else outcome
        if moves_trash and trashed is not None:
            trash(article, user)
        kept = {}
    kept.update({stamp: stamps[stamp] for stamp in STAMPS if stamps.get(stamp)})
    if outcome != "proposed" and kept:
        Article.objects.filter(pk=article.pk).update(**kept)
    return outcome


@transaction.atomic
def restore_history(article, user, *, kind, created, by, fields):
    """A revision or workflow step of a commentary this restore made (its whole record)."""
    if not may_publish(user) and article.created_by_id != getattr(user, "pk", None):
        raise_not_allowed(_("Only editors restore another's history."))
    model = Revision if kind == "revision" else WorkflowEvent
    row = model.objects.create(article=article, user=person(by), **fields)
    model.objects.filter(pk=row.pk).update(created=created)
    return row
