"""Saving a commentary: its text, authors and tags, a pending change to a live piece, an old
revision put back. Each action checks the actor's permission, runs in one transaction under
the article's row lock, checks and bumps the version, records a Revision and (on a change of
status) a WorkflowEvent, and asks for reindexing, mail and the announcement after commit."""

from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from authors.models import Author

from .. import counts, notifications
from ..models import TEXT_FIELDS, Article, Byline, Revision, WorkflowEvent
from ..search import one_reindex
from ..signals import text_changed
from .common import announce, person, stored_standing
from .rules import (
    EDITORS_FIELDS,
    SUBSTANCE_FIELDS,
    Status,
    allowed_statuses,
    check_version,
    may_edit,
    may_propose,
    may_publish,
    require,
)


def lock(article, version):
    """The row lock and the version check, then the stored row's standing; the article in
    memory takes what no form may change (the trash)."""
    current = check_version(article, version)
    article.deleted_at = current["deleted_at"]
    return current


def guard_editors_fields(user, article, current=None):
    """Only editors set what the public sees and when: a writer's save keeps the stored
    dates, and a new piece from a writer has none."""
    if may_publish(user):
        return
    for field in EDITORS_FIELDS[1:]:
        stored = current[field] if current else None
        if getattr(article, field) != stored:
            raise_not_allowed(_("Only editors set publication dates."))


def raise_not_allowed(message):
    require(False, message)


def check_move(user, previous, status):
    if previous != status and status not in allowed_statuses(user):
        raise_not_allowed(_("Only editors publish, schedule and unpublish."))


@transaction.atomic
def save(article, user, *, version=None, comment="", note=None, save_related=None, fill_bio=True):
    """Saves a new or edited article as it stands in memory, with what save_related() saves
    (tags, bylines), then the bio line (unless `fill_bio` is off: a record restored as it
    was), a revision and, on a change of status, an event."""
    adding = article._state.adding
    if adding:
        previous, before, current = Status.DRAFT, "hidden", None
        require(user is not None, _("Who saves must be known."))
        require(user.has_perm("articles.add_article"), _("You may not write commentaries."))
        article.created_by = person(user)
    else:
        current = lock(article, version)
        previous, before = current["status"], stored_standing(current)
        require(may_edit(user, article, status=previous), _("You may not change this commentary."))
    guard_editors_fields(user, article, current)
    check_move(user, previous, article.status)
    changed = adding or any(current[f] != getattr(article, f) for f in SUBSTANCE_FIELDS)
    article.version = 1 if adding else current["version"] + 1
    article.updated_by = person(user)
    with one_reindex():
        article.save()
        if not adding:
            # A direct save supersedes the pending change: what is live is what was saved.
            article.revisions.pending().update(pending=False)
        if save_related is not None:
            save_related()
        # The bio line and the revision read the authors and tags just saved: fetched once.
        article._prefetched_objects_cache = {}
        prefetch_related_objects(
            [article], Prefetch("bylines", queryset=Byline.objects.select_related("author")), "tags"
        )
        if fill_bio:
            fill_author_note(article)
        if note is None:
            note = _("Created") if adding else _("Saved")
        revision = Revision.record(article, person(user), note=note)
    if previous != article.status or comment:
        record_step(article, user, previous, article.status, comment)
    if changed and not adding:
        transaction.on_commit(lambda: text_changed.send(sender=Article, article=article))
    announce(article, before)
    return revision


def fill_author_note(article):
    """The closing bio line, from the authors' bios, once: then it is kept as published."""
    if not article.author_note:
        article.author_note = article.default_author_note()
        if article.author_note:
            article.save(update_fields=["author_note"])


def set_bylines(article, authors):
    """The article's authors, in order (Author objects or ids). Inside a save's transaction:
    callers pass it as save_related, or it is part of an action."""
    ids = [getattr(author, "pk", author) for author in authors]
    existing = set(Author.objects.filter(pk__in=ids).values_list("pk", flat=True))
    article.bylines.all().delete()
    Byline.objects.bulk_create(
        Byline(article=article, author_id=author_id, position=position)
        for position, author_id in enumerate(dict.fromkeys(ids))
        if author_id in existing
    )
    counts.changed(article)  # bulk_create sends no signal
    if hasattr(article, "_prefetched_objects_cache"):
        article._prefetched_objects_cache.pop("bylines", None)


@transaction.atomic
def propose(article, user, changes, *, version, submit=False, comment=""):
    """Keeps `changes` (TEXT_FIELDS and tags) as the piece's pending change: the live text
    stays as it is until an editor publishes the change."""
    current = lock(article, version)
    require(
        may_propose(user, article, status=current["status"]),
        _("Only a live piece takes a pending change."),
    )
    article.status = current["status"]
    article.version = current["version"] + 1
    Article.objects.filter(pk=article.pk).update(
        version=article.version, updated=timezone.now(), updated_by=person(user)
    )
    article.revisions.pending().update(pending=False)
    live = Revision.snapshot(article)
    fields = {name: changes.get(name, live[name]) for name in (*TEXT_FIELDS, "tags")}
    revision = Revision.objects.create(
        article=article,
        user=person(user),
        pending=True,
        applied=False,
        submitted=submit,
        note=_("Change submitted for review") if submit else _("Change saved, not published"),
        status=article.status,
        published_at=article.published_at,
        authors=live["authors"],
        **fields,
    )
    if submit or comment:
        record_step(article, user, article.status, article.status, comment or revision.note)
    if submit:
        transaction.on_commit(lambda: notifications.submitted(article, person(user), comment))
    return revision


def save_or_propose(
    article, user, *, version, note=None, comment="", changes=None, authors=None,
    propose_change=False, submit=False, save_related=None, fill_bio=True,
):  # fmt: skip
    """A change to an existing piece, from a form or an import: saved where the user may edit
    the piece, kept as a pending change of its text (TEXT_FIELDS and tags, `changes`) where
    they may only propose one (a live piece of theirs) or asked to (`propose_change`,
    `submit`), refused otherwise. Returns "saved" or "proposed"."""
    stored = Article.objects.prefetch_related("bylines").get(pk=article.pk)
    proposing = propose_change or submit
    if not proposing and (may_edit(user, stored) or not may_propose(user, stored)):
        save(
            article, user, version=version, note=note, comment=comment,
            save_related=save_related, fill_bio=fill_bio,
        )  # fmt: skip
        return "saved"
    if authors is not None and [b.author_id for b in stored.bylines.all()] != [
        getattr(a, "pk", a) for a in authors
    ]:
        raise_not_allowed(_("Only editors change the authors of a live piece."))
    if not may_publish(user) and any(
        getattr(article, field) != getattr(stored, field) for field in EDITORS_FIELDS[1:]
    ):
        raise_not_allowed(_("Only editors set publication dates."))
    if changes is None:
        changes = {name: getattr(article, name) for name in TEXT_FIELDS}
    propose(stored, user, changes, version=version, submit=submit, comment=comment or note or "")
    article.version = stored.version
    return "proposed"


@transaction.atomic
def restore_revision(revision, user):
    """Puts an old revision's text, authors and tags back, as a new revision. Restoring never
    publishes by the back door: others keep the status, and on a live piece it is pending."""
    article = revision.article
    current = lock(article, article.version)
    if not may_publish(user) and may_propose(user, article, status=current["status"]):
        changes = {field: getattr(revision, field) for field in (*TEXT_FIELDS, "tags")}
        return propose(article, user, changes, version=current["version"])
    require(
        may_edit(user, article, status=current["status"]), _("You may not change this commentary.")
    )
    before = stored_standing(current)
    article.version = current["version"] + 1
    article.updated_by = person(user)
    previous = current["status"]
    if may_publish(user):
        article.status, article.published_at = revision.status, revision.published_at
    put_revision(article, revision)
    if previous != article.status:
        record_step(article, user, previous, article.status, "")
    announce(article, before)
    when = timezone.localtime(revision.created).strftime("%Y-%m-%d %H:%M")
    note = _("Restored from %(when)s") % {"when": when}
    return Revision.record(article, person(user), note=note)


def put_revision(article, revision):
    """A revision's text, authors and tags on the (locked) article, saved and reindexed once."""
    with one_reindex():
        for field in TEXT_FIELDS:
            setattr(article, field, getattr(revision, field))
        article.save()
        set_bylines(article, revision.authors)
        article.tags.set(revision.tags)


def keep_refused(article, user, changes):
    """An edit refused by a conflict, kept as a revision marked not applied: nothing typed
    is lost. Its own transaction: it is kept whatever happens to the refused save."""
    live = Revision.snapshot(article)
    fields = {name: changes.get(name) or live[name] for name in ("title", "body")}
    fields.update({name: changes.get(name, live[name]) for name in ("lead", "author_note")})
    with transaction.atomic():
        return Revision.objects.create(
            article=article,
            user=person(user),
            tags=sorted(changes.get("tags", live["tags"])),
            authors=changes.get("authors", live["authors"]),
            status=article.status,
            published_at=article.published_at,
            note=_("Refused: saved by someone else first"),
            applied=False,
            **fields,
        )


def record_step(article, user, previous, status, comment):
    """A WorkflowEvent, and the mail the step asks for, after commit."""
    by = person(user)
    WorkflowEvent.objects.create(
        article=article, from_status=previous, to_status=status, comment=comment, user=by
    )
    if previous == Status.REVIEW and status == Status.DRAFT:
        transaction.on_commit(lambda: notifications.returned(article, by, comment))
    elif status == Status.REVIEW and previous != Status.REVIEW:
        transaction.on_commit(lambda: notifications.submitted(article, by, comment))
    elif status == Status.PUBLISHED and previous != Status.PUBLISHED:
        transaction.on_commit(lambda: notifications.published(article, article.created_by, by))
