import shutil
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone, translation

from articles.models import Article, Byline, Series
from authors.models import Author
from translations.models import TranslationLink

# Real servers (S3, replica, app servers) for the deployment tests; the job queue's broker.
pytest_plugins = ["tests.services", "tests.workers"]

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs Postgres (set DATABASE_URL); SQLite lacks this feature",
)


@pytest.fixture(autouse=True)
def reset_language():
    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def empty_cache():
    # Cached archive counts must not outlive the rows a test rolled back.
    cache.clear()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    yield settings.MEDIA_ROOT
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def yesterday(now):
    return now - timedelta(days=1)


@pytest.fixture
def tomorrow(now):
    return now + timedelta(days=1)


@pytest.fixture
def series(db):
    return Series.objects.create(
        slug="speaking-out",
        name_ja="今週の直言",
        name_en="Speaking Out",
        description_en="Weekly commentary.",
    )


@pytest.fixture
def author(db):
    return Author.objects.create(
        slug="kenro-nagoshi",
        name_ja="名越 健郎",
        name_en="Kenro Nagoshi",
        bio_en="Planning Committee Member at the Japan Institute for National Fundamentals "
        "and Professor at the Institute of World Studies, Takushoku University",
        bio_ja="国家基本問題研究所企画委員、拓殖大学海外事情研究所教授",
    )


@pytest.fixture
def make_article(series, author, yesterday):
    def make(number=434, language="en", authors=None, tags=(), **fields):
        fields.setdefault("title", f"Commentary number {number}")
        fields.setdefault("body", "An opening paragraph.\n\n## A sub-heading\n\nMore text.")
        fields.setdefault("status", Article.Status.PUBLISHED)
        fields.setdefault("published_at", yesterday)
        fields.setdefault("series", series)
        article = Article.objects.create(number=number, language=language, **fields)
        for position, person in enumerate(authors or [author]):
            Byline.objects.create(article=article, author=person, position=position)
        if tags:
            article.tags.set(tags)
        return article

    return make


@pytest.fixture
def article(make_article):
    return make_article(
        title="U.S., Russia May Adjust Relations While Demonstrating Confrontation",
        lead="Confrontation on stage, adjustment behind it.",
        tags=["Russia", "diplomacy"],
    )


@pytest.fixture
def draft(make_article):
    return make_article(
        number=435, title="A draft nobody may read", status="draft", published_at=None
    )


@pytest.fixture
def scheduled(make_article, tomorrow):
    return make_article(number=436, title="A piece scheduled for tomorrow", published_at=tomorrow)


@pytest.fixture
def link():
    def make(original, translation):
        return TranslationLink.objects.create(original=original, translation=translation)

    return make


@pytest.fixture
def editor(django_user_model):
    """An Editor: the real group, never a superuser (see `superuser` for one)."""
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(
        "editor", "editor@example.com", "pw", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Editor"))
    return user


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("admin", "admin@example.com", "pw")


@pytest.fixture
def editor_client(client, editor):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(editor)
    return client


@pytest.fixture
def browser(live_server):
    from tests import chromium

    if not chromium.available():
        if connection.vendor == "postgresql":
            pytest.fail("Chromium and chromedriver are required on CI (apt-get install chromium)")
        pytest.skip("needs Debian's chromium and chromium-driver (apt-get install them)")
    driver = chromium.chromium()
    driver.base_url = live_server.url
    yield driver
    driver.quit()


@pytest.fixture
def importer(django_user_model):
    """The Editor that imports in tests run as (import_commentaries --user importer)."""
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("importer", is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    return user


@pytest.fixture
def staff(django_user_model):
    """A member of one of the real roles (the groups made by articles' migration 0006):
    staff("Writer"), staff("Translator"), staff("Editor"). A superuser only where a test
    means one."""
    from django.contrib.auth.models import Group

    def make(role, username=None, **fields):
        username = username or f"{role.lower()}-{django_user_model.objects.count() + 1}"
        fields.setdefault("email", f"{username}@example.org")
        user = django_user_model.objects.create_user(username, is_staff=True, **fields)
        user.groups.add(Group.objects.get(name=role))
        return user

    return make


@pytest.fixture
def client_for():
    """A test client signed in as `user`, in English."""
    from django.test import Client

    def make(user, language="en"):
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        client.force_login(user)
        client.user = user
        return client

    return make
