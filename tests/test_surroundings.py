"""What a commentary's page shows of other pieces (the previous and next in its series, the
related pieces, its versions in other languages) is kept per generation of the content
(articles.views.surroundings): the page costs three queries once it is kept, and it is never
stale, whatever changes, even with the page cache off."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import actions, views
from articles.models import Article

pytestmark = pytest.mark.django_db

PAGE = "/en/speaking-out/434/"


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0  # every page built: only the kept surroundings remain


@pytest.fixture
def around(article, make_article, link):
    """#434 between #433 and #435, a related piece sharing its topic, a Japanese original."""
    earlier = make_article(number=433, title="The piece before", tags=["Other"])
    later = make_article(number=435, title="The piece after", tags=["Other"])
    related = make_article(number=400, title="A piece on Russia too", tags=["Russia"])
    original = make_article(number=434, language="ja", title="米露は対立を演じつつ関係を調整")
    link(original, article)
    return {"earlier": earlier, "later": later, "related": related, "original": original}


def shown(client):
    response = client.get(PAGE)
    assert response.status_code == 200
    return response.content.decode()


def queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_a_commentary_costs_seven_queries_then_four_once_its_surroundings_are_kept(client, around):
    client.get("/en/speaking-out/433/")  # what every page shares is made: the navigation...
    assert queries(client, PAGE) <= 7  # the first request after a change
    # The piece, its topics, the authors of all shown, whether it has a PDF yet.
    assert queries(client, PAGE) == 4
    page = shown(client)
    for title in ("The piece before", "The piece after", "A piece on Russia too", "米露"):
        assert title in page


def test_the_kept_surroundings_are_those_of_the_piece_asked_for(client, around):
    shown(client)
    other = client.get("/en/speaking-out/433/").content.decode()
    assert 'rel="next" href="/en/speaking-out/434/"' in other
    assert "米露" not in other  # #433 has no Japanese version


def rename(author, name):
    author.name_en = name
    author.save()


CHANGES = {
    "a piece saved": lambda a: (
        setattr(a["later"], "title", "The piece after, retitled"),
        a["later"].save(),
    ),
    "a piece unpublished by update()": lambda a: Article.objects.filter(pk=a["later"].pk).update(
        status=Article.Status.ARCHIVED
    ),
    "a piece in the trash": lambda a: actions.trash(a["related"], actions.SYSTEM),
    "a topic added": lambda a: a["later"].tags.add("Russia"),
    "a translation link removed": lambda a: a["original"].link_as_original.delete(),
    "an author renamed": lambda a: rename(a["related"].authors.get(), "Renamed Writer"),
}


@pytest.mark.parametrize("change", CHANGES)
def test_every_change_shows_on_the_next_request(client, around, change):
    before = shown(client)
    CHANGES[change](around)
    after = shown(client)
    assert after != before, change
    if change == "a piece saved":
        assert "The piece after, retitled" in after
    if change == "a piece unpublished by update()":
        assert "The piece after" not in after
    if change == "a piece in the trash":
        assert "A piece on Russia too" not in after
    if change == "a topic added":
        assert after.count("The piece after") == 2  # next, and now related
    if change == "a translation link removed":
        assert "米露" not in after
    if change == "an author renamed":
        assert "Renamed Writer" in after


def test_a_change_while_a_page_is_built_is_not_kept_as_if_it_were_older(
    client, around, monkeypatch
):
    # An editor retags the piece after a reader's request has read it and before that request
    # works out its related pieces from it: what it works out must not outlive the change.
    read = views.ArticleDetailView.get_object

    def read_then_editor_saves(view, queryset=None):
        article = read(view, queryset)
        monkeypatch.setattr(views.ArticleDetailView, "get_object", read)
        Article.objects.get(pk=article.pk).tags.set(["Other"])
        return article

    monkeypatch.setattr(views.ArticleDetailView, "get_object", read_then_editor_saves)
    assert "A piece on Russia too" in shown(client)  # built from the row as it was read
    page = shown(client)
    assert "A piece on Russia too" not in page
    assert page.count("The piece before") == 2  # previous, and now related by "Other"


def test_a_scheduled_neighbour_appears_at_its_time_with_nothing_saved(client, around, make_article):
    due = timezone.now().replace(microsecond=0) + timedelta(minutes=10)
    around["later"].delete()
    make_article(number=436, title="Scheduled next", published_at=due)
    with time_machine.travel(due - timedelta(minutes=5), tick=False):
        assert "Scheduled next" not in shown(client)
    with time_machine.travel(due - timedelta(seconds=1), tick=False):
        assert "Scheduled next" not in shown(client)
    with time_machine.travel(due, tick=False):
        assert 'rel="next" href="/en/speaking-out/436/"' in shown(client)


def test_a_drafts_preview_shows_its_surroundings_and_the_public_never_sees_it(
    client, editor_client, around, make_article
):
    later = "/en/speaking-out/435/"
    assert 'rel="next"' not in client.get(later).content.decode()  # kept: #435 is the last
    draft = make_article(number=436, title="A draft on Russia", status="draft", tags=["Russia"])
    preview = editor_client.get(draft.get_preview_url()).content.decode()
    assert 'rel="prev" href="/en/speaking-out/435/"' in preview
    assert "A piece on Russia too" in preview  # related, by its topic
    for path in (later, "/en/speaking-out/400/", PAGE):
        assert "A draft on Russia" not in client.get(path).content.decode()
