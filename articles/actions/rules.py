"""Who may do what to a commentary, and the version check every write makes under its lock.

Predicates only read; the actions (articles.actions) call them before they write, whoever
calls the actions: the admin, both import formats, the commands, the demo, jobs and the API.

    may_publish(user)                 publish, schedule, unpublish, set dates, trash, restore
    may_purge(user)                   delete for good from the trash
    may_view(user, article)           open it in the admin or the staff preview
    may_edit(user, article)           change the row itself
    may_propose(user, article)        prepare a pending change to a live piece
    may_link(user)                    make translation links
    may_change_pair(user, *articles)  re-pair, unpair or mark in step a pair already made
    may_change_site(user, model)      series, authors and topics (renames change public pages)
    allowed_statuses(user)            the statuses a user may set
    visible(user, queryset)           the articles a user may list
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone

from ..models import SUBSTANCE_FIELDS, Article, is_public

Status = Article.Status
EDITABLE_BY_ALL = {Status.DRAFT, Status.REVIEW}
# The fields only Editors set: what the public sees, and when.
EDITORS_FIELDS = ("status", "published_at", "unpublish_at")


class NotAllowed(PermissionDenied):
    pass


class Conflict(Exception):
    """Someone saved the article after the version the caller started from."""

    def __init__(self, version, updated, updated_by):
        super().__init__(f"version {version} saved by {updated_by} at {updated}")
        self.version, self.updated, self.updated_by = version, updated, updated_by


def may_publish(user):
    return user is not None and user.is_active and user.has_perm("articles.publish_article")


def may_purge(user):
    return may_publish(user) and user.has_perm("articles.delete_article")


def is_translator(user):
    return user is not None and user.has_perm("translations.change_translationlink")


def may_view(user, article):
    """Writers see their own pieces and what is public; translators every piece the
    translation desk lists (anything not in the trash)."""
    return user is not None and (
        may_publish(user)
        or article.created_by_id == user.pk
        or article.is_published()
        or (is_translator(user) and article.deleted_at is None)
    )


def may_edit(user, article, status=None):
    """Writers edit their own drafts; translators drafts of translations; editors anything
    not in the trash. `status` is the one saved, when the article in memory holds another."""
    if user is None or article.deleted_at is not None:
        return False
    if may_publish(user):
        return True
    if (status or article.status) != Status.DRAFT:
        return False
    translation = is_translator(user) and hasattr(article, "link_as_translation")
    return article.created_by_id == user.pk or translation


def may_propose(user, article, status=None):
    """A change to a live (or scheduled) piece, kept pending: by its writer or an editor."""
    return (
        user is not None
        and article.deleted_at is None
        and (status or article.status) == Status.PUBLISHED
        and (may_publish(user) or article.created_by_id == user.pk)
    )


def may_link(user):
    return user is not None and user.has_perm("translations.add_translationlink")


def may_change_pair(user, *articles):
    """A pair with a published side changes public pages: editors alone re-pair, unpair or
    mark it in step."""
    if may_publish(user):
        return True
    return is_translator(user) and not any(
        article is not None and article.status == Status.PUBLISHED for article in articles
    )


def may_change_site(user, model):
    """Series, authors and topics are shown on every page that lists them: editors'."""
    opts = model._meta
    return user is not None and user.has_perm(f"{opts.app_label}.change_{opts.model_name}")


def allowed_statuses(user):
    return set(Status) if may_publish(user) else EDITABLE_BY_ALL


def visible(user, queryset):
    """The articles `user` may list: as may_view() decides for one."""
    if may_publish(user):
        return queryset
    rule = Q(created_by=user) | is_public(timezone.now())
    if is_translator(user):
        rule |= Q(deleted_at__isnull=True)
    return queryset.filter(rule)


def require(allowed, message):
    if not allowed:
        raise NotAllowed(message)


def check_version(article, version):
    """Locks the article's row until the end of the caller's transaction and checks that
    `version` is still current. A missing version is a conflict too, never a pass."""
    current = (
        Article.objects.select_for_update(of=("self",))
        .filter(pk=article.pk)
        .values(
            "version",
            "status",
            "updated",
            "updated_by__username",
            "deleted_at",
            *EDITORS_FIELDS[1:],
            *SUBSTANCE_FIELDS,
        )  # fmt: skip
        .get()
    )
    if version is None or int(version) != current["version"]:
        raise Conflict(current["version"], current["updated"], current["updated_by__username"])
    return current
