"""PDFs (pdfs/): built by the job queue when a piece is published or changed, A4 with Japanese
fonts, linked from the page; never built or served for a piece the public may not read."""

import re
from datetime import timedelta
from io import BytesIO

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image

from articles import actions
from articles.models import Series
from pdfs import building
from pdfs.models import Pdf
from tests.services import bucket
from tests.test_deployment_storage import media_storage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def pdfs_on(settings):
    settings.PDFS_BUILD = True


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """An action, and the jobs it asks for once it commits."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


@pytest.fixture
def published(make_article, editor, committed):
    piece = make_article(
        language="ja",
        title="米露、対立演出しつつ関係調整も",
        body="本文の段落です。[^1]\n\n## 小見出し\n\n続きの段落。\n\n[^1]: 脚注の本文。",
        author_note="名越 健郎　国家基本問題研究所企画委員、拓殖大学海外事情研究所教授",
        status="draft",
        published_at=None,
    )
    committed(actions.publish, piece, editor)
    piece.refresh_from_db()
    return piece


def test_publishing_builds_an_a4_pdf_with_japanese_fonts_linked_from_the_page(client, published):
    pdf = Pdf.objects.get()
    assert pdf.version == published.version
    assert default_storage.exists(pdf.file.name)
    html = client.get("/ja/speaking-out/434/").content.decode()
    assert '<a href="/ja/speaking-out/434/pdf/" type="application/pdf">' in html
    tag = r'<meta name="citation_pdf_url" content="[^"]+/ja/speaking-out/434/pdf/">'
    assert re.search(tag, html)
    response = client.get("/ja/speaking-out/434/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-cache"  # never served past the piece's end unasked
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    content = building.document(published).write_pdf(uncompressed_pdf=True)
    assert re.search(rb"/MediaBox \[\s*0 0 595\.\d+ 841\.\d+\s*\]", content)  # A4, in points
    assert b"NotoSerifCJK" in content and b"NotoSansCJK" in content


def test_a_change_rebuilds_it_and_the_old_file_goes(published, editor, committed):
    old = Pdf.objects.get().file.name
    published.title = "新しい題"
    committed(actions.save, published, editor, version=published.version)
    pdf = Pdf.objects.get()
    assert pdf.version == published.version and pdf.file.name != old
    assert not default_storage.exists(old)
    assert building.build(published.pk) == "unchanged"  # a second run does nothing


@pytest.mark.parametrize("how", ["unpublish", "trash"])
def test_unpublishing_or_trashing_removes_the_pdf(client, published, editor, committed, how):
    name = Pdf.objects.get().file.name
    committed(getattr(actions, how), published, editor)
    assert not Pdf.objects.exists()
    assert not default_storage.exists(name)
    assert client.get("/ja/speaking-out/434/pdf/").status_code == 404
    assert "/pdf/" not in client.get("/ja/speaking-out/434/").content.decode()


def test_no_pdf_is_built_or_served_for_a_draft_or_a_scheduled_piece(client, draft, scheduled):
    for piece in (draft, scheduled):
        assert building.build(piece.pk) == "not public"
        assert client.get(f"/en/speaking-out/{piece.number}/pdf/").status_code == 404
    assert not Pdf.objects.exists()


def test_the_sweep_builds_a_piece_come_due_and_removes_an_ended_one(
    client, scheduled, django_capture_on_commit_callbacks
):
    assert building.sweep() == []
    with time_machine.travel(scheduled.published_at + timedelta(seconds=1)):
        with django_capture_on_commit_callbacks(execute=True):
            assert building.sweep() == [scheduled.pk]
        assert client.get("/en/speaking-out/436/pdf/").status_code == 200
        actions.set_end(scheduled, actions.SYSTEM, scheduled.published_at + timedelta(hours=1))
    with time_machine.travel(scheduled.published_at + timedelta(hours=1, seconds=1)):
        # Ended with no write: not served at once, and removed by the next sweep.
        assert client.get("/en/speaking-out/436/pdf/").status_code == 404
        with django_capture_on_commit_callbacks(execute=True):
            assert building.sweep() == [scheduled.pk]
    assert not Pdf.objects.exists()


def test_the_pdf_has_number_title_authors_date_footnotes_bio_and_address(published):
    html = building.html(published)
    assert "<h1>【#434】米露、対立演出しつつ関係調整も</h1>" in html
    assert "名越 健郎 /" in html
    day = timezone.localtime(published.published_at)
    assert f"{day.year}年{day.month}月{day.day}日" in html
    assert '<sup><a href="#fn:1"' in html and "<p>脚注の本文。" in html
    assert "国家基本問題研究所企画委員、拓殖大学海外事情研究所教授" in html  # the bio line
    assert re.search(r'<p class="address">https?://[^<]+/ja/speaking-out/434/</p>', html)


def png():
    image = BytesIO()
    Image.new("RGB", (40, 30), "navy").save(image, "PNG")
    return image.getvalue()


def test_the_site_s_figures_are_in_the_pdf_and_nothing_is_fetched_from_elsewhere(make_article):
    name = default_storage.save("articles/figure.png", ContentFile(png()))
    figure = '<figure><img src="/media/{}" alt="Chart"><figcaption>A chart</figcaption></figure>'
    inside = make_article(number=1, body="<p>A figure:</p>" + figure.format(name))
    assert b"/Subtype /Image" in building.document(inside).write_pdf(uncompressed_pdf=True)
    tracker = '<figure><img src="https://attacker.example/track.png" alt="x"></figure><p>Text.</p>'
    outside = make_article(number=2, body=tracker)
    assert b"/Subtype /Image" not in building.document(outside).write_pdf(uncompressed_pdf=True)
    with pytest.raises(ValueError):
        building.fetch_media("https://attacker.example/track.png")
    with pytest.raises(ValueError):
        building.fetch_media("file:///etc/passwd")


def test_on_object_storage_the_pdf_and_its_lead_image_stay_there(
    settings, monkeypatch, s3_server, make_article, client, committed, editor, media_root
):
    media_storage(settings, monkeypatch, s3_server)
    on_s3 = bucket(s3_server)
    name = default_storage.save("articles/lead.png", ContentFile(png()))
    piece = make_article(status="draft", published_at=None, image=name, image_alt="A chart")
    committed(actions.publish, piece, editor)
    stored = Pdf.objects.get().file.name
    assert stored.startswith("pdfs/") and on_s3.Object(stored).get()["ContentLength"] > 0
    assert b"/Subtype /Image" in building.document(piece).write_pdf(uncompressed_pdf=True)
    response = client.get("/en/speaking-out/434/pdf/")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    piece.refresh_from_db()
    committed(actions.unpublish, piece, editor)
    assert [item.key for item in on_s3.objects.filter(Prefix="pdfs/")] == []
    assert not list(media_root.rglob("*")), "nothing may be written to the local disk"


def test_a_sweep_over_an_archive_without_pdfs_builds_a_batch_newest_first(make_article, now):
    pieces = [
        make_article(number=number, published_at=now - timedelta(days=number))
        for number in (1, 2, 3)
    ]
    assert building.sweep(batch=2) == [pieces[0].pk, pieces[1].pk]
    assert building.sweep(batch=2) == [pieces[2].pk]
    assert building.sweep(batch=2) == []


def test_the_api_links_the_pdf_once_built_and_never_for_a_hidden_piece(
    client, published, make_article
):
    make_article(number=435, language="ja", title="まだPDFのない論考")  # published, not built yet
    make_article(number=436, language="ja", title="下書き", status="draft")
    listed = client.get("/api/v1/commentaries/").json()["results"]
    assert [(piece["number"], piece["pdf_url"]) for piece in listed] == [
        (434, "http://testserver/ja/speaking-out/434/pdf/"),
        (435, None),
    ]
    assert client.get(listed[0]["pdf_url"]).status_code == 200


def test_a_pdf_built_touches_its_piece_s_pages_alone(
    client, make_article, django_assert_num_queries
):
    # Every publication builds a PDF after it commits: that must not empty the page cache.
    other_series = Series.objects.create(slug="research-notes", name_en="Research Notes")
    elsewhere = make_article(series=other_series, number=7, title="Elsewhere")
    piece = make_article(number=435, title="Gets a PDF")
    client.get(elsewhere.get_absolute_url())
    assert 'type="application/pdf"' not in client.get(piece.get_absolute_url()).text
    assert building.build(piece.pk) == "built"
    with django_assert_num_queries(0):
        assert client.get(elsewhere.get_absolute_url()).status_code == 200  # still kept
    assert 'type="application/pdf"' in client.get(piece.get_absolute_url()).text
