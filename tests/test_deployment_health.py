"""What load balancers and operators see: /healthz, and one log line per request."""

import json
import logging

import pytest
from django.test import Client

from core.health import SERVER_ID
from tests.services import free_port
from tests.test_deployment_storage import media_storage

pytestmark = pytest.mark.django_db


def test_healthz_reports_each_service_and_is_never_cached(client):
    response = client.get("/healthz", HTTP_HOST="10.0.3.7")  # a balancer asks by address
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "server": SERVER_ID,
        "database": "ok",
        "cache": "ok",
        "storage": "ok",
    }
    assert "no-store" in response["Cache-Control"]


def test_healthz_answers_503_naming_the_service_that_is_down(settings, monkeypatch, s3_server):
    media_storage(settings, monkeypatch, {
        **s3_server, "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{free_port()}"
    })  # fmt: skip
    response = Client().get("/healthz")
    assert response.status_code == 503
    report = response.json()
    assert report["status"] == "error"
    assert report["storage"] == "error: EndpointConnectionError"
    assert report["database"] == report["cache"] == "ok"


def test_healthz_sees_redis_gone_even_though_pages_carry_on_without_it(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ForgivingRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
        }
    }
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["cache"] == "error: RuntimeError"


def request_lines(caplog):
    return [
        json.loads(record.getMessage())
        for record in caplog.records
        if record.name == "thinktank.requests"
    ]


def test_each_request_is_one_json_line_with_its_id(caplog, article):
    caplog.set_level(logging.INFO, logger="thinktank.requests")
    page = Client().get(article.get_absolute_url() + "?from=feed", HTTP_X_REQUEST_ID="lb-42.7")
    assert page["X-Request-ID"] == "lb-42.7"
    [line] = request_lines(caplog)
    assert line["request_id"] == "lb-42.7"
    assert line["server"] == SERVER_ID
    assert (line["method"], line["path"], line["status"]) == (
        "GET",
        article.get_absolute_url() + "?from=feed",
        200,
    )
    assert line["duration_ms"] > 0
    assert line["db"]["default"] > 0


def test_a_request_without_a_sane_id_gets_a_fresh_one(caplog):
    caplog.set_level(logging.INFO, logger="thinktank.requests")
    first = Client().get("/en/nothing-here/", HTTP_X_REQUEST_ID='forged"\n{"status": 200}')
    second = Client().get("/en/nothing-here/")
    ids = [first["X-Request-ID"], second["X-Request-ID"]]
    assert len(set(ids)) == 2 and all(len(value) == 32 for value in ids)
    assert [(line["request_id"], line["status"]) for line in request_lines(caplog)] == [
        (ids[0], 404),
        (ids[1], 404),
    ]
