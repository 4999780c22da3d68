"""What the public sees, and when: moves of status, publication times, pending changes put
live. Editors' actions; publish_due_changes() is the job that puts scheduled changes live.

Every action locks the article's row first (rules.check_version), and only then the pending
revision: one order for all, so two actions on one piece wait for each other, never deadlock.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import notifications
from ..models import Article, Revision
from ..signals import text_changed
from .common import SYSTEM, announce, person, stored_standing
from .editing import check_move, lock, put_revision, record_step
from .rules import Status, may_edit, may_propose, may_publish, require


@transaction.atomic
def move(article, user, status, comment="", **fields):
    """A change of status and publication times (published_at, unpublish_at) only."""
    current = lock(article, article.version)
    require(article.deleted_at is None, _("This commentary is in the trash."))
    if set(fields) - {"published_at", "unpublish_at"}:
        raise ValueError(f"move() sets no {sorted(fields)}")
    previous, before = current["status"], stored_standing(current)
    require(
        may_publish(user) or may_edit(user, article, status=previous),
        _("You may not change this commentary."),
    )
    changes_dates = any(current[name] != value for name, value in fields.items())
    require(not changes_dates or may_publish(user), _("Only editors set publication dates."))
    check_move(user, previous, status)
    article.status = status
    for name, value in fields.items():
        setattr(article, name, value)
    article.version = current["version"] + 1
    article.updated_by = person(user)
    article.save()
    record_step(article, user, previous, status, comment)
    Revision.record(article, person(user), note=comment or _("Status changed"))
    announce(article, before)


def publish(article, user, at=None, comment=""):
    """Publishes now, or at `at` (a scheduling); a piece with a date keeps it unless `at`."""
    when = at or article.published_at or timezone.now()
    move(article, user, Status.PUBLISHED, comment, published_at=when)


def unpublish(article, user, comment=""):
    move(article, user, Status.ARCHIVED, comment)


def set_end(article, user, at, comment=""):
    """The end of publication (None: no end)."""
    require(may_publish(user), _("Only editors set publication dates."))
    move(article, user, article.status, comment, unpublish_at=at)


def submit(article, user, comment=""):
    move(article, user, Status.REVIEW, comment)


def return_to_writer(article, user, comment=""):
    require(may_publish(user), _("Only editors return a piece to its writer."))
    move(article, user, Status.DRAFT, comment)


@transaction.atomic
def publish_change(article, user, at=None):
    """Puts the pending change live now, or at `at` (publish_due_changes() does it then)."""
    require(may_publish(user), _("Only editors publish."))
    lock(article, article.version)
    revision = article.revisions.pending().select_for_update().first()
    if revision is None:
        return None
    if at is not None and at > timezone.now():
        revision.go_live_at = at
        revision.save(update_fields=["go_live_at"])
        when = timezone.localtime(at).strftime("%Y-%m-%d %H:%M")
        note = _("Change scheduled for %(when)s") % {"when": when}
        record_step(article, user, article.status, article.status, note)
        return revision
    return apply_change(article, revision, user)


def apply_change(article, revision, user):
    """The pending revision's text and tags on the (locked) article, as a new version."""
    current = lock(article, article.version)
    before = stored_standing(current)
    article.version = current["version"] + 1
    article.updated_by = person(user)
    put_revision(article, revision)
    revision.pending, revision.applied, revision.go_live_at = False, True, None
    revision.save(update_fields=["pending", "applied", "go_live_at"])
    record_step(article, user, article.status, article.status, _("Changes published"))
    author = revision.user
    transaction.on_commit(lambda: notifications.published(article, author))
    transaction.on_commit(lambda: text_changed.send(sender=Article, article=article))
    announce(article, before)
    return revision


def publish_due_changes(now=None):
    """Applies the pending changes scheduled for now or earlier; returns how many. Each is
    read again under its article's lock: a change superseded by a save meanwhile is not
    applied, and two runs at once apply each change once."""
    now = now or timezone.now()
    due = Revision.objects.pending().filter(go_live_at__lte=now)
    applied = 0
    for revision_id, article_id in due.values_list("pk", "article_id"):
        with transaction.atomic():
            article = Article.objects.select_for_update().filter(pk=article_id).first()
            revision = (
                Revision.objects.pending()
                .select_for_update()
                .filter(pk=revision_id, go_live_at__lte=now)
                .first()
            )
            if article is None or revision is None or article.deleted_at is not None:
                continue
            apply_change(article, revision, SYSTEM)
        applied += 1
    return applied


@transaction.atomic
def discard_change(article, user):
    lock(article, article.version)
    require(may_propose(user, article), _("You may not discard this change."))
    if article.revisions.pending().update(pending=False):
        note = _("Pending change discarded")
        record_step(article, user, article.status, article.status, note)
