"""The rules of the editorial desk, in one place: who may do what to a commentary, how its
status moves, what a revision keeps, when the version goes up and when the bio line is filled.

The admin, management commands, imports and tests call these functions; none of them writes
an article's status, version or revisions by itself. Each function that writes checks
permission, does its work in one transaction (the version check and the write under one row
lock) and records it (a Revision, a WorkflowEvent), and mail goes out after commit.

Who may:
    may_publish(user)                 publish, schedule, unpublish, apply changes directly
    may_view(user, article)           open it in the admin or the staff preview
    may_edit(user, article)           change the row itself
    may_propose(user, article)        prepare a pending change to a live piece
    may_link(user)                    make translation links
    may_change_pair(user, *articles)  re-pair or unpair articles already in a pair
    allowed_statuses(user)            the statuses a user may set
    visible(user, queryset)           the articles a user may list

What happens:
    save(article, user, version=…, comment=…, save_related=…)
        the article as edited (new or existing), its tags and bylines saved by save_related
    propose(article, user, changes, version=…, submit=…, comment=…) -> pending Revision
    publish_change(article, user, at=None), discard_change(article, user)
    publish_due_changes()             pending changes whose time has come (a job)
    coming(articles, weeks)           what goes live or ends in the coming weeks, by day
    show_pending(article)             the pending change's text on the article, in memory
    move(article, user, status, comment=…, **fields)  publish, unpublish, return, submit
    restore(revision, user)
    keep_refused(article, user, changes) -> Revision kept, not applied

Errors: Conflict (someone saved first; carries who and when), NotAllowed (PermissionDenied).
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from core.markup import render_markdown

from . import notifications
from .models import TEXT_FIELDS, Article, Revision, WorkflowEvent
from .search import one_reindex

Status = Article.Status
EDITABLE_BY_ALL = {Status.DRAFT, Status.REVIEW}
# The parts of a piece whose change makes its translation out of date.
SUBSTANCE_FIELDS = ("title", "lead", "body")

# Sent after commit when a saved piece's title, lead or body changed (translations listen).
text_changed = Signal()


class NotAllowed(PermissionDenied):
    pass


class Conflict(Exception):
    """Someone saved the article after the version the caller started from."""

    def __init__(self, version, updated, updated_by):
        super().__init__(f"version {version} saved by {updated_by} at {updated}")
        self.version, self.updated, self.updated_by = version, updated, updated_by


# Who may


def may_publish(user):
    return user.has_perm("articles.publish_article")


def is_translator(user):
    return user.has_perm("translations.change_translationlink")


def in_pair(article):
    return hasattr(article, "link_as_original") or hasattr(article, "link_as_translation")


def may_view(user, article):
    """Writers see their own pieces and what is public; translators also linked pieces."""
    return (
        may_publish(user)
        or article.created_by_id == user.pk
        or article.is_published()
        or (is_translator(user) and in_pair(article))
    )


def may_edit(user, article, status=None):
    """Writers edit their own drafts; translators drafts of translations; editors anything.
    `status` is the one saved, when the article in memory holds an edited one."""
    if may_publish(user):
        return True
    if (status or article.status) != Status.DRAFT:
        return False
    translation = is_translator(user) and hasattr(article, "link_as_translation")
    return article.created_by_id == user.pk or translation


def may_propose(user, article, status=None):
    """A change to a live (or scheduled) piece, kept pending: by its writer or an editor."""
    return (status or article.status) == Status.PUBLISHED and (
        may_publish(user) or article.created_by_id == user.pk
    )


def may_link(user):
    return user.has_perm("translations.add_translationlink")


def may_change_pair(user, *articles):
    """A pair with a published side changes public pages: editors alone re-pair or unpair it."""
    if may_publish(user):
        return True
    return is_translator(user) and not any(
        article is not None and article.status == Status.PUBLISHED for article in articles
    )


def allowed_statuses(user):
    return set(Status) if may_publish(user) else EDITABLE_BY_ALL


def visible(user, queryset):
    if may_publish(user):
        return queryset
    now = timezone.now()
    public = Q(status=Status.PUBLISHED, published_at__lte=now) & (
        Q(unpublish_at__isnull=True) | Q(unpublish_at__gt=now)
    )
    rule = Q(created_by=user) | public
    if is_translator(user):
        rule |= Q(link_as_original__isnull=False) | Q(link_as_translation__isnull=False)
    return queryset.filter(rule)


# The version: checked and bumped under one row lock


def check_version(article, version):
    """Locks the article's row until the end of the caller's transaction and checks that
    `version` is still current. A missing version is a conflict too, never a pass."""
    with transaction.atomic():
        current = (
            Article.objects.select_for_update(of=("self",))
            .filter(pk=article.pk)
            .values("version", "status", "updated", "updated_by__username", *SUBSTANCE_FIELDS)
            .get()
        )
    if version is None or int(version) != current["version"]:
        raise Conflict(current["version"], current["updated"], current["updated_by__username"])
    return current


def _check_move(user, previous, article):
    if previous != article.status and article.status not in allowed_statuses(user):
        raise NotAllowed(_("Only editors publish, schedule and unpublish."))


# What happens


@transaction.atomic
def save(article, user, *, version=None, comment="", note=None, save_related=None):
    """Saves a new or edited article as it stands in memory, with what save_related() saves
    (tags, bylines), then the bio line, a revision and, on a change of status, an event."""
    adding = article._state.adding
    if adding:
        previous = Status.DRAFT
        article.created_by = user
    else:
        current = check_version(article, version)
        previous = current["status"]
        if not may_edit(user, article, status=previous):
            raise NotAllowed(_("You may not change this commentary."))
        article.version = current["version"] + 1
        # A direct save (an editor's fix, made from the form that showed the pending change)
        # supersedes the pending change: what is live is what was saved.
        article.revisions.pending().update(pending=False)
        if any(current[field] != getattr(article, field) for field in SUBSTANCE_FIELDS):
            transaction.on_commit(lambda: text_changed.send(sender=Article, article=article))
    _check_move(user, previous, article)
    article.updated_by = user
    with one_reindex():
        article.save()
        if save_related is not None:
            save_related()
        if not article.author_note:
            article.author_note = article.default_author_note()
            if article.author_note:
                article.save(update_fields=["author_note"])
        default_note = _("Created") if adding else _("Saved")
        revision = Revision.record(article, user, note=default_note if note is None else note)
    if previous != article.status or comment:
        _event(article, user, previous, article.status, comment)
    return revision


@transaction.atomic
def propose(article, user, changes, *, version, submit=False, comment=""):
    """Keeps `changes` (TEXT_FIELDS and tags) as the piece's pending change: the live text
    stays as it is until an editor publishes the change."""
    current = check_version(article, version)
    if not may_propose(user, article, status=current["status"]):
        raise NotAllowed(_("Only a live piece takes a pending change."))
    article.status = current["status"]
    Article.objects.filter(pk=article.pk).update(
        version=current["version"] + 1, updated=timezone.now(), updated_by=user
    )
    article.version = current["version"] + 1
    article.revisions.pending().update(pending=False)
    live = Revision.snapshot(article)
    fields = {name: changes.get(name, live[name]) for name in (*TEXT_FIELDS, "tags")}
    revision = Revision.objects.create(
        article=article,
        user=user,
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
        _event(article, user, article.status, article.status, comment or revision.note)
    if submit:
        transaction.on_commit(lambda: notifications.submitted(article, user, comment))
    return revision


@transaction.atomic
def publish_change(article, user, at=None):
    """Puts the pending change live now, or at `at` (publish_due_changes() does it then)."""
    if not may_publish(user):
        raise NotAllowed(_("Only editors publish."))
    revision = article.revisions.pending().select_for_update().first()
    if revision is None:
        return None
    if at is not None and at > timezone.now():
        revision.go_live_at = at
        revision.save(update_fields=["go_live_at"])
        when = timezone.localtime(at).strftime("%Y-%m-%d %H:%M")
        _event(
            article,
            user,
            article.status,
            article.status,
            _("Change scheduled for %(when)s") % {"when": when},
        )
        return revision
    return _apply_change(article, revision, user)


def _apply_change(article, revision, user):
    current = check_version(article, article.version)
    article.version = current["version"] + 1
    article.updated_by = user
    with one_reindex():
        revision.apply_to(article)
    revision.pending, revision.applied, revision.go_live_at = False, True, None
    revision.save(update_fields=["pending", "applied", "go_live_at"])
    _event(article, user, article.status, article.status, _("Changes published"))
    author = revision.user
    transaction.on_commit(lambda: notifications.published(article, author))
    transaction.on_commit(lambda: text_changed.send(sender=Article, article=article))
    return revision


def publish_due_changes(now=None):
    """Applies the pending changes scheduled for now or earlier; returns how many."""
    now = now or timezone.now()
    applied = 0
    for revision in (
        Revision.objects.pending().filter(go_live_at__lte=now).select_related("article")
    ):
        with transaction.atomic():
            article = Article.objects.select_for_update().get(pk=revision.article_id)
            _apply_change(article, revision, None)
        applied += 1
    return applied


@transaction.atomic
def discard_change(article, user):
    if not may_propose(user, article):
        raise NotAllowed(_("You may not discard this change."))
    if article.revisions.pending().update(pending=False):
        _event(article, user, article.status, article.status, _("Pending change discarded"))


@transaction.atomic
def move(article, user, status, comment="", **fields):
    """A change of status (and publication times) only, as the list's bulk actions make."""
    current = check_version(article, article.version)
    previous = current["status"]
    article.status = status
    for name, value in fields.items():
        setattr(article, name, value)
    _check_move(user, previous, article)
    article.version = current["version"] + 1
    article.updated_by = user
    article.save()
    _event(article, user, previous, status, comment)
    Revision.record(article, user, note=comment or _("Status changed"))


@transaction.atomic
def restore(revision, user):
    """Puts an old revision's text, authors and tags back, as a new revision. Restoring never
    publishes by the back door: others keep the status, and on a live piece it is pending."""
    article = revision.article
    if not may_publish(user) and may_propose(user, article):
        changes = {field: getattr(revision, field) for field in (*TEXT_FIELDS, "tags")}
        return propose(article, user, changes, version=article.version)
    if not may_edit(user, article):
        raise NotAllowed(_("You may not change this commentary."))
    current = check_version(article, article.version)
    article.version = current["version"] + 1
    article.updated_by = user
    previous = article.status
    if may_publish(user):
        article.status, article.published_at = revision.status, revision.published_at
    with one_reindex():
        revision.apply_to(article)
    if previous != article.status:
        _event(article, user, previous, article.status, "")
    when = timezone.localtime(revision.created).strftime("%Y-%m-%d %H:%M")
    return Revision.record(article, user, note=_("Restored from %(when)s") % {"when": when})


def coming(articles, weeks=4):
    """What goes live or leaves the site in the coming weeks, by day, each number's two
    languages side by side: [(day, [(kind, time, {language: article})])]."""
    now = timezone.now()
    until = now + timedelta(weeks=weeks)
    coming = articles.filter(status=Article.Status.PUBLISHED).filter(
        Q(published_at__gt=now, published_at__lte=until)
        | Q(unpublish_at__gt=now, unpublish_at__lte=until)
    )
    changes = Revision.objects.pending().filter(go_live_at__gt=now, go_live_at__lte=until)
    rows = {}
    for article in coming.select_related("series"):
        for kind, moment in (("publish", article.published_at), ("end", article.unpublish_at)):
            if moment and now < moment <= until:
                key = (timezone.localtime(moment).date(), kind, article.series_id, article.number)
                rows.setdefault(key, {"time": moment, "versions": {}})["versions"][
                    article.language
                ] = article
    for change in changes.select_related("article__series"):
        article = change.article
        key = (timezone.localtime(change.go_live_at).date(), "change", article.series_id,
               article.number)  # fmt: skip
        rows.setdefault(key, {"time": change.go_live_at, "versions": {}})["versions"][
            article.language
        ] = article
    days = {}
    for (day, kind, _series, _number), row in sorted(rows.items(), key=lambda i: i[1]["time"]):
        days.setdefault(day, []).append({"kind": kind, **row})
    return list(days.items())


def show_pending(article):
    """Puts the pending change's text on the article in memory (never saved), for the form
    and the staff preview; returns the change, or None."""
    change = article.revisions.pending().first()
    if change is not None:
        for field in TEXT_FIELDS:
            setattr(article, field, getattr(change, field))
        article.body_html = render_markdown(article.body)
    article.pending_change = change
    return change


def keep_refused(article, user, changes):
    """An edit refused by a conflict, kept as a revision marked not applied."""
    live = Revision.snapshot(article)
    fields = {name: changes.get(name) or live[name] for name in ("title", "body")}
    fields.update({name: changes.get(name, live[name]) for name in ("lead", "author_note")})
    return Revision.objects.create(
        article=article,
        user=user,
        tags=sorted(changes.get("tags", live["tags"])),
        authors=changes.get("authors", live["authors"]),
        status=article.status,
        published_at=article.published_at,
        note=_("Refused: saved by someone else first"),
        applied=False,
        **fields,
    )


def _event(article, user, previous, status, comment):
    WorkflowEvent.objects.create(
        article=article, from_status=previous, to_status=status, comment=comment, user=user
    )
    if previous == Status.REVIEW and status == Status.DRAFT:
        transaction.on_commit(lambda: notifications.returned(article, user, comment))
    elif status == Status.REVIEW and previous != Status.REVIEW:
        transaction.on_commit(lambda: notifications.submitted(article, user, comment))
    elif status == Status.PUBLISHED and previous != Status.PUBLISHED:
        transaction.on_commit(lambda: notifications.published(article, article.created_by, user))
