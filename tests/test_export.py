"""export_commentaries, and its export imported into an empty database: the same site."""

import io
import json
import re
import shutil
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.utils import timezone
from PIL import Image

from articles import actions
from articles.models import Article, Revision, Series, Tag, WorkflowEvent
from authors.models import Author
from translations.models import TranslationLink

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("importer")]

LINK = re.compile(r'(?:href="|<loc>)(?:http://testserver)?(/[^"<#]*)')
NOT_PAGES = ("/admin/", "/media/", "/static/")
SEARCHES = ["/en/search/?q=Russia", "/ja/search/?q=米露", "/en/search/?q=Nagoshi"]


def png(color):
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 800), color).save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name="picture.png")


@pytest.fixture
def site(series, author, make_article, link, now):
    """A small site with something of everything a page can show, public or not."""
    other = Series.objects.create(
        slug="perspectives", name_en="Perspectives", name_ja="視点", description_ja="論考。"
    )
    guest = Author.objects.create(slug="ann-smith", name_en="Ann Smith", bio_en="Fellow")
    guest.photo.save("portrait.png", png("navy"))
    # Japanese topics sort by their reading: 外交 (がいこう) before ロシア (ろしあ), though
    # by the names themselves ロシア comes first.
    Tag.objects.create(name="Russia", slug="russia", name_ja="ロシア", reading_ja="ろしあ")
    Tag.objects.create(name="diplomacy", slug="diplomacy", name_ja="外交", reading_ja="がいこう")
    original = make_article(
        language="ja",
        title="米露は対立を演じる",
        tags=["Russia", "diplomacy"],
        published_at=now - timedelta(days=400),
    )
    translation = make_article(
        lead="Confrontation on stage.",
        tags=["Russia", "diplomacy"],
        published_at=now - timedelta(days=399),
    )
    link(original, translation)
    illustrated = make_article(
        number=435, authors=[author, guest], author_note="Two bios.\nOn two lines.",
        image_alt="A map", image_caption="The region", image_credit="Photo: us",
        published_at=now - timedelta(days=40),
    )  # fmt: skip
    illustrated.image.save("map.png", png("teal"))
    make_article(
        number=1,
        series=other,
        language="ja",
        title="視点の一",
        published_at=now - timedelta(days=3),
    )
    make_article(number=436, title="Draft: never public", status="draft", published_at=None)
    make_article(number=437, title="Scheduled: not yet", published_at=now + timedelta(days=2))
    make_article(number=438, title="Unpublished: gone", status="archived")
    make_article(number=439, title="Ended: gone", unpublish_at=now - timedelta(hours=1))
    make_article(number=440, title="Ending later", unpublish_at=now + timedelta(days=9))
    actions.trash(make_article(number=441, title="Trashed: gone"), actions.SYSTEM)
    for article in Article.objects.all():
        Revision.record(article, note="Saved")
    Revision.record(translation, note="Proposed", title="Pending: not yet", pending=True)
    return Article.objects.count()


def crawl(client, instant):
    """Every public page reachable from the home pages, sitemap and feeds: {url: bytes},
    rendered at `instant` (an empty feed is stamped with the time it is built)."""
    for alias in settings.CACHES:  # pages as they are made, not as a cache kept them
        caches[alias].clear()
    with time_machine.travel(instant, tick=False):
        return pages_from(client)


def pages_from(client):
    queue = ["/en/", "/ja/", "/sitemap.xml", "/robots.txt", "/en/feed/atom/", *SEARCHES]
    pages = {}
    while queue:
        url = queue.pop()
        if url in pages or url.startswith(NOT_PAGES):
            continue
        response = client.get(url)
        assert response.status_code in (200, 301, 302), url
        pages[url] = (response.status_code, without_row_ids(response.content))
        if response.status_code == 200:
            found = LINK.findall(response.content.decode())
            queue += [link.replace("&amp;", "&") for link in found]
    return pages


def without_row_ids(content):
    """The page with the read-count beacon's address (/r/<row id>/) made general: an import
    into an empty database numbers its rows afresh, and readers never see that address."""
    return re.sub(rb'data-url="/r/\d+/"', b'data-url="/r/ID/"', content)


def media(pages):
    names = set()
    for _status, content in pages.values():
        names.update(re.findall(r"/media/([^\"' ,<]+)", content.decode()))
    return {name: default_storage.open(name).read() for name in names}


def empty_the_site(media_root):
    TranslationLink.objects.all().delete()
    Article.objects.all().delete()
    for model in (Tag, Series, Author):
        model.objects.all().delete()
    shutil.rmtree(media_root)
    assert not Revision.objects.exists() and not WorkflowEvent.objects.exists()


@pytest.mark.parametrize("target", ["export", "export.zip"])
def test_an_export_imported_into_an_empty_database_gives_the_same_pages(
    site, client, tmp_path, media_root, now, target
):
    before = crawl(client, now + timedelta(hours=1))
    month = timezone.localtime(now - timedelta(days=399))  # the translation's, in Tokyo
    assert {
        "/en/speaking-out/434/",
        "/ja/perspectives/1/",
        "/en/feed/",
        "/ja/feed/atom/",
        "/ja/tags/russia/feed/",
        "/en/authors/ann-smith/",
        f"/en/archive/{month:%Y/%m}/",
        "/sitemap-commentaries.xml",
        "/en/search/?q=Russia",
        "/ja/tags/",
    } <= set(before)
    topics = before["/ja/tags/"][1].decode()
    assert topics.index("外交") < topics.index("ロシア")
    hidden = ("never public", "not yet", "gone")
    assert not any(text in c.decode() for text in hidden for _s, c in before.values())
    assert "Ending later" in before["/en/speaking-out/440/"][1].decode()
    files = media(before)
    assert len(files) >= 3  # a photo, a lead image and its smaller copies

    call_command("export_commentaries", str(tmp_path / target), stdout=io.StringIO())
    empty_the_site(media_root)
    assert client.get("/en/speaking-out/434/").status_code == 404

    out = io.StringIO()
    call_command("import_commentaries", str(tmp_path / target), user="importer", stdout=out)
    assert f"{site} created, 0 updated, 0 unchanged, 0 failed." in out.getvalue()
    after = crawl(client, now + timedelta(hours=1))
    assert sorted(after) == sorted(before)
    for url, page in before.items():
        assert after[url] == page, url
    assert media(after) == files
    assert Article.objects.filter(status="draft").get().title == "Draft: never public"
    assert Article.objects.trashed().get().title == "Trashed: gone"
    assert Article.objects.get(number=439).unpublish_at < now
    pending = Revision.objects.pending().get()
    assert (pending.title, pending.article.number) == ("Pending: not yet", 434)

    again = io.StringIO()
    call_command("import_commentaries", str(tmp_path / target), user="importer", stdout=again)
    assert f"0 created, 0 updated, {site} unchanged, 0 failed." in again.getvalue()


def test_revisions_and_workflow_steps_travel_when_asked(site, tmp_path, media_root, editor):
    article = Article.objects.get(number=434, language="en")
    Revision.record(article, editor, note="Tightened the lead")
    WorkflowEvent.objects.create(
        article=article, from_status="review", to_status="published", user=editor
    )
    history = list(article.revisions.values_list("note", "created", "user__username"))
    call_command("export_commentaries", str(tmp_path / "out"), revisions=True, stdout=io.StringIO())
    empty_the_site(media_root)
    call_command("import_commentaries", str(tmp_path / "out"), user="editor", verbosity=0)
    article = Article.objects.get(number=434, language="en")
    restored = list(article.revisions.values_list("note", "created", "user__username"))
    assert restored[0][0] == f"Imported from {tmp_path / 'out'}"
    assert restored[1:] == history
    # The restored step, after the import's own (as with the revisions).
    assert list(article.events.values_list("from_status", "to_status")) == [
        ("draft", "published"),
        ("review", "published"),
    ]


def test_an_export_without_revisions_carries_only_pending_changes(site, tmp_path):
    call_command("export_commentaries", str(tmp_path / "out"), stdout=io.StringIO())
    lines = (tmp_path / "out" / "commentaries.jsonl").read_text().splitlines()
    records = [json.loads(line) for line in lines]
    assert sum(record["type"] == "article" for record in records) == site
    revisions = [record for record in records if record["type"] == "revision"]
    assert [(r["title"], r["pending"]) for r in revisions] == [("Pending: not yet", True)]
    assert not any(record["type"] == "event" for record in records)


def test_a_damaged_export_is_reported_line_by_line(site, tmp_path, media_root):
    call_command("export_commentaries", str(tmp_path / "out"), stdout=io.StringIO())
    records = tmp_path / "out" / "commentaries.jsonl"
    lines = records.read_text().splitlines()
    photo = next(i for i, line in enumerate(lines) if '"photo": "authors/' in line)
    lines[photo] = re.sub(r'"photo": "[^"]*"', '"photo": "../../../etc/passwd"', lines[photo])
    article = next(i for i, line in enumerate(lines) if '"type": "article"' in line)
    lines[article] = lines[article][:40]
    records.write_text("\n".join(lines) + "\n")
    empty_the_site(media_root)
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_commentaries", str(tmp_path / "out"), user="importer", stdout=out, stderr=err
        )
    assert f"out:{photo + 1}: refused: unsafe file name “../../../etc/passwd”" in err.getvalue()
    assert f"out:{article + 1}: not a record of an export" in err.getvalue()
    # The author without a photo record is refused, so are the commentaries naming them.
    assert not Author.objects.filter(slug="ann-smith").exists()
    assert Article.objects.count() == site - 2
    assert "refused: no author “ann-smith”" in err.getvalue()


def test_a_dry_run_of_an_export_leaves_no_row_and_no_file(site, tmp_path, media_root):
    call_command("export_commentaries", str(tmp_path / "out.zip"), stdout=io.StringIO())
    empty_the_site(media_root)
    out = io.StringIO()
    call_command(
        "import_commentaries", str(tmp_path / "out.zip"), user="importer", dry_run=True, stdout=out
    )
    assert f"Dry run, nothing saved: {site} created" in out.getvalue()
    assert not Article.objects.exists() and not Author.objects.exists()
    assert not [path for path in media_root.rglob("*") if path.is_file()]
