"""Hostile input through the whole stack (the test client, every middleware): titles, bodies,
queries, tag and author names, images and crafted POSTs as each role. Whatever comes in, no
page answers 500, nobody gains a right they lack, and nothing stored is lost."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from articles import actions
from articles.models import Article, PreviewLink, Revision, Series, Tag, WorkflowEvent
from authors.models import Author
from core import body as body_markup
from tests.forms import edit_form
from tests.test_images import stored_files
from tests.test_workflow import change_url, chief, member, translator, writer  # noqa: F401
from translations.models import TranslationLink

pytestmark = pytest.mark.django_db

TEXTS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE articles_article; --",
    "{{ request }} {% debug %}",
    "\x0bvertical\x0cform feed\x1b[31mescape\x7f",
    "\u202eevil\u202c \ufeffBOM \u200bzero width",
    "🙂 𠮷野家 ｶﾀｶﾅ \u3000全角",
    "a" * 255,
    "javascript:alert(1)",
    "%00 %s %(name)s {0}",
]
BODIES = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1)) [data](data:text/html,<script>alert(1)</script>)",
    "[ref]\n\n[ref]: javascript:alert(1)",
    "<iframe src=//evil></iframe><style>body{display:none}</style>",
    "> " * 500 + "deep",
    "*" * 5000 + "_" * 5000,
    "|a|b|\n|-|-|\n" + "|<b onmouseover=x>1</b>|2|\n" * 200,
    "<!-- <script>alert(1)</script> -->\n<svg onload=alert(1)>",
    "\x0b\x0c\r\n\u2028\u2029 text",
]
QUERIES = [
    "", " ", "%", "_", "'", '"', "\\", "a:*", "!!", "&|", "()", "<script>alert(1)</script>",
    "x" * 5000, "\x0b", "\u3000", "ｱｲｳ", "🙂", "a & b | !c", "'); SELECT pg_sleep(1); --",
]  # fmt: skip
NAMES = ["<b>bold</b>", "a,b", '"quoted, tag"', "\x0bvertical", "日本語の名前", "x" * 100, "🙂"]


def png(mode, size=(600, 400), **save):
    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, format="PNG", **save)
    return buffer.getvalue()


def animated_gif():
    buffer = io.BytesIO()
    frames = [Image.new("P", (300, 200), color) for color in (1, 2, 3)]
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:])
    return buffer.getvalue()


IMAGES = {
    "empty": b"",
    "svg with a script": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    "html named .jpg": b"<html><script>alert(1)</script></html>",
    "gif and javascript": b"GIF89a=1;alert(1);//" + b"\x00" * 64,
    "truncated png": png("RGB")[:-200],
    "16-bit png": png("I;16"),
    "palette png with transparency": png("P", transparency=0),
    "grey and alpha png": png("LA"),
    "1-bit png": png("1"),
    "animated gif": animated_gif(),
    "small file, huge picture": png("1", size=(9000, 9000)),
}


def cmyk_jpeg():
    buffer = io.BytesIO()
    Image.new("CMYK", (700, 500), (10, 20, 30, 40)).save(buffer, format="JPEG")
    return buffer.getvalue()


IMAGES["cmyk jpeg"] = cmyk_jpeg()


# What would show that hostile text reached a page as markup rather than as text.
RAW_MARKUP = ["<script>alert", "<img src=x", "<svg onload", "<iframe", "<b onmouseover",
              'href="javascript:', "<style>body"]  # fmt: skip


def snapshot():
    """All a hostile request could take away or grant."""
    user_model = get_user_model()
    return {
        "articles": list(
            Article.objects.order_by("pk").values_list(
                "pk", "title", "body", "status", "published_at", "deleted_at", "version"
            )
        ),
        "series": list(Series.objects.order_by("pk").values_list("slug", "name_en")),
        "authors": list(Author.objects.order_by("pk").values_list("slug", "name_en")),
        "tags": list(Tag.objects.order_by("pk").values_list("name", flat=True)),
        "links": list(TranslationLink.objects.values_list("original", "translation")),
        "previews": PreviewLink.objects.count(),
        "revisions": Revision.objects.count(),
        "events": WorkflowEvent.objects.count(),
        "users": list(
            user_model.objects.order_by("pk").values_list("username", "is_staff", "is_superuser")
        ),
        "memberships": sorted(user_model.groups.through.objects.values_list("user", "group")),
    }


def public_urls(article):
    tag = article.tags.first()
    urls = [
        article.get_absolute_url(),
        "/en/",
        "/en/speaking-out/",
        "/en/archive/",
        "/en/tags/",
        "/en/feed/",
        "/en/feed/atom/",
        "/en/authors/",
        "/sitemap-commentaries.xml",
        "/en/search/?q=Russia",
    ]
    if tag is not None:
        urls += [tag.get_absolute_url(), f"{tag.get_absolute_url()}feed/"]
    return urls


def assert_safe_pages(client, article):
    for url in public_urls(article):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        content = response.content.decode()
        if "html" in response["Content-Type"]:
            for raw in RAW_MARKUP:
                assert raw not in content, (url, raw)


@pytest.mark.parametrize("text", TEXTS)
def test_hostile_titles_leads_and_tags(chief, client, article, text):  # noqa: F811
    data = edit_form(article, title=text, lead=text, author_note=text, tags=text[:100])
    response = chief.post(change_url(article), data)
    assert response.status_code in (200, 302)
    assert_safe_pages(client, article)


@pytest.mark.parametrize("body", BODIES)
def test_hostile_bodies_are_sanitised_in_preview_and_page(writer, chief, client, article, body):  # noqa: F811
    preview = writer.post(reverse("admin:articles_article_render_body"), {"body": body})
    assert preview.status_code == 200
    for raw in ("<script", "onerror", "onload", "javascript:", "<iframe", "<style"):
        assert raw not in preview.json()["html"]
    response = chief.post(change_url(article), edit_form(article, body=body))
    if body_markup.clean(body):
        assert response.status_code == 302
    else:  # markup alone, none of which the body can hold: refused, with a reason
        assert "Nothing in this text can be kept" in response.content.decode()
    assert_safe_pages(client, article)


@pytest.mark.parametrize("query", QUERIES)
def test_hostile_search_queries(client, article, query):
    for language in ("en", "ja"):
        response = client.get(
            f"/{language}/search/",
            {"q": query, "language": query or "all", "series": query, "author": query,
             "year": query, "page": query},
        )  # fmt: skip
        assert response.status_code in (200, 404)
        assert "<script>alert" not in response.content.decode()


@pytest.mark.parametrize("name", NAMES)
def test_hostile_author_series_and_tag_names(chief, client, name):  # noqa: F811
    names = {"name_en": name, "name_ja": name}
    forms = {
        "admin:authors_author_add": {**names, "slug": "x", "is_active": "on"},
        "admin:articles_series_add": {**names, "slug": "y"},
        "admin:articles_tag_add": {"name": name, "name_ja": name, "slug": "z"},
    }
    for url, data in forms.items():
        assert chief.post(reverse(url), data).status_code in (200, 302), url
    for url in ["/en/authors/", "/en/authors/x/", "/en/y/", "/en/tags/", "/sitemap.xml"]:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert "<b>bold</b>" not in response.content.decode()


@pytest.mark.parametrize("name", IMAGES)
def test_hostile_images_are_stored_clean_or_refused(chief, client, article, name):  # noqa: F811
    data = edit_form(article, image_alt="alt")
    data["image"] = SimpleUploadedFile(f"{name}.jpg", IMAGES[name], content_type="image/jpeg")
    response = chief.post(change_url(article), data)
    assert response.status_code in (200, 302)
    article.refresh_from_db()
    if response.status_code == 200:
        assert not article.image and stored_files() == []
        return
    with article.image.open("rb") as stored, Image.open(stored) as image:
        image.load()
    for url, _width in article.image_renditions:
        assert article.image.storage.exists(url.removeprefix("/media/"))
    assert client.get(article.get_absolute_url()).status_code == 200


@pytest.fixture
def desk(make_article, link, editor):
    """An editor's published pair and a piece in the trash: what others must not touch."""
    japanese = make_article(number=50, language="ja", title="原文", created_by=editor)
    english = make_article(number=50, title="Editor's piece", created_by=editor, tags=["x"])
    link(japanese, english)
    Revision.record(english, editor, note="Saved")
    binned = actions.trash(
        make_article(number=51, title="Binned", created_by=editor), actions.SYSTEM
    )
    return {"article": english, "binned": binned, "revision": english.revisions.get()}


def crafted_posts(desk, user):
    article, binned = desk["article"], desk["binned"]
    changelist = reverse("admin:articles_article_changelist")
    trash_list = reverse("admin:articles_trashedarticle_changelist")
    change = change_url(article)
    return [
        (change, edit_form(article, title="Hijacked", status="archived")),
        (change, {**edit_form(article), "preview_links-TOTAL_FORMS": "1",
                  "preview_links-0-expires_at_0": "2099-01-01",
                  "preview_links-0-expires_at_1": "10:00:00"}),
        (changelist, {"action": "unpublish", "_selected_action": [article.pk]}),
        (changelist, {"action": "delete_selected", "_selected_action": [article.pk],
                      "post": "yes"}),
        (reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"}),
        (reverse("admin:articles_article_restore", args=[article.pk, desk["revision"].pk]), {}),
        (trash_list, {"action": "restore", "_selected_action": [binned.pk]}),
        (trash_list, {"action": "purge", "_selected_action": [binned.pk], "post": "yes"}),
        (reverse("admin:articles_series_add"), {"slug": "s", "name_en": "S", "name_ja": "S"}),
        (reverse("admin:articles_tag_add"), {"name": "t", "slug": "t"}),
        (reverse("admin:authors_author_add"), {"name_en": "A", "slug": "a", "is_active": "on"}),
        (reverse("admin:auth_user_add"), {"username": "mole", "password1": "Xy12345678!!",
                                          "password2": "Xy12345678!!"}),
        (reverse("admin:auth_user_change", args=[user.pk if user else 1]),
         {"username": user.username if user else "x", "is_superuser": "on", "is_staff": "on",
          "groups": ["3"], "date_joined_0": "2020-01-01", "date_joined_1": "10:00:00"}),
        (reverse("admin:auth_group_add"), {"name": "Gods"}),
        (reverse("admin:axes_accessattempt_changelist"),
         {"action": "delete_selected", "_selected_action": ["1"], "post": "yes"}),
    ]  # fmt: skip


@pytest.mark.parametrize("role", ["anonymous", "Writer", "Translator"])
def test_crafted_posts_gain_no_right_and_lose_nothing(django_user_model, desk, role):
    if role == "anonymous":
        client, user = Client(), None
    else:
        client = member(django_user_model, f"hostile-{role.lower()}", role)
        user = client.user
    before = snapshot()
    for url, data in crafted_posts(desk, user):
        response = client.post(url, data)
        assert response.status_code in (200, 302, 403, 404), (url, response.status_code)
        assert snapshot() == before, url


@pytest.mark.parametrize("name", ["--", "🙂", "';"])
def test_a_topic_of_symbols_alone_gets_an_address(client, make_article, name):
    article = make_article(tags=[name])
    tag = article.tags.get()
    assert tag.slug.startswith("tag")
    assert client.get(article.get_absolute_url()).status_code == 200
    assert client.get(tag.get_absolute_url()).status_code == 200
