"""The media library: images as records (alt text and caption per language), uploaded and
chosen from the admin's JSON endpoints, and what figures and videos become in a body."""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image as Picture

from media_library.models import Image
from media_library.rendering import figures, videos

pytestmark = pytest.mark.django_db

CHOOSE = "admin:media_library_image_choose"
UPLOAD = "admin:media_library_image_upload"


def picture(size=(2000, 1200), image_format="JPEG"):
    buffer = io.BytesIO()
    Picture.new("RGB", size, "teal").save(buffer, format=image_format)
    return buffer.getvalue()


def upload_data(content=None, name="chart.jpg", **fields):
    fields.setdefault("alt_en", "A chart of defence spending")
    fields.setdefault("alt_ja", "防衛費の推移を示すグラフ")
    data = {"caption_en": "", "caption_ja": "", "credit": "", **fields}
    data["file"] = SimpleUploadedFile(name, picture() if content is None else content)
    return data


def library_image(**fields):
    fields.setdefault("alt_en", "Ships in a harbour")
    fields.setdefault("alt_ja", "港の艦船")
    image = Image(**fields)
    image.file = SimpleUploadedFile("ships.jpg", picture())
    image.save()
    return image


def test_a_writer_uploads_an_image_and_gets_it_back_with_its_copies(staff, client_for):
    writer = staff("Writer")
    response = client_for(writer).post(
        reverse(UPLOAD), upload_data(caption_ja="2024年度", credit="Source: MOD")
    )
    assert response.status_code == 201
    found = response.json()
    image = Image.objects.get()
    assert found == {
        "id": image.pk,
        "src": image.file.url,
        "thumb": image.file.url.rsplit(".", 1)[0] + "-480w.webp",
        "width": 2000,
        "height": 1200,
        "alt_en": "A chart of defence spending",
        "alt_ja": "防衛費の推移を示すグラフ",
        "caption_en": "",
        "caption_ja": "2024年度",
        "credit": "Source: MOD",
    }
    assert image.uploaded_by == writer
    assert found["src"].startswith("/media/library/") and "chart" not in found["src"]
    stored = Path(settings.MEDIA_ROOT, found["thumb"].removeprefix("/media/"))
    with Picture.open(stored) as copy:
        assert (copy.format, copy.width) == ("WEBP", 480)


def test_a_file_that_is_no_image_is_refused_in_the_users_language(staff, client_for):
    response = client_for(staff("Editor"), "ja").post(
        reverse(UPLOAD), upload_data(b"<script>alert(1)</script>", name="x.jpg")
    )
    assert response.status_code == 400
    assert response.json()["error"] == (
        "画像をアップロードしてください。アップロードしたファイルは画像でないか、または壊れています。"
    )
    assert "file" in response.json()["errors"]
    assert not Image.objects.exists()


def test_an_image_over_the_upload_limit_is_refused_with_a_clear_message(staff, client_for):
    big = picture(size=(200, 200)) + b"\0" * (10 * 1024 * 1024)
    response = client_for(staff("Writer")).post(reverse(UPLOAD), upload_data(big))
    assert response.status_code == 400
    assert response.json()["error"] == "The image is 10.0\xa0MB; the limit is 10.0\xa0MB."
    assert not Image.objects.exists()


def test_an_image_needs_alt_text_in_one_language_at_least(staff, client_for):
    response = client_for(staff("Writer")).post(reverse(UPLOAD), upload_data(alt_en="", alt_ja=""))
    assert response.status_code == 400
    assert response.json()["error"] == "Describe the image (alt text) in one language at least."
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.jpg"))


def test_a_translator_may_choose_but_not_upload(staff, client_for):
    library_image()
    translator = client_for(staff("Translator"), "ja")
    assert translator.get(reverse(CHOOSE)).status_code == 200
    response = translator.post(reverse(UPLOAD), upload_data())
    assert response.status_code == 403
    assert response.json()["error"] == "画像をライブラリに追加する権限がありません。"
    assert Image.objects.count() == 1


def test_the_endpoints_are_for_signed_in_staff_with_a_csrf_token(staff, client):
    assert client.get(reverse(CHOOSE)).status_code == 302  # to the login page
    assert client.post(reverse(UPLOAD), upload_data()).status_code == 302
    checked = Client(enforce_csrf_checks=True)
    checked.force_login(staff("Editor"))
    assert checked.post(reverse(UPLOAD), upload_data()).status_code == 403
    assert checked.get(reverse(UPLOAD)).status_code == 405
    assert not Image.objects.exists()


def test_choosing_finds_images_by_alt_text_caption_or_credit(
    staff, client_for, django_assert_max_num_queries
):
    ships = library_image(caption_ja="横須賀港", credit="Photo: the institute")
    library_image(alt_en="A map of the Kuril Islands", alt_ja="北方領土の地図")
    for number in range(5):
        library_image(alt_en=f"Another picture {number}")
    writer = client_for(staff("Writer"))
    with django_assert_max_num_queries(6):
        everything = writer.get(reverse(CHOOSE)).json()["results"]
    assert len(everything) == 7
    assert [
        found["id"] for found in writer.get(reverse(CHOOSE), {"q": "横須賀"}).json()["results"]
    ] == [ships.pk]
    assert [
        found["alt_ja"] for found in writer.get(reverse(CHOOSE), {"q": "kuril"}).json()["results"]
    ] == ["北方領土の地図"]
    assert writer.get(reverse(CHOOSE), {"q": "nothing like it"}).json() == {"results": []}


def test_the_admin_lists_images_for_writers_and_shows_them_to_translators(staff, client_for):
    library_image()
    changelist = reverse("admin:media_library_image_changelist")
    writer = client_for(staff("Writer")).get(changelist)
    assert writer.status_code == 200 and b"Ships in a harbour" in writer.content
    assert reverse("admin:media_library_image_add").encode() in writer.content
    translator = client_for(staff("Translator")).get(changelist)
    assert translator.status_code == 200 and b"Ships in a harbour" in translator.content
    assert reverse("admin:media_library_image_add").encode() not in translator.content


# What a body's figures become


def body_figure(pk, src="/media/library/old.jpg", alt="Stored alt"):
    return (
        f'<p>Before.</p><figure data-image="{pk}"><img src="{src}" alt="{alt}">'
        '<figcaption><span class="figure-caption">Yokosuka, 2024</span>'
        '<span class="figure-credit">Photo: the institute</span></figcaption></figure><p>After.</p>'
    )


def test_a_figure_gets_a_lazy_responsive_image_with_the_alt_text_of_its_language():
    image = library_image()
    english = figures(body_figure(image.pk), "en")
    stem = image.file.url.rsplit(".", 1)[0]
    assert (
        f'<img src="{image.file.url}" srcset="{stem}-480w.webp 480w, {stem}-960w.webp 960w, '
        f'{stem}-1600w.webp 1600w, {image.file.url} 2000w" sizes="(max-width: 50rem) 100vw, '
        f'40rem" width="2000" height="1200" alt="Ships in a harbour" loading="lazy" '
        'decoding="async">'
    ) in english
    assert '<span class="figure-caption">Yokosuka, 2024</span>' in english
    assert english.startswith("<p>Before.</p>") and english.endswith("<p>After.</p>")
    assert 'alt="港の艦船"' in figures(body_figure(image.pk), "ja")


def test_a_figure_whose_record_lacks_that_language_keeps_the_stored_alt():
    image = library_image(alt_ja="")
    assert 'alt="Stored alt"' in figures(body_figure(image.pk), "ja")


def test_a_figure_of_a_deleted_image_keeps_only_the_sites_own_src(django_assert_num_queries):
    with django_assert_num_queries(1):
        html = figures(body_figure(999) + body_figure(998, src="https://evil.example/x.png"), "en")
    assert '<img src="/media/library/old.jpg" alt="Stored alt" loading="lazy"' in html
    assert "evil.example" not in html
    assert html.count("<figure") == 1
    assert figures(body_figure(1, src="/media/../etc/passwd"), "en").count("<figure") == 0


def test_a_body_without_figures_costs_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert figures("<p>Only text.</p>", "en") == "<p>Only text.</p>"


# Videos


def test_a_video_becomes_a_button_with_a_poster_from_the_site():
    html = videos('<p>Watch:</p><div class="video-facade" data-youtube="dQw4w9WgXcQ"></div>', "ja")
    assert '<button type="button" class="video-facade__play" data-youtube="dQw4w9WgXcQ">' in html
    assert '<img src="/static/img/video-poster.svg"' in html
    assert "動画を再生する（YouTube）" in html
    # Nothing the browser would fetch from elsewhere before the click: only a plain link.
    assert "iframe" not in html and "ytimg" not in html
    assert (
        html.count("youtube.com") == 1
        and 'href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"' in html
    )


def test_a_video_with_a_bad_id_is_dropped():
    html = videos(
        '<div class="video-facade" data-youtube="x&quot;onerror=alert(1)"></div><p>Ok</p>'
    )
    assert html == "<p>Ok</p>"


def test_the_policy_allows_frames_from_youtube_nocookie_alone(client, article):
    policy = client.get(article.get_absolute_url())["Content-Security-Policy"]
    assert "frame-src https://www.youtube-nocookie.com;" in policy + ";"
    assert "frame-src https://www.youtube-nocookie.com " not in policy


# The demo


def test_the_demo_has_a_piece_with_a_figure_a_table_and_footnotes_in_both_languages(client):
    from io import StringIO

    from django.core.management import call_command

    from articles.models import Article

    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())  # again: still one image
    chart = Image.objects.get()
    assert chart.width == 1200 and chart.renditions  # with its WebP copies
    for language, alt in [("ja", chart.alt_ja), ("en", chart.alt_en)]:
        piece = Article.objects.published().get(
            series__slug="research-notes", number=2, language=language
        )
        assert f'<figure data-image="{chart.pk}">' in piece.body  # the record, for the editor
        page = client.get(piece.get_absolute_url()).content.decode()
        # In either body format (Markdown today, the editor's HTML once issue 18's is in).
        assert f'<img src="{chart.file.url}"' in page and f'alt="{alt}"' in page
        assert "Chart: the institute" in page
        assert page.count("<td>") == 9 and "<th>" in page
        assert page.count("<sup") == 2 and 'href="#fn' in page


def test_an_image_says_which_pieces_show_it(staff, client_for, make_article):
    image = library_image()
    shown = make_article(number=500, body=body_figure(image.pk))
    make_article(number=501, body=body_figure(image.pk + 1))
    page = client_for(staff("Writer")).get(
        reverse("admin:media_library_image_change", args=[image.pk])
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("admin:articles_article_change", args=[shown.pk]) in html
    assert "#501" not in html


def test_the_image_list_costs_the_same_for_many_images(
    staff, client_for, django_assert_max_num_queries
):
    for number in range(30):
        library_image(alt_en=f"Picture {number}")
    writer = client_for(staff("Writer"))
    with django_assert_max_num_queries(12):
        response = writer.get(reverse("admin:media_library_image_changelist"))
    assert response.status_code == 200 and b"Picture 29" in response.content


def test_a_writer_adds_an_image_in_the_admin_and_a_bad_file_is_a_form_error(staff, client_for):
    writer = staff("Writer")
    client = client_for(writer, "ja")
    add = reverse("admin:media_library_image_add")
    refused = client.post(add, upload_data(b"GIF89a not really", name="x.gif"))
    assert refused.status_code == 200
    assert "画像をアップロードしてください。" in refused.content.decode()
    response = client.post(add, upload_data())
    assert response.status_code == 302
    image = Image.objects.get()
    assert image.uploaded_by == writer and image.width == 2000
    assert [width for _url, width in image.renditions] == [480, 960, 1600]


def test_hostile_text_in_a_record_or_a_figure_stays_text():
    image = library_image(alt_en='"><script>alert(1)</script>')
    html = figures(body_figure(image.pk), "en")
    assert "<script>" not in html and "&lt;script&gt;" in html
    crafted = (
        '<figure data-image="1&quot; onerror=&quot;alert(1)">'
        '<img src="/media/x.png" alt=""></figure>'
    )
    # One attribute on the figure, one src, alt and lazy loading on the image: nothing added.
    assert re.fullmatch(
        r'<figure data-image="[^"]*"><img src="/media/x.png" alt="" loading="lazy" '
        r'decoding="async"></figure>',
        figures(crafted, "en"),
    )


# An edit of a record reaches the pages at once


def test_an_edit_of_an_image_record_reaches_the_pages_that_show_it_at_once(
    staff, client_for, make_article, django_capture_on_commit_callbacks
):
    from articles.models import Article, Revision

    image = library_image(caption_en="Yokosuka, 2024", credit="Photo: the institute")
    piece = make_article(body=body_figure(image.pk))
    reader = Client()
    page = reader.get(piece.get_absolute_url()).content.decode()  # kept by the page cache
    assert 'alt="Ships in a harbour"' in page and "Yokosuka, 2024" in page
    change = reverse("admin:media_library_image_change", args=[image.pk])
    fields = {"alt_en": "Warships at Yokosuka", "alt_ja": "港の艦船",
              "caption_en": "Yokosuka, 2025", "caption_ja": "",
              "credit": "Photo: Ministry of Defense"}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(staff("Editor")).post(change, fields)
    assert response.status_code == 302
    page = reader.get(piece.get_absolute_url()).content.decode()
    assert 'alt="Warships at Yokosuka"' in page and "Ships in a harbour" not in page
    assert '<span class="figure-caption">Yokosuka, 2025</span>' in page
    assert '<span class="figure-credit">Photo: Ministry of Defense</span>' in page
    stored = Article.objects.get(pk=piece.pk)
    assert (stored.body, stored.version) == (piece.body, piece.version)  # the text: unchanged
    assert not Revision.objects.filter(article=piece).exists()


def test_refreshing_figures_renders_only_the_pieces_that_show_the_image(make_article):
    from articles import actions

    image = library_image()
    shows = make_article(body=body_figure(image.pk))
    other = make_article(number=435, body=body_figure(image.pk + 1000))
    Image.objects.filter(pk=image.pk).update(alt_en="Warships")  # no signal: by hand
    assert actions.refresh_figures(image.pk) == 1
    assert 'alt="Warships"' in type(shows).objects.get(pk=shows.pk).body_html
    assert type(other).objects.get(pk=other.pk).body_html == other.body_html
