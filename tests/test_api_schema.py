"""The content API against its own OpenAPI schema (schemathesis): whatever the parameters,
no server error, and every answer (status, headers, body) as the schema documents it."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings

from articles.models import Article

pytestmark = pytest.mark.django_db

# The schema the site serves at /api/v1/schema/ (test_api.py fetches that one), built here
# without a request: the tests are generated from it when they are collected.
schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
schema.app = get_wsgi_application()


@pytest.fixture
def content(make_article, link, draft, scheduled, settings):
    settings.API_THROTTLE_RATE = "100000/minute"
    original = make_article(number=1, language="ja", tags=["energy"])
    link(original, make_article(number=1, language="en", tags=["energy"]))
    assert Article.objects.published().count() == 2
    # As Django's test client does: the test's connection (its transaction) stays open.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_answer_is_as_documented(case, content):
    # The WSGI transport does not decompress: the page cache's gzip and Brotli are
    # test_cache.py's subject.
    case.call_and_validate(headers={"Accept-Encoding": "identity"})


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/commentaries/{id}/",
        "/api/v1/series/{slug}/",
        "/api/v1/authors/{slug}/",
        "/api/v1/topics/{slug}/",
    ],
)
def test_real_records_are_as_documented(path, content):
    # Generated ids and slugs seldom name a real record: these do, with a translation,
    # authors and topics to show.
    english = Article.objects.published().get(language="en")
    parameters = {
        "/api/v1/commentaries/{id}/": {"id": english.pk},
        "/api/v1/series/{slug}/": {"slug": english.series.slug},
        "/api/v1/authors/{slug}/": {"slug": english.authors.get().slug},
        "/api/v1/topics/{slug}/": {"slug": "energy"},
    }[path]
    case = schema[path]["GET"].Case(path_parameters=parameters)
    response = case.call_and_validate(headers={"Accept-Encoding": "identity"})
    assert response.status_code == 200
