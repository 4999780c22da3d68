"""Each time rule pinned at its exact instant: a piece is public from the second of its
publication time until the second before its end, in every place that asks (the queryset,
one row in memory, the admin's states, what a writer may list, the schedule, the cache's
bound), and never while it is in the trash."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from articles import actions
from articles.actions import rules
from articles.admin.pages import coming
from articles.models import Article, seconds_until_next_publication

pytestmark = pytest.mark.django_db

START = datetime(2026, 4, 18, 9, 0, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
END = START + timedelta(days=2)
SECOND = timedelta(seconds=1)


@pytest.fixture
def timed(make_article, staff):
    owner = staff("Writer", "owner")
    with time_machine.travel(START - timedelta(days=1), tick=False):
        return make_article(published_at=START, unpublish_at=END, created_by=owner)


def everywhere(article, reader):
    """What each place that applies the public rule says of the article, now."""
    fresh = Article.objects.get(pk=article.pk)
    return {
        "published()": Article.objects.published().filter(pk=article.pk).exists(),
        "is_published()": fresh.is_published(),
        "status_now": fresh.status_now == Article.State.LIVE,
        "in_state(live)": Article.objects.in_state(Article.State.LIVE)
        .filter(pk=article.pk)
        .exists(),
        "visible(writer)": rules.visible(reader, Article.objects.all())
        .filter(pk=article.pk)
        .exists(),
    }


@pytest.mark.parametrize(
    "moment, public",
    [
        (START - SECOND, False),
        (START, True),
        (START + SECOND, True),
        (END - SECOND, True),
        (END, False),
        (END + SECOND, False),
    ],
    ids=["before start", "at start", "after start", "before end", "at end", "after end"],
)
def test_every_place_agrees_at_each_instant(timed, staff, moment, public):
    reader = staff("Writer", "another")  # not the owner: sees only what is public
    with time_machine.travel(moment, tick=False):
        assert everywhere(timed, reader) == dict.fromkeys(everywhere(timed, reader), public)


@pytest.mark.parametrize(
    "moment, state",
    [
        (START - SECOND, Article.State.SCHEDULED),
        (START, Article.State.LIVE),
        (END - SECOND, Article.State.LIVE),
        (END, Article.State.UNPUBLISHED),
    ],
)
def test_the_admin_state_changes_at_its_second(timed, moment, state):
    with time_machine.travel(moment, tick=False):
        assert Article.objects.get(pk=timed.pk).state == state
        assert list(Article.objects.in_state(state).values_list("pk", flat=True)) == [timed.pk]
        others = [s for s in Article.State if s != state]
        for other in others:
            assert not Article.objects.in_state(other).filter(pk=timed.pk).exists(), other


def test_the_cache_bound_ends_at_the_next_start_or_end(timed):
    with time_machine.travel(START - 90 * SECOND, tick=False):
        assert seconds_until_next_publication() == 90
    with time_machine.travel(END - 30 * SECOND, tick=False):
        assert seconds_until_next_publication() == 30


def test_the_trash_is_public_nowhere_and_off_the_schedule(timed, staff):
    editor = staff("Editor")
    with time_machine.travel(START - timedelta(hours=1), tick=False):
        assert [row["kind"] for _day, rows in coming(Article.objects.all()) for row in rows] == [
            "publish",
            "end",
        ]
        actions.trash(timed, editor)
        assert coming(Article.objects.all()) == []
        assert seconds_until_next_publication() == 3600  # nothing coming: the longest bound
    with time_machine.travel(START + SECOND, tick=False):
        reader = staff("Writer", "another")
        seen = everywhere(timed, reader)
        # The admin's state is the piece's own (the trash lists it so); the public sees none.
        assert not any(
            seen[place] for place in ("published()", "is_published()", "visible(writer)")
        )


def test_a_pending_change_due_at_a_second_goes_live_then_and_not_before(timed, staff):
    editor = staff("Editor")
    with time_machine.travel(START + SECOND, tick=False):
        timed.refresh_from_db()
        actions.propose(timed, editor, {"title": "Changed"}, version=timed.version)
        timed.refresh_from_db()
        actions.publish_change(timed, editor, at=START + timedelta(hours=1))
    with time_machine.travel(START + timedelta(hours=1) - SECOND, tick=False):
        assert actions.publish_due_changes() == 0
        assert Article.objects.get(pk=timed.pk).title != "Changed"
    with time_machine.travel(START + timedelta(hours=1), tick=False):
        assert actions.publish_due_changes() == 1
        assert actions.publish_due_changes() == 0  # run twice: done once
        assert Article.objects.get(pk=timed.pk).title == "Changed"
