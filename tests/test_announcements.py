"""commentary_changed: after each action commits, what the public will see of the piece,
once, and nothing for what the public never sees (mail, webhooks and PDFs listen)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles import actions
from articles.signals import commentary_changed

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    events = []

    def listen(sender, article, event, **kwargs):
        events.append((article.number, event))

    commentary_changed.connect(listen)
    yield events
    commentary_changed.disconnect(listen)


def test_each_action_says_what_the_public_will_see(
    make_article, staff, heard, django_capture_on_commit_callbacks
):
    editor = staff("Editor")
    draft = make_article(number=1, status="draft", published_at=None)

    def step(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            action(*args, **kwargs)
        draft.refresh_from_db()
        return heard.pop() if heard else None

    draft.lead = "A lead nobody sees yet."
    assert step(actions.save, draft, editor, version=draft.version) is None
    assert step(actions.publish, draft, editor, at=timezone.now() + timedelta(days=1)) == (
        1,
        "scheduled",
    )
    assert step(actions.publish, draft, editor, at=timezone.now()) == (1, "published")
    draft.title = "Corrected title"
    assert step(actions.save, draft, editor, version=draft.version) == (1, "updated")
    assert step(actions.unpublish, draft, editor) == (1, "unpublished")
    assert step(actions.publish, draft, editor) == (1, "published")
    assert step(actions.trash, draft, editor) == (1, "unpublished")
    assert step(actions.restore_from_trash, draft, editor) == (1, "published")
    assert heard == []


def test_nothing_is_said_before_the_commit_nor_for_a_refused_action(
    make_article, staff, heard, django_capture_on_commit_callbacks
):
    writer, editor = staff("Writer"), staff("Editor")
    draft = make_article(number=2, status="draft", published_at=None)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        actions.publish(draft, editor)
    assert heard == []  # not yet committed
    for callback in callbacks:
        callback()
    assert heard == [(2, "published")]
    heard.clear()
    draft.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(actions.NotAllowed):
        actions.unpublish(draft, writer)
    assert heard == []
