"""Headers and production settings: a Content-Security-Policy on every page, with no nonce
(cached public pages stay identical), HSTS and the rest from the environment, a clean
`check --deploy`, and no trust in a client's X-Forwarded-Proto."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
# The production environment the README documents.
PRODUCTION = {
    "SECRET_KEY": "a-long-random-production-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "www.example.org",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SECURE_HSTS_PRELOAD": "1",
    "SECURE_SSL_REDIRECT": "1",
}


def policy(response):
    return dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
    )


@pytest.mark.parametrize(
    "url",
    ["/en/", "/ja/speaking-out/434/", "/en/feed/", "/sitemap.xml", "/en/search/?q=Russia",
     "/en/no-such-page/", "/admin/login/", "/admin/articles/article/"],
)  # fmt: skip
def test_every_page_carries_a_policy_without_inline_code(editor_client, article, url, settings):
    response = editor_client.get(url)
    directives = policy(response)
    assert directives["script-src"] == "'self'"
    # The one inline style allowed is the site's stylesheet, by its hash.
    assert directives["style-src"] == f"'self' '{settings.SITE_STYLESHEET_HASH}'"
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"


def test_public_pages_carry_no_nonce_so_each_answer_is_the_same(client, article):
    first, second = (client.get(article.get_absolute_url()) for _ in range(2))
    assert "nonce-" not in first["Content-Security-Policy"]
    assert first["Content-Security-Policy"] == second["Content-Security-Policy"]
    assert first.content == second.content
    assert b"<script>" not in first.content and b"style=" not in first.content


def test_a_clients_forwarded_proto_is_not_trusted_by_default(client, article):
    response = client.get(article.get_absolute_url(), HTTP_X_FORWARDED_PROTO="https")
    assert b'rel="canonical" href="http://testserver/' in response.content


def test_a_trusted_proxy_header_is_honoured_when_configured(client, article, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(article.get_absolute_url()).status_code == 301  # plain http
    response = client.get(article.get_absolute_url(), HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200  # the proxy says https: no redirect
    # Its addresses are SITE_URL's whatever the request says (core.site).
    assert b'rel="canonical" href="http://testserver/' in response.content


def deploy_check(**environment):
    env = {key: value for key, value in os.environ.items() if key not in PRODUCTION}
    env.update(DJANGO_SETTINGS_MODULE="thinktank.settings", DEBUG="", **environment)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def test_check_deploy_is_clean_with_the_documented_production_environment():
    result = deploy_check(**PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_without_hsts_and_redirect():
    result = deploy_check(**{**PRODUCTION, "SECURE_HSTS_SECONDS": "0", "SECURE_SSL_REDIRECT": ""})
    assert result.returncode != 0
    assert "security.W004" in result.stderr and "security.W008" in result.stderr


def test_hsts_and_ssl_redirect_come_from_the_environment():
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER)"
    )
    env = {**os.environ, **PRODUCTION, "DEBUG": "", "TRUSTED_PROXY_HEADER": "X-Forwarded-Proto"}
    env["DJANGO_SETTINGS_MODULE"] = "thinktank.settings"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert result.stdout.split() == ["31536000", "True", "('HTTP_X_FORWARDED_PROTO',", "'https')"]


def test_set_role_gives_a_user_one_role_and_staff_access(django_user_model):
    user = django_user_model.objects.create_user("newcomer", password="pw")
    call_command("set_role", "newcomer", "Writer")
    call_command("set_role", "newcomer", "Editor")
    user.refresh_from_db()
    assert user.is_staff
    assert list(user.groups.values_list("name", flat=True)) == ["Editor"]
    assert user.has_perm("articles.publish_article")
    assert Group.objects.filter(name__in=["Writer", "Translator", "Editor"]).count() == 3
    with pytest.raises(CommandError, match="No user"):
        call_command("set_role", "nobody", "Editor")
