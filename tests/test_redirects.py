"""Redirects (redirects/): old addresses lead in one hop to where the page is now, and never
to a page the public may not read."""

from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles import actions
from articles.models import Article, Series, Tag
from authors.models import Author
from redirects import records
from redirects.models import NotFound, Redirect

ENGLISH = Path(__file__).parent / "pages" / "en_434.txt"
pytestmark = pytest.mark.django_db


def hops(client, path):
    """[(path, status)] from `path` to where it ends."""
    trail = []
    while len(trail) < 10:
        response = client.get(path)
        trail.append((path, response.status_code))
        if response.status_code not in (301, 302):
            return trail
        path = response["Location"]
    return trail


@pytest.mark.usefixtures("importer")
def test_an_imported_old_address_leads_in_one_301_to_the_page(client, tmp_path):
    page = tmp_path / "en_434.txt"
    page.write_text("https://www.jinf.jp/weekly/archives/1234\n" + ENGLISH.read_text())
    out = StringIO()
    call_command("import_commentaries", str(page), user="importer", stdout=out)
    assert "redirected from /weekly/archives/1234" in out.getvalue()
    assert hops(client, "/weekly/archives/1234") == [
        ("/weekly/archives/1234", 301),
        ("/en/speaking-out/434/", 200),
    ]
    redirect = Redirect.objects.get()
    assert (redirect.source, redirect.hits) == ("old-site", 1)
    assert redirect.last_hit is not None


@pytest.mark.usefixtures("importer")
def test_the_old_address_on_the_last_line_is_read_and_left_out_of_the_text(client, tmp_path):
    page = tmp_path / "en_434.txt"
    page.write_text(ENGLISH.read_text() + "\nURL: http://old.example.jp/weekly/archives/77\n")
    call_command("import_commentaries", str(page), user="importer", verbosity=0)
    article = Article.objects.get()
    assert "archives/77" not in article.body + article.author_note
    assert client.get("/weekly/archives/77")["Location"] == "/en/speaking-out/434/"


def test_a_redirect_to_a_piece_the_public_may_not_read_is_a_plain_404(
    client, article, draft, scheduled
):
    for number, piece in enumerate([draft, scheduled, article], start=1):
        records.point(f"/weekly/archives/{number}", to=piece)
    actions.trash(article, actions.SYSTEM)
    for number in (1, 2, 3):
        response = client.get(f"/weekly/archives/{number}")
        assert response.status_code == 404
        assert "Location" not in response
        assert "/speaking-out/" not in response.content.decode()
    assert Redirect.objects.filter(hits__gt=0).count() == 0


def test_an_unpublished_or_ended_piece_is_no_longer_redirected_to(client, article, now):
    records.point("/weekly/archives/1", to=article)
    assert client.get("/weekly/archives/1").status_code == 301
    actions.set_end(article, actions.SYSTEM, now + timedelta(hours=1))
    with time_machine.travel(now + timedelta(hours=1, seconds=1)):
        assert client.get("/weekly/archives/1").status_code == 404
    article.refresh_from_db()
    actions.unpublish(article, actions.SYSTEM)
    assert client.get("/weekly/archives/1").status_code == 404


def test_a_renumbered_piece_keeps_its_old_address_in_one_hop(client, article, editor):
    article.number = 500
    actions.save(article, editor, version=article.version)
    assert hops(client, "/en/speaking-out/434/") == [
        ("/en/speaking-out/434/", 301),
        ("/en/speaking-out/500/", 200),
    ]
    article.number = 501
    actions.save(article, editor, version=article.version)
    # Both old addresses lead straight to the newest: no chain.
    for old in ("/en/speaking-out/434/", "/en/speaking-out/500/"):
        assert hops(client, old)[1:] == [("/en/speaking-out/501/", 200)]
    # Moving back to an old number leaves no redirect at the address it lives at again.
    article.number = 434
    actions.save(article, editor, version=article.version)
    assert client.get("/en/speaking-out/434/").status_code == 200
    assert not Redirect.objects.filter(old_path="/en/speaking-out/434/").exists()
    assert hops(client, "/en/speaking-out/501/")[1:] == [("/en/speaking-out/434/", 200)]


def test_a_piece_moved_to_another_series_is_found_at_its_old_address(client, article, editor):
    other = Series.objects.create(slug="essays", name_en="Essays", name_ja="論考")
    article.series = other
    actions.save(article, editor, version=article.version)
    assert hops(client, "/en/speaking-out/434/")[1:] == [("/en/essays/434/", 200)]


def test_a_renamed_series_author_or_topic_keeps_its_old_addresses(client, article, series):
    series.slug = "opinion"
    series.save()
    assert hops(client, "/en/speaking-out/")[1:] == [("/en/opinion/", 200)]
    assert hops(client, "/ja/speaking-out/")[0] == ("/ja/speaking-out/", 301)
    assert hops(client, "/en/speaking-out/434/")[1:] == [("/en/opinion/434/", 200)]
    author = Author.objects.get()
    author.slug = "nagoshi"
    author.save()
    assert hops(client, "/en/authors/kenro-nagoshi/")[1:] == [("/en/authors/nagoshi/", 200)]
    tag = Tag.objects.get(name="Russia")
    tag.slug = "russian-federation"
    tag.save()
    assert hops(client, "/en/tags/russia/")[1:] == [("/en/tags/russian-federation/", 200)]


def test_a_renamed_author_s_or_topic_s_feeds_still_reach_their_readers(client, article):
    author, tag = Author.objects.get(), Tag.objects.get(name="Russia")
    author.slug = "nagoshi"
    author.save()
    tag.slug = "russian-federation"
    tag.save()
    for old, new in [
        ("/en/authors/kenro-nagoshi/feed/", "/en/authors/nagoshi/feed/"),
        ("/ja/authors/kenro-nagoshi/feed/atom/", "/ja/authors/nagoshi/feed/atom/"),
        ("/en/tags/russia/feed/", "/en/tags/russian-federation/feed/"),
        ("/ja/tags/russia/feed/atom/", "/ja/tags/russian-federation/feed/atom/"),
    ]:
        moved = client.get(old)
        assert (moved.status_code, moved["Location"]) == (301, new), old
    assert hops(client, "/en/tags/russia/feed/")[1:] == [("/en/tags/russian-federation/feed/", 200)]
    assert "Adjust Relations" in client.get("/en/authors/nagoshi/feed/").content.decode()
    author.slug = "kenro"  # renamed again: still one hop; and back: the feed is its own again
    author.save()
    assert hops(client, "/en/authors/kenro-nagoshi/feed/")[1:] == [("/en/authors/kenro/feed/", 200)]
    author.slug = "kenro-nagoshi"
    author.save()
    assert hops(client, "/en/authors/kenro-nagoshi/feed/") == [
        ("/en/authors/kenro-nagoshi/feed/", 200)
    ]
    assert hops(client, "/en/authors/nagoshi/feed/")[1:] == [
        ("/en/authors/kenro-nagoshi/feed/", 200)
    ]


def test_a_redirect_to_a_redirected_address_is_flattened_and_a_loop_refused(article):
    records.point("/a", new_path="/b")
    records.point("/b", new_path="/en/speaking-out/434/")
    assert Redirect.objects.get(old_path="/a").article == article  # one hop, to the page
    records.point("/c", new_path="/d")
    records.point("/d", new_path="/e")
    assert Redirect.objects.get(old_path="/c").new_path == "/e"
    with pytest.raises(ValidationError):
        records.point("/e", new_path="/c")
    with pytest.raises(ValidationError):
        records.point("/f", new_path="/f")
    with pytest.raises(ValidationError):
        records.point("/en/speaking-out/434/", to=article)


def test_gone_says_410_and_a_temporary_redirect_302(client, article):
    records.point("/old/gone", status=410)
    records.point("/old/for-now", new_path="/en/speaking-out/434/", status=302)
    assert client.get("/old/gone").status_code == 410
    response = client.get("/old/for-now?utm=x")
    assert (response.status_code, response["Location"]) == (302, "/en/speaking-out/434/?utm=x")


def test_import_redirects_reports_each_row_has_a_dry_run_and_is_safe_to_run_again(
    article, tmp_path
):
    csv = tmp_path / "old.csv"
    csv.write_text(
        "old_path,new_path,status\n"
        "/weekly/archives/1,/en/speaking-out/434/\n"
        "https://old.example.jp/weekly/archives/2,https://elsewhere.example.org/,302\n"
        "/weekly/archives/3,,410\n"
        "/weekly/archives/4,/en/speaking-out/434/,999\n"
        "not-a-path,/en/\n"
    )
    out = StringIO()
    call_command("import_redirects", str(csv), "--dry-run", stdout=out)
    assert "Dry run" in out.getvalue()
    assert not Redirect.objects.exists()
    out = StringIO()
    call_command("import_redirects", str(csv), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("line 2: created /weekly/archives/1 /en/speaking-out/434/")
    assert "line 5: refused" in lines[3] and "999" in lines[3]
    assert "line 6: refused" in lines[4]
    assert Redirect.objects.count() == 3
    assert Redirect.objects.get(old_path="/weekly/archives/2").status == 302
    out = StringIO()
    call_command("import_redirects", str(csv), stdout=out)
    assert "unchanged: 3" in out.getvalue()
    assert Redirect.objects.count() == 3


def test_an_address_nobody_found_is_logged_for_editors_to_redirect(client, article, editor):
    client.get("/weekly/archives/9")
    client.get("/weekly/archives/9")
    client.get("/static/missing.css")
    assert list(NotFound.objects.values_list("path", "hits")) == [("/weekly/archives/9", 2)]
    staff = Client(HTTP_ACCEPT_LANGUAGE="en")
    staff.force_login(editor)
    listing = staff.get("/admin/redirects/notfound/")
    assert "Create a redirect" in listing.content.decode()
    form = staff.get("/admin/redirects/redirect/add/?old_path=/weekly/archives/9")
    assert 'value="/weekly/archives/9"' in form.content.decode()
    response = staff.post(
        "/admin/redirects/redirect/add/",
        {"old_path": "/weekly/archives/9", "new_path": "/en/speaking-out/434/", "status": 301},
    )
    assert response.status_code == 302
    assert Redirect.objects.get().article == article
    assert not NotFound.objects.exists()
    loop = staff.post(
        "/admin/redirects/redirect/add/",
        {"old_path": "/en/speaking-out/434/", "new_path": "/weekly/archives/9", "status": 301},
    )
    assert loop.status_code == 200 and "would lead to itself" in loop.content.decode()


def test_editors_import_redirects_in_the_admin_with_a_dry_run_first(article, editor):
    staff = Client(HTTP_ACCEPT_LANGUAGE="en")
    staff.force_login(editor)
    upload = SimpleUploadedFile("r.csv", b"/weekly/archives/1,/en/speaking-out/434/\n")
    response = staff.post("/admin/redirects/redirect/import/", {"file": upload, "dry_run": "on"})
    assert "created" in response.content.decode()
    assert not Redirect.objects.exists()
    upload.seek(0)
    staff.post("/admin/redirects/redirect/import/", {"file": upload})
    assert Redirect.objects.get().article == article


def test_writers_keep_no_redirects(staff, client_for):
    writer = client_for(staff("Writer"))
    assert writer.get("/admin/redirects/redirect/").status_code == 403


def test_check_redirects_replays_old_addresses_and_reports_hops(article, tmp_path, draft):
    records.point("/weekly/archives/1", to=article)
    records.point("/weekly/archives/2", to=draft)
    listing = tmp_path / "old.txt"
    listing.write_text("/weekly/archives/1\n/weekly/archives/2\n")
    out = StringIO()
    with pytest.raises(SystemExit):
        call_command("check_redirects", str(listing), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == ("ok 1 hop(s): /weekly/archives/1 (301) → /en/speaking-out/434/ (200)")
    assert lines[1].startswith("BROKEN 0 hop(s): /weekly/archives/2 (404)")
    assert lines[2] == "2 address(es), 1 broken"
    assert Redirect.objects.get(old_path="/weekly/archives/1").hits == 0  # a check is no hit
    assert not NotFound.objects.exists()


def test_addresses_the_site_sends_on_to_a_language_are_not_logged(client, article):
    assert client.get("/")["Location"] == "/ja/"
    assert client.get("/speaking-out/434/", HTTP_ACCEPT_LANGUAGE="en")["Location"] == (
        "/en/speaking-out/434/"
    )
    assert not NotFound.objects.exists()


def test_the_404_log_forgets_what_nobody_asks_for_any_more(client, now):
    with time_machine.travel(now - timedelta(days=91)):
        client.get("/weekly/archives/old")
    client.get("/weekly/archives/recent")
    assert records.prune_not_found(90) == 1
    assert list(NotFound.objects.values_list("path", flat=True)) == ["/weekly/archives/recent"]


def test_a_redirect_named_by_the_address_of_a_draft_never_tells_it(client, draft, tmp_path):
    csv = tmp_path / "old.csv"
    csv.write_text("/weekly/archives/5,/en/speaking-out/435/\n")
    call_command("import_redirects", str(csv), stdout=StringIO())
    assert Redirect.objects.get().article == draft
    response = client.get("/weekly/archives/5")
    assert response.status_code == 404 and "Location" not in response
    actions.publish(draft, actions.SYSTEM)
    assert client.get("/weekly/archives/5")["Location"] == "/en/speaking-out/435/"


def test_the_old_address_of_a_purged_piece_is_gone(client, article):
    records.point("/weekly/archives/1", to=article)
    actions.trash(article, actions.SYSTEM)
    article.refresh_from_db()
    actions.purge(article, actions.SYSTEM)
    assert client.get("/weekly/archives/1").status_code == 410


def test_the_list_of_redirects_costs_the_same_for_many(editor, make_article, series):
    staff = Client(HTTP_ACCEPT_LANGUAGE="en")
    staff.force_login(editor)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert staff.get("/admin/redirects/redirect/").status_code == 200
        return len(captured)

    records.point("/weekly/archives/0", to=make_article(number=1))
    few = queries()
    for number in range(2, 22):
        records.point(f"/weekly/archives/{number}", to=make_article(number=number))
    records.point("/weekly/archives/series", to=series)
    assert queries() == few


def test_a_404_stays_a_404_when_the_redirects_cannot_be_read(client, article):
    client.get("/en/")  # the navigation, built before the table goes away
    with connection.cursor() as cursor:  # as before `migrate` has made it on a deployment
        cursor.execute("ALTER TABLE redirects_redirect RENAME TO redirects_redirect_away")
    assert client.get("/weekly/archives/1").status_code == 404


def test_an_editor_changes_where_a_redirect_leads(editor, article, series):
    redirect, _outcome = records.point("/weekly/archives/1", to=article)
    staff = Client(HTTP_ACCEPT_LANGUAGE="en")
    staff.force_login(editor)
    url = f"/admin/redirects/redirect/{redirect.pk}/change/"
    page = staff.get(url).content.decode()
    assert "/weekly/archives/1" in page and "/en/speaking-out/434/" in page
    response = staff.post(url, {"series": series.pk, "status": 302})
    assert response.status_code == 302
    redirect.refresh_from_db()
    assert (redirect.article, redirect.series, redirect.status) == (None, series, 302)
    both = staff.post(url, {"series": series.pk, "article": article.pk, "status": 301})
    assert "Choose one destination" in both.content.decode()


def test_a_redirect_to_an_address_where_a_draft_was_made_later_tells_nothing(client, make_article):
    records.point("/weekly/archives/8", new_path="/en/speaking-out/435/")
    assert Redirect.objects.get().new_path == "/en/speaking-out/435/"  # no page there yet
    draft = make_article(number=435, status="draft", published_at=None)
    assert client.get("/weekly/archives/8").status_code == 404
    actions.publish(draft, actions.SYSTEM)
    assert client.get("/weekly/archives/8")["Location"] == "/en/speaking-out/435/"
