"""Media on S3-compatible object storage (a real moto server): uploads are cleaned and their
sizes made there, pages name them there, and nothing is written to or read from local disk."""

import io
import re
import runpy

import pytest
import requests
from django.core.files.base import ContentFile
from django.test import Client
from PIL import Image

from tests.services import bucket, free_port
from tests.test_images import located_jpeg, save_with_image, upload

pytestmark = pytest.mark.django_db


def media_storage(settings, monkeypatch, env):
    """Sets the media storage as thinktank/settings.py makes it from this environment."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    made = runpy.run_path(str(settings.BASE_DIR / "thinktank" / "settings.py"))["STORAGES"]
    settings.STORAGES = {**settings.STORAGES, "default": made["default"]}


@pytest.fixture
def on_s3(settings, monkeypatch, s3_server):
    media_storage(settings, monkeypatch, s3_server)
    return bucket(s3_server)


def stored_image(on_s3, name):
    return Image.open(io.BytesIO(on_s3.Object(name).get()["Body"].read()))


def image_addresses(page):
    html = page.content.decode()
    src = re.search(r'<img src="([^"]+)"[^>]*srcset="([^"]+)"', html)
    assert src, "no lead image with a srcset on the page"
    sizes = [entry.rsplit(" ", 1) for entry in src.group(2).split(", ")]
    return src.group(1), [(url, int(width.rstrip("w"))) for url, width in sizes]


def test_an_upload_is_cleaned_and_served_from_object_storage(
    on_s3,
    s3_server,
    editor_client,
    article,
    media_root,
):
    assert save_with_image(editor_client, article, located_jpeg()).status_code == 302
    article.refresh_from_db()
    with stored_image(on_s3, article.image.name) as image:
        assert not image.getexif() and image.size == (2000, 1200)

    src, sizes = image_addresses(Client().get(article.get_absolute_url()))
    assert src.startswith(f"{s3_server['AWS_S3_ENDPOINT_URL']}/{on_s3.name}/articles/")
    assert [width for _url, width in sizes] == [480, 960, 1600, 2000]
    for url, width in sizes:
        served = requests.get(url, timeout=10)
        assert served.status_code == 200
        assert "immutable" in served.headers["Cache-Control"]
        with Image.open(io.BytesIO(served.content)) as image:
            assert image.width == width
    assert not list(media_root.rglob("*")), "nothing may be written to the local disk"


def test_author_photos_and_images_saved_in_code_are_cleaned_on_object_storage(
    on_s3, editor_client, article
):
    from authors.models import Author

    editor_client.post("/admin/authors/author/add/", {
        "name_en": "New Writer", "slug": "new-writer", "is_active": "on",
        "photo": upload(located_jpeg(), "me.jpg"),
    })  # fmt: skip
    with stored_image(on_s3, Author.objects.get(slug="new-writer").photo.name) as image:
        assert not image.getexif()
    article.image_alt = "Ships"
    article.image.save("x.jpg", ContentFile(located_jpeg()))
    with stored_image(on_s3, article.image.name) as image:
        assert not image.getexif()
    assert {obj.key for obj in on_s3.objects.filter(Prefix=article.image.name[:-4])} == {
        article.image.name,
        *(article.image.name[:-4] + f"-{width}w.webp" for width in (480, 960, 1600)),
    }


def test_pages_name_images_on_the_cdn_domain_without_asking_the_storage(
    settings,
    monkeypatch,
    on_s3,
    s3_server,
    editor_client,
    article,
):
    save_with_image(editor_client, article, located_jpeg())
    article.refresh_from_db()
    # The storage now points at a port where nothing listens: any request to it would fail.
    media_storage(settings, monkeypatch, {
        **s3_server,
        "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{free_port()}",
        "AWS_S3_CUSTOM_DOMAIN": "media.example.org",
    })  # fmt: skip
    page = Client().get(article.get_absolute_url())
    assert page.status_code == 200
    src, sizes = image_addresses(page)
    assert src == f"https://media.example.org/{article.image.name}"
    assert all(url.startswith("https://media.example.org/articles/") for url, _width in sizes)
