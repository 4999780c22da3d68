"""What every action shares: who acts (a person, or the system), and what the public will
see of a piece once the action commits (the commentary_changed signal)."""

from django.db import transaction
from django.utils import timezone

from ..models import Article
from ..signals import commentary_changed
from .rules import Status


class System:
    """The actor of work nobody does by hand (a due change, the demo): allowed everything,
    recorded as nobody."""

    pk = None
    is_active = True
    username = "system"

    def has_perm(self, perm):
        return True

    def __str__(self):
        return self.username


SYSTEM = System()


def person(user):
    """The user to record (a foreign key), or None for the system."""
    return None if user is None or isinstance(user, System) else user


def standing(status, published_at, unpublish_at, deleted_at, now):
    """Where a piece stands for the public: "public", "scheduled" or "hidden"."""
    if deleted_at is not None or status != Status.PUBLISHED:
        return "hidden"
    if unpublish_at is not None and unpublish_at <= now:
        return "hidden"
    return "public" if published_at <= now else "scheduled"


def stored_standing(current):
    return standing(
        current["status"], current["published_at"], current["unpublish_at"],
        current["deleted_at"], timezone.now(),
    )  # fmt: skip


def announce(article, before, changed=True):
    """After commit, says what the public will see of the piece (commentary_changed)."""
    after = standing(
        article.status, article.published_at, article.unpublish_at, article.deleted_at,
        timezone.now(),
    )  # fmt: skip
    if after == "public":
        event = "published" if before != "public" else "updated" if changed else None
    elif before == "public":
        event = "unpublished"
    elif after == "scheduled":
        event = "scheduled" if changed or before != "scheduled" else None
    else:
        event = None
    if event is not None:
        transaction.on_commit(
            lambda: commentary_changed.send(sender=Article, article=article, event=event)
        )
