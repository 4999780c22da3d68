"""Uploaded images: only real, whole, reasonable pictures, stored without their metadata."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse
from PIL import Image
from pytest_django.asserts import assertContains

from articles.models import Article
from tests.forms import edit_form
from tests.test_workflow import change_url

pytestmark = pytest.mark.django_db


def picture(size=(2000, 1200), image_format="JPEG", **save):
    buffer = io.BytesIO()
    Image.new("RGB", size, "navy").save(buffer, format=image_format, **save)
    return buffer.getvalue()


def located_jpeg():
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    exif[0x8825] = {1: "N", 2: (35.0, 41.0, 22.0), 3: "E", 4: (139.0, 41.0, 30.0)}
    return picture(exif=exif)


def stored_files():
    return [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


def upload(content, name="photo.jpg"):
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def save_with_image(client, article, content, name="photo.jpg", **fields):
    data = edit_form(article, image_alt="Ships in a harbour", image_caption="Yokosuka",
                     image_credit="Photo: the institute", **fields)  # fmt: skip
    data["image"] = upload(content, name)
    return client.post(change_url(article), data)


def test_lead_image_is_stored_safely_without_location_and_in_sizes(editor_client, article, client):
    response = save_with_image(editor_client, article, located_jpeg(), name="../../evil name.jpg")
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.image.name.startswith("articles/")
    assert "evil" not in article.image.name and ".." not in article.image.name
    with article.image.open("rb") as stored, Image.open(stored) as image:
        assert not image.getexif()
        assert not image.getexif().get_ifd(0x8825)
    assert (article.image_width, article.image_height) == (2000, 1200)
    sizes = [width for _url, width in article.image_renditions]
    assert sizes == [480, 960, 1600]
    for url, width in article.image_renditions:
        name = url.removeprefix("/media/")
        with article.image.storage.open(name, "rb") as stored, Image.open(stored) as image:
            assert image.width == width
    page = client.get(article.get_absolute_url())
    assertContains(page, 'alt="Ships in a harbour"')
    assertContains(page, " 480w, ")
    assertContains(page, "Photo: the institute")
    assertContains(page, f'property="og:image" content="http://testserver{article.image.url}"')
    listing = editor_client.get(change_url(article))
    assertContains(listing, 'class="admin-thumbnail"')


def test_a_small_image_gets_no_larger_copies(editor_client, article):
    save_with_image(editor_client, article, picture(size=(300, 200), image_format="PNG"), "a.png")
    article.refresh_from_db()
    assert article.image.name.endswith(".png")
    assert article.image_renditions == []


def test_alt_text_is_required_with_an_image(editor_client, article):
    data = edit_form(article)
    data["image"] = upload(picture())
    response = editor_client.post(change_url(article), data)
    assert response.status_code == 200
    assertContains(response, "Describe the lead image (alt text).")
    article.refresh_from_db()
    assert not article.image


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"%PDF-1.4 not an image at all", "report.jpg", "Upload a valid image"),
        (picture()[:2000], "truncated.jpg", "Upload a valid image"),
        (picture(image_format="BMP"), "old.bmp", "Upload a JPEG, PNG, WebP or GIF image."),
        (picture(size=(9000, 9000), image_format="PNG"), "bomb.png", "more than allowed"),
        (picture(size=(500, 80000), image_format="PNG"), "tall.png", "more than allowed"),
        (picture(size=(300, 20000), image_format="PNG"), "strip.png", "no side may exceed"),
    ],
)
def test_bad_uploads_are_form_errors(editor_client, article, content, name, message):
    response = save_with_image(editor_client, article, content, name)
    assert response.status_code == 200
    assertContains(response, message)
    article.refresh_from_db()
    assert not article.image
    assert stored_files() == []


def test_oversized_files_are_refused(editor_client, article, monkeypatch):
    monkeypatch.setattr("core.images.MAX_BYTES", 1000)
    response = save_with_image(editor_client, article, picture())
    assertContains(response, "the limit is")
    article.refresh_from_db()
    assert not article.image


def test_decompression_bombs_beyond_pillow_limits_are_refused(editor_client, article, monkeypatch):
    monkeypatch.setattr("core.images.MAX_PIXELS", 10**12)  # let Pillow's own guard answer
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1_000_000)
    response = save_with_image(
        editor_client, article, picture(size=(3000, 3000), image_format="PNG")
    )
    assert response.status_code == 200
    article.refresh_from_db()
    assert not article.image
    assert Article.objects.get(pk=article.pk).version == article.version


def test_author_photos_lose_their_location_too(editor_client):
    response = editor_client.post(reverse("admin:authors_author_add"), {
        "name_en": "New Writer", "slug": "new-writer", "is_active": "on",
        "photo": upload(located_jpeg(), "me.jpg"),
    })  # fmt: skip
    assert response.status_code == 302
    from authors.models import Author

    author = Author.objects.get(slug="new-writer")
    with author.photo.open("rb") as stored, Image.open(stored) as image:
        assert not image.getexif()
    assert "me" not in author.photo.name.rsplit("/", 1)[-1]


def test_images_saved_in_code_are_cleaned_too(article):
    from django.core.files.base import ContentFile

    article.image_alt = "Ships"
    article.image.save("x.jpg", ContentFile(located_jpeg()))
    with article.image.open("rb") as stored, Image.open(stored) as image:
        assert not image.getexif()
    for url, _width in article.image_renditions:
        assert article.image.storage.exists(url.removeprefix("/media/"))
    reloaded = Article.objects.get(pk=article.pk)
    reloaded.title = "Retitled"
    reloaded.save()  # the image is not touched again
    assert reloaded.image.name == article.image.name


def test_an_illustrated_article_can_be_edited_again(editor_client, article):
    assert save_with_image(editor_client, article, picture()).status_code == 302
    article.refresh_from_db()
    stored = article.image.name
    response = editor_client.post(change_url(article), edit_form(
        article, title="Retitled", image_alt="Ships in a harbour", image_caption="Yokosuka",
        image_credit="Photo: the institute"))  # fmt: skip
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Retitled"
    assert article.image.name == stored


def stored_image(article):
    article.refresh_from_db()
    with article.image.open("rb") as stored:
        return stored.read()


def test_comments_and_xmp_do_not_survive_in_the_stored_original(editor_client, article):
    jpeg = picture(comment=b"secret JPEG comment", xmp=b"<x:xmpmeta>secret xmp</x:xmpmeta>")
    save_with_image(editor_client, article, jpeg)
    assert b"secret" not in stored_image(article)
    gif = picture(size=(400, 300), image_format="GIF", comment=b"secret GIF comment")
    save_with_image(editor_client, article, gif, name="anim.gif")
    content = stored_image(article)
    assert content.startswith(b"GIF") and b"secret" not in content


@pytest.mark.parametrize(
    ("image_format", "name", "extension"),
    [("PNG", "photo.jpg", ".png"), ("JPEG", "scan.png", ".jpg"), ("WEBP", "x.gif", ".webp"),
     ("GIF", "picture.jpeg", ".gif")],
)  # fmt: skip
def test_the_stored_extension_is_that_of_the_detected_format(
    editor_client, article, image_format, name, extension
):
    save_with_image(editor_client, article, picture((600, 400), image_format), name=name)
    article.refresh_from_db()
    assert Path(article.image.name).suffix == extension
    with article.image.open("rb") as stored, Image.open(stored) as image:
        assert image.format == image_format


def test_a_multi_picture_jpeg_from_a_phone_is_stored_as_a_jpeg(editor_client, article):
    buffer = io.BytesIO()
    first, second = Image.new("RGB", (1200, 900), "navy"), Image.new("RGB", (1200, 900), "red")
    first.save(buffer, format="MPO", save_all=True, append_images=[second])
    with Image.open(io.BytesIO(buffer.getvalue())) as opened:
        assert opened.format == "MPO"
    response = save_with_image(editor_client, article, buffer.getvalue(), name="IMG_0001.JPG")
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.image.name.endswith(".jpg")
    with article.image.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "JPEG"
        assert image.getpixel((10, 10))[2] > 100  # the first picture, the navy one
    assert [width for _url, width in article.image_renditions] == [480, 960]


def test_a_row_that_cannot_be_written_leaves_no_file_behind(article):
    from django.core.files.base import ContentFile

    article.image = ContentFile(picture(), name="x.jpg")  # no alt text: refused by the database
    with pytest.raises(IntegrityError):
        article.save()
    assert stored_files() == []


@pytest.mark.parametrize(
    ("who", "declared", "status"),
    [("anonymous", 100 * 1024 * 1024, 413), ("anonymous", 200 * 1024, 413),
     ("editor", 100 * 1024 * 1024, 413)],
)  # fmt: skip
def test_oversized_bodies_are_refused_before_they_are_read(client, editor, who, declared, status):
    """The body sent is tiny: were it read, the server would fail on the missing bytes."""
    if who == "editor":
        client.force_login(editor)
    client.cookies["csrftoken"] = "x" * 32  # a self-made CSRF cookie changes nothing
    response = client.post(reverse("admin:login"), {"username": "x"}, CONTENT_LENGTH=str(declared))
    assert response.status_code == status


def test_login_form_and_uploads_within_the_limits_are_read(client, editor_client, article):
    response = client.post(reverse("admin:login"), {"username": "editor", "password": "pw"})
    assert response.status_code == 302
    assert save_with_image(editor_client, article, picture()).status_code == 302


def test_an_image_saved_in_code_keeps_its_size_and_is_turned_upright(article):
    from django.core.files.base import ContentFile

    exif = Image.Exif()
    exif[0x0112] = 6  # taken sideways: shown turned a quarter
    article.image_alt = "Ships"
    article.image.save("x.jpg", ContentFile(picture(size=(1200, 800), exif=exif)))
    stored = Article.objects.values_list("image_width", "image_height").get(pk=article.pk)
    assert stored == (800, 1200)
    with article.image.open("rb") as file, Image.open(file) as image:
        assert image.size == (800, 1200)
