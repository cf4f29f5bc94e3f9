"""Schemathesis throws generated values at every FHIR endpoint its OpenAPI document describes:
whatever comes, the answer is never a server error. (Refusals are expected: every parameter is
described as a free string, so most generated values are rightly a 400.)"""

from collections.abc import Iterator

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from directory.capability import openapi_document
from tests.directory.conftest import MakeProvider

pytestmark = pytest.mark.django_db

# The document /fhir/openapi.json serves, called in-process through the WSGI application.
schema = schemathesis.openapi.from_dict(openapi_document())
schema.app = get_wsgi_application()
# HTTPS, as deployments are: the application's middleware is made once, at import, before the
# tests' plain-HTTP settings apply, and would otherwise redirect every request on PostgreSQL
# runs (where SECURE_SSL_REDIRECT defaults on).
BASE_URL = "https://localhost"


@pytest.fixture
def connection_kept_open() -> Iterator[None]:
    """Keep the test's database connection across the in-process requests, as Django's test
    client does: a WSGI request otherwise closes a connection it finds inside a transaction
    (the test's), and the next query fails on PostgreSQL."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_generated_request_gets_a_server_error(
    case: schemathesis.Case, make_provider: MakeProvider, connection_kept_open: None
) -> None:
    make_provider()  # so that generated searches run against published rows
    response = case.call(base_url=BASE_URL)
    assert response.status_code < 500, (case.path, case.query, response.text[:300])
    headers = {name.lower(): values for name, values in response.headers.items()}
    assert headers["content-type"][0].startswith("application/")


def test_the_served_openapi_document_is_the_one_fuzzed(client):
    response = client.get("/fhir/openapi.json")
    assert response.status_code == 200
    assert response.json() == openapi_document()
