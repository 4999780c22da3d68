"""Absolute addresses come from settings.SITE_URL (core.site), never from the request: a Host
of `localhost.` or with a port, or a client's X-Forwarded-Proto, reaches no canonical,
og:url, hreflang, sitemap, feed or robots.txt; gunicorn trusts forwarded headers only from
FORWARDED_ALLOW_IPS, and only with TRUSTED_PROXY_HEADER set."""

import os
import runpy
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail

from articles import actions
from tests.services import free_port, stop, wait_for_port

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "thinktank" / "gunicorn.conf.py"
HOSTS = ["localhost.", "localhost:8443", "127.0.0.1:1234", "testserver:80"]
PUBLIC = [
    "/en/speaking-out/434/", "/en/", "/en/tags/", "/sitemap.xml", "/sitemap-commentaries.xml",
    "/sitemap-sections.xml", "/en/feed/", "/en/feed/atom/", "/en/tags/russia/feed/",
    "/robots.txt",
]  # fmt: skip


@pytest.mark.parametrize("host", HOSTS)
def test_no_request_host_reaches_an_absolute_address(client, article, host):
    for url in PUBLIC:
        response = client.get(url, HTTP_HOST=host, HTTP_X_FORWARDED_PROTO="https")
        assert response.status_code == 200, url
        text = response.content.decode()
        assert host not in text and "https://testserver" not in text, url
        assert "http://testserver/" in text, url


def test_the_commentary_names_itself_by_site_url(client, article, settings):
    settings.SITE_URL = "https://www.example.org"
    response = client.get(article.get_absolute_url(), HTTP_HOST="localhost.")
    page = "https://www.example.org/en/speaking-out/434/"
    assert f'<link rel="canonical" href="{page}">' in response.content.decode()
    assert f'<meta property="og:url" content="{page}">' in response.content.decode()
    feed = client.get("/en/feed/", HTTP_HOST="127.0.0.1:1234").content.decode()
    assert f"<link>{page}</link>" in feed
    index = client.get("/sitemap.xml", HTTP_HOST="localhost.").content.decode()
    assert "<loc>https://www.example.org/sitemap-commentaries.xml</loc>" in index
    robots = client.get("/robots.txt", HTTP_HOST="localhost:8443").content.decode()
    assert "Sitemap: https://www.example.org/sitemap.xml" in robots


def test_mail_links_to_site_url(staff, make_article, settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://www.example.org"
    staff("Editor", email="ed@example.org")
    writer = staff("Writer")
    piece = make_article(number=440, status="draft", published_at=None, created_by=writer)
    with django_capture_on_commit_callbacks(execute=True):
        actions.move(piece, writer, "review")
    assert mail.outbox
    assert "https://www.example.org/admin/articles/article/" in mail.outbox[0].body


def settings_value(name, **environment):
    env = {key: value for key, value in os.environ.items() if key not in {"SITE_URL", "DEBUG"}}
    env.update(DJANGO_SETTINGS_MODULE="thinktank.settings", SECRET_KEY="k" * 60, **environment)
    code = f"from django.conf import settings; print(settings.{name})"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_site_url_is_the_one_allowed_host_when_unset():
    assert settings_value("SITE_URL", ALLOWED_HOSTS="www.example.org") == "https://www.example.org"
    assert (
        settings_value("SITE_URL", ALLOWED_HOSTS="www.example.org", SITE_URL="https://a.example/")
        == "https://a.example"
    )
    assert settings_value("SITE_URL", ALLOWED_HOSTS="a.example,b.example").startswith("http://")


def test_check_deploy_warns_when_site_url_is_not_the_public_https_site():
    env = {key: value for key, value in os.environ.items() if key not in {"SITE_URL", "DEBUG"}}
    env.update(
        DJANGO_SETTINGS_MODULE="thinktank.settings",
        SECRET_KEY="a-long-random-production-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        ALLOWED_HOSTS="www.example.org,example.org",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert "core.W001" in result.stderr and "core.W002" in result.stderr


def test_gunicorn_trusts_forwarded_headers_only_from_the_named_proxy(monkeypatch):
    for name in ("TRUSTED_PROXY_HEADER", "FORWARDED_ALLOW_IPS"):
        monkeypatch.delenv(name, raising=False)
    config = runpy.run_path(str(CONFIG))
    assert config["forwarded_allow_ips"] == "" and config["secure_scheme_headers"] == {}
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "10.0.0.0/8")
    assert runpy.run_path(str(CONFIG))["forwarded_allow_ips"] == ""  # no header named
    monkeypatch.setenv("TRUSTED_PROXY_HEADER", "X-Forwarded-Proto")
    config = runpy.run_path(str(CONFIG))
    assert config["forwarded_allow_ips"] == "10.0.0.0/8"
    assert config["secure_scheme_headers"] == {"X-FORWARDED-PROTO": "https"}


def status_of(port, headers):
    request = f"GET /robots.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}Connection: close\r\n\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(request.encode())
        return connection.recv(4096).split(b"\r\n", 1)[0].decode().split()[1]


def test_a_clients_forwarded_proto_from_localhost_is_not_trusted_by_gunicorn(tmp_path):
    port = free_port()
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if k not in {"BIND", "REDIS_URL", "TRUSTED_PROXY_HEADER", "FORWARDED_ALLOW_IPS"}
        },
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        "SECRET_KEY": "gunicorn-test-key-" + "x" * 40,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        "PAGE_CACHE_SECONDS": "0",
        "CACHE_DIR": str(tmp_path / "cache"),
        "DEBUG": "",
        "SECURE_SSL_REDIRECT": "1",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(CONFIG), "thinktank.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, process, "gunicorn")
        # Plain http is sent to https, whatever the client (here, 127.0.0.1) claims.
        assert status_of(port, "") == "301"
        assert status_of(port, "X-Forwarded-Proto: https\r\n") == "301"
        assert status_of(port, "X-Forwarded-Ssl: on\r\n") == "301"
    finally:
        stop(process)


def test_a_shared_preview_address_is_on_site_url(staff, client_for, draft, settings):
    from datetime import timedelta

    from django.urls import reverse
    from django.utils import timezone

    from articles.models import PreviewLink

    settings.SITE_URL = "https://www.example.org"
    link = PreviewLink.objects.create(article=draft, expires_at=timezone.now() + timedelta(days=1))
    editor = client_for(staff("Editor"))
    page = editor.get(
        reverse("admin:articles_article_change", args=[draft.pk]), HTTP_HOST="localhost:8443"
    )
    assert page.status_code == 200
    assert f'href="https://www.example.org{link.get_absolute_url()}"' in page.content.decode()
    assert "localhost:8443" not in page.content.decode()
