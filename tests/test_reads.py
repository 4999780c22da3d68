"""Most read (reads/): a first-party beacon counts reads without a cookie or anything about
the reader, robots aside; the home page lists the month's most read per language, public
pieces only."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from articles import actions
from reads import counting
from reads.models import DailyReads
from reads.templatetags.reads import most_read_this_month

pytestmark = pytest.mark.django_db
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"


def beacon(client, article, agent=BROWSER, **headers):
    return client.post(f"/r/{article.pk}/", HTTP_USER_AGENT=agent, **headers)


def reads(article):
    return sum(DailyReads.objects.filter(article=article).values_list("reads", flat=True))


def test_the_page_asks_for_the_beacon_and_stays_the_same_for_everyone(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'data-url="/r/{article.pk}/"' in html
    assert "reads.js" in html


def test_a_read_is_counted_with_no_cookie_set_and_nothing_kept_of_the_reader(client, article):
    response = beacon(client, article)
    assert response.status_code == 204
    assert not response.cookies
    assert response["Cache-Control"] == "no-store"
    beacon(client, article, REMOTE_ADDR="192.0.2.7")
    row = DailyReads.objects.get()
    assert (row.article, row.day, row.reads) == (article, timezone.localdate(), 2)
    assert {field.name for field in DailyReads._meta.fields} == {"id", "article", "day", "reads"}


def test_a_reader_counts_once_a_day_per_piece_however_often_the_beacon_is_posted(
    client, article, make_article
):
    other = make_article(number=2)
    for _ in range(50):  # reloads, or a script posting in a loop to climb the list
        beacon(client, article)
    beacon(client, other)
    assert (reads(article), reads(other)) == (1, 1)
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        beacon(client, article)
        beacon(client, article)
    assert reads(article) == 2
    assert list(DailyReads.objects.filter(article=article).values_list("reads", flat=True)) == [
        1,
        1,
    ]


def test_a_forwarded_address_is_believed_only_behind_a_trusted_proxy(client, article, settings):
    for n in range(5):  # a client writing X-Forwarded-For itself is still one address
        beacon(client, article, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    assert reads(article) == 1
    settings.TRUSTED_PROXY_HEADER = "X-Forwarded-Proto"
    for n in range(5):  # the proxy's last entry is the reader's: five readers
        beacon(client, article, HTTP_X_FORWARDED_FOR=f"203.0.113.9, 198.51.100.{n}")
    assert reads(article) == 6


def test_no_cookie_even_where_writes_pin_readers_to_the_primary(client, article, settings):
    settings.DATABASE_REPLICAS = ["replica1"]  # a write elsewhere would set the pin cookie
    response = beacon(client, article)
    assert response.status_code == 204 and not response.cookies
    assert reads(article) == 1


@pytest.mark.parametrize(
    "agent",
    ["Googlebot/2.1 (+http://www.google.com/bot.html)", "facebookexternalhit/1.1",
     "curl/8.5.0", "python-requests/2.32", "Mozilla/5.0 HeadlessChrome/120", ""],
)  # fmt: skip
def test_robots_are_not_counted(client, article, agent):
    assert beacon(client, article, agent).status_code == 204
    assert reads(article) == 0


def test_nor_other_sites_nor_staff(client, article, editor):
    beacon(client, article, HTTP_SEC_FETCH_SITE="cross-site")
    staff = Client()
    staff.force_login(editor)
    beacon(staff, article)
    assert reads(article) == 0


def test_a_piece_the_public_may_not_read_is_never_counted(client, draft, scheduled, article):
    actions.trash(article, actions.SYSTEM)
    for piece in (draft, scheduled, article):
        assert beacon(client, piece).status_code == 204
    assert client.post("/r/999999/", HTTP_USER_AGENT=BROWSER).status_code == 204
    assert not DailyReads.objects.exists()
    assert client.get(f"/r/{draft.pk}/").status_code == 405


def test_the_home_page_lists_the_month_s_most_read_in_its_language(client, make_article):
    first = make_article(number=1, title="Read a little")
    second = make_article(number=2, title="Read a lot")
    japanese = make_article(number=3, language="ja", title="日本語で最も読まれた")
    quiet = make_article(number=4, title="Never read")
    today = timezone.localdate()
    counting.count(first.pk, today)
    for _ in range(3):
        counting.count(second.pk, today)
    counting.count(japanese.pk, today)
    counting.count(quiet.pk, today - timedelta(days=31))  # last month's
    html = client.get("/en/").content.decode()
    section = html[html.index("Most read this month") :]
    assert section.index("Read a lot") < section.index("Read a little")
    assert "日本語で最も読まれた" not in section and "Never read" not in section
    assert (
        "日本語で最も読まれた" in client.get("/ja/").content.decode().split("今月よく読まれた")[1]
    )


def test_the_list_costs_one_query_then_none_until_the_content_changes(
    make_article, django_assert_num_queries
):
    today = timezone.localdate()
    for number in range(1, 8):
        DailyReads.objects.create(article=make_article(number=number), day=today, reads=number)
    # The list, and the bounds of what is cached: the next scheduled start and the next end.
    with django_assert_num_queries(3):
        listed = most_read_this_month()["most_read"]
    assert [piece.number for piece in listed] == [7, 6, 5, 4, 3]
    with django_assert_num_queries(0):
        most_read_this_month()


def test_the_month_is_the_last_30_days(article):
    today = timezone.localdate()
    DailyReads.objects.create(article=article, day=today - timedelta(days=29), reads=1)
    assert list(counting.most_read("en", today=today)) == [article]
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert list(counting.most_read("en")) == []


def test_a_draft_scheduled_or_trashed_piece_never_makes_the_list(
    client, article, draft, scheduled, make_article
):
    today = timezone.localdate()
    for piece in (article, draft, scheduled):
        DailyReads.objects.create(article=piece, day=today, reads=50)
    html = client.get("/en/").content.decode()
    assert "A draft nobody may read" not in html.split("Most read this month")[1]
    assert "A piece scheduled for tomorrow" not in html
    actions.trash(article, actions.SYSTEM)
    assert "Most read this month" not in client.get("/en/").content.decode()


def test_old_days_are_forgotten(article):
    today = timezone.localdate()
    DailyReads.objects.create(article=article, day=today - timedelta(days=401), reads=3)
    DailyReads.objects.create(article=article, day=today, reads=1)
    assert counting.prune() == 1
    assert reads(article) == 1


def test_editors_read_the_counts_and_writers_do_not(staff, client_for, article):
    DailyReads.objects.create(article=article, day=timezone.localdate(), reads=7)
    editor = client_for(staff("Editor"))
    listing = editor.get("/admin/reads/dailyreads/")
    assert listing.status_code == 200 and article.title in listing.content.decode()
    assert client_for(staff("Writer")).get("/admin/reads/dailyreads/").status_code == 403
