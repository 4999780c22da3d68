"""Actions that change one piece at the same moment, on two real connections: exactly one
wins, the other is refused (and a refused edit is kept), nothing deadlocks, and no action that
answered success is undone by the other."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from articles import actions
from articles.models import Article, Revision
from tests.conftest import postgres_only

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TRIES = 20


def race(*steps):
    """Runs each step in its own thread and connection, released together; returns what
    each did: "done", or the name of the exception it raised."""
    barrier = threading.Barrier(len(steps))
    outcomes = [None] * len(steps)

    def run(index):
        barrier.wait()
        try:
            steps[index]()
            outcomes[index] = "done"
        except Exception as error:  # noqa: BLE001: the outcome is what the test looks at
            outcomes[index] = type(error).__name__
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(steps))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not any(thread.is_alive() for thread in threads), "deadlocked"
    return outcomes


def edit(article, text, version, user):
    """A save of a form opened at `version`; refused, what was typed is kept."""

    def step():
        copy = Article.objects.get(pk=article.pk)
        copy.body = text
        try:
            actions.save(copy, user, version=version)
        except actions.Conflict:
            actions.keep_refused(copy, user, {"body": text})
            raise

    return step


@pytest.fixture
def editor_user(staff):
    return staff("Editor", "race-editor")


@pytest.fixture
def piece(make_article, editor_user):
    return make_article(created_by=editor_user, updated_by=editor_user)


def test_a_trash_and_a_save_at_once_never_revive_the_piece(piece, editor_user):
    for trial in range(TRIES):
        Article.objects.filter(pk=piece.pk).update(deleted_at=None)
        version = Article.objects.get(pk=piece.pk).version
        text = f"Saved in trial {trial}."
        trashed, saved = race(
            lambda version=version: actions.trash(piece, editor_user, version=version),
            edit(piece, text, version, editor_user),
        )
        stored = Article.objects.get(pk=piece.pk)
        assert sorted([trashed, saved]) == ["Conflict", "done"], trial
        if trashed == "done":
            assert stored.deleted_at is not None, f"trial {trial}: the save undid the trash"
            assert Revision.objects.filter(article=piece, applied=False, body=text).exists()
        else:
            assert stored.deleted_at is None and stored.body == text


def test_a_restore_from_the_trash_and_a_save_at_once(piece, editor_user):
    for trial in range(TRIES):
        actions.trash(Article.objects.get(pk=piece.pk), editor_user)
        version = Article.objects.get(pk=piece.pk).version
        restored, saved = race(
            lambda version=version: actions.restore_from_trash(piece, editor_user, version=version),
            edit(piece, f"Trial {trial}", version, editor_user),
        )
        assert restored == "done", trial
        assert saved in {"Conflict", "NotAllowed"}, trial  # a piece in the trash takes no save
        assert Article.objects.get(pk=piece.pk).deleted_at is None, trial


def test_publishing_a_pending_change_and_a_save_at_once_never_deadlock(piece, editor_user):
    def publish():
        # Read when the step starts: a save committed before it leaves no change to publish.
        if actions.publish_change(Article.objects.get(pk=piece.pk), editor_user) is None:
            raise LookupError("the save superseded the pending change")

    for trial in range(TRIES):
        live = Article.objects.get(pk=piece.pk)
        actions.propose(live, editor_user, {"body": f"Change {trial}."}, version=live.version)
        version = Article.objects.get(pk=piece.pk).version
        text = f"Direct save {trial}."
        published, saved = race(publish, edit(piece, text, version, editor_user))
        stored = Article.objects.get(pk=piece.pk)
        outcome = (published, saved)
        assert [published, saved].count("done") == 1, (trial, outcome)
        assert {published, saved} <= {"done", "Conflict", "LookupError"}, (trial, outcome)
        assert stored.body == (f"Change {trial}." if published == "done" else text)
        assert not stored.revisions.pending().exists()


def test_a_due_change_never_overwrites_a_save_made_meanwhile(piece, editor_user):
    for trial in range(TRIES):
        live = Article.objects.get(pk=piece.pk)
        change = actions.propose(live, editor_user, {"body": f"Due {trial}."}, version=live.version)
        Revision.objects.filter(pk=change.pk).update(go_live_at=timezone.now())
        version = Article.objects.get(pk=piece.pk).version
        text = f"Saved over {trial}."
        applied, saved = race(actions.publish_due_changes, edit(piece, text, version, editor_user))
        stored = Article.objects.get(pk=piece.pk)
        assert applied == "done", trial
        if saved == "done":
            assert stored.body == text, f"trial {trial}: the stale change went live over a save"
        else:
            assert saved == "Conflict" and stored.body == f"Due {trial}."
            assert Revision.objects.filter(article=piece, applied=False, body=text).exists()
        assert not stored.revisions.pending().exists()
