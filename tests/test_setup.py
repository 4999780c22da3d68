"""The project's own machinery: settings, migrations, demo content."""

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from articles.models import Article
from authors.models import Author
from translations.models import TranslationLink

pytestmark = pytest.mark.django_db


def test_no_model_change_lacks_a_migration():
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out)
    except SystemExit:
        pytest.fail(f"Missing migrations:\n{out.getvalue()}")


def load_settings(**env):
    environment = {
        key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "DEBUG"}
    }
    environment.update(env, DJANGO_SETTINGS_MODULE="thinktank.settings")
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=environment,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = load_settings(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_development_and_production_with_a_key_start():
    assert load_settings(DEBUG="1").returncode == 0
    assert load_settings(DEBUG="0", SECRET_KEY="x" * 50).returncode == 0


def test_demo_content_covers_what_a_newcomer_should_see(settings):
    settings.DEBUG = False
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert Author.objects.count() >= 3
    assert Article.objects.count() >= 12
    assert {"ja", "en"} <= set(Article.objects.values_list("language", flat=True))
    assert Article.objects.filter(tags__isnull=False).distinct().count() == Article.objects.count()
    assert TranslationLink.objects.count() >= 3
    assert Article.objects.filter(status="draft").exists()
    assert (
        Article.objects.filter(status="published")
        .exclude(pk__in=Article.objects.published())
        .exists()
    ), "one commentary should be scheduled for the future"
    linked = TranslationLink.objects.values_list("original", "translation")
    linked_ids = {pk for pair in linked for pk in pair}
    assert Article.objects.published().filter(language="ja").exclude(pk__in=linked_ids).exists()
    assert "login" not in out.getvalue(), "no staff login may be made with DEBUG off"
    assert (
        not settings.AUTH_USER_MODEL
        or not __import__("django.contrib.auth").contrib.auth.get_user_model().objects.exists()
    )


def test_demo_content_is_safe_to_load_twice_and_prints_a_login_in_debug(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    count = Article.objects.count()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert Article.objects.count() == count
    assert "demo-editor /" in out.getvalue()


def test_japanese_catalogue_has_no_untranslated_or_fuzzy_string():
    result = subprocess.run(
        ["msgfmt", "--statistics", "-o", os.devnull, "locale/ja/LC_MESSAGES/django.po"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr
    assert "fuzzy" not in result.stderr
