"""Read replicas: anonymous readers read from a real streaming replica, everyone else (and
anyone who just wrote) from the primary, and a replica that lags or is down is not read."""

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from articles import counts
from core.requestlog import counter
from tests.forms import edit_form
from tests.services import free_port, replayed, run
from tests.test_workflow import change_url
from thinktank import routers

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True, databases="__all__")


@pytest.fixture
def routed(settings, replica):
    settings.DATABASE_REPLICAS = [replica]
    settings.DATABASE_ROUTERS = ["thinktank.routers.ReplicaRouter"]
    settings.REPLICA_MAX_LAG = 3600
    settings.PAGE_CACHE_SECONDS = 0  # every page read from a database
    routers._health.clear()
    yield replica
    routers._health.clear()


@pytest.fixture
def paused(routed, article):
    """The replica has the article, then stops replaying: what the primary writes next is on
    the primary only, so a page shows which of the two it was read from."""
    replayed(routed)
    run(routed, "SELECT pg_wal_replay_pause()")
    try:
        yield routed
    finally:
        run(routed, "SELECT pg_wal_replay_resume()")


def retitle_behind_djangos_back(article, title):
    """A write no signal hears of (as a script's raw SQL): nothing yet marks the content as
    changed, so nothing yet keeps readers off a replica that lacks it."""
    with connections["default"].cursor() as cursor:
        cursor.execute("UPDATE articles_article SET title = %s WHERE id = %s", [title, article.pk])


def reader():
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def series_page(client, article, alias):
    """The series page, with the number of queries each database answered for it."""
    queries = {alias: 0, "default": 0}
    with (
        connections[alias].execute_wrapper(counter(queries, alias)),
        connections["default"].execute_wrapper(counter(queries, "default")),
    ):
        response = client.get(article.series.get_absolute_url())
    assert response.status_code == 200
    response.queries = queries
    return response


def test_the_replica_streams_the_primary(replica, article):
    assert run(replica, "SELECT pg_is_in_recovery()")
    replayed(replica)
    assert run(replica, "SELECT title FROM articles_article WHERE id = %s", [article.pk]) == (
        article.title
    )


def test_anonymous_readers_read_from_the_replica_staff_from_the_primary(
    routed, article, editor_client
):
    replayed(routed)
    page = series_page(reader(), article, routed)
    assertContains(page, article.title)
    assert page.queries[routed] > 1 and page.queries["default"] == 0
    page = series_page(editor_client, article, routed)
    assertContains(page, article.title)
    assert page.queries[routed] == 0 and page.queries["default"] > 1


def test_once_a_change_is_committed_no_replica_behind_it_is_read(paused, article):
    retitle_behind_djangos_back(article, "Changed on the primary")
    assertNotContains(series_page(reader(), article, paused), "Changed on the primary")
    counts.changed()  # as such a script must, after its commit
    page = series_page(reader(), article, paused)
    assertContains(page, "Changed on the primary")
    assert page.queries["default"] > 1


def test_a_browser_that_wrote_reads_from_the_primary_for_a_while(routed, article, editor_client):
    saved = editor_client.post(change_url(article), edit_form(article, title="Retitled at once"))
    assert saved.status_code == 302
    logged_out = editor_client.post(reverse("admin:logout"))
    assert logged_out.cookies[routers.PIN_COOKIE]["max-age"] > routers.CHECK_SECONDS
    replayed(routed)
    page = series_page(editor_client, article, routed)  # logged out, yet pinned
    assertContains(page, "Retitled at once")
    assert page.queries[routed] == 0
    assert series_page(reader(), article, routed).queries["default"] == 0


def test_a_lagging_replica_is_not_read(paused, settings, article):
    settings.REPLICA_MAX_LAG = 0
    retitle_behind_djangos_back(article, "Changed on the primary")
    replayed(paused, "receive")  # it has the change, and is behind in applying it
    page = series_page(reader(), article, paused)
    assertContains(page, "Changed on the primary")
    assert page.queries[paused] == 1  # only the check that found it behind


def test_a_replica_that_is_down_is_not_read_until_it_is_back(routed, article, monkeypatch):
    monkeypatch.setattr(routers, "CHECK_SECONDS", 0)
    replayed(routed)
    real = connections[routed].settings_dict
    connections[routed].close()
    connections[routed].settings_dict = {**real, "PORT": free_port()}
    try:
        page = series_page(reader(), article, routed)
        assertContains(page, article.title)
        assert page.queries["default"] > 0
    finally:
        connections[routed].settings_dict = real
    page = series_page(reader(), article, routed)
    assert page.queries["default"] == 0 and page.queries[routed] > 1
