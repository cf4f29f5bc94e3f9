"""Schemathesis calls every operation with generated parameters and a valid token: no answer
is a server error, and every answer matches the OpenAPI document (status, headers, body)."""

from collections.abc import Iterator

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection

from api.tokens import IssuedToken
from tests.api.conftest import bearer, roster_provider

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def connections_stay_open() -> Iterator[None]:
    """Django closes the database connection after each request, and a connection inside the
    test's transaction would then be gone (PostgreSQL). Its test client keeps it open the same
    way; schemathesis calls the WSGI application directly."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def providers(db: None) -> None:
    roster_provider(1, npi="1234567893")
    roster_provider(2)


# Loaded when the module is collected: the document is public and reads no database. Every call
# is over HTTPS: with a deployment's settings (DATABASE_URL set) the application made here
# redirects plain HTTP, as the tests' plain-HTTP override (tests/conftest.py) is not yet in force.
BASE_URL = "https://localhost"
schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json", get_wsgi_application(), base_url=BASE_URL
)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    # The token and providers are made once per operation; each example only reads them.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_operation_fails_or_breaks_its_contract(
    case: schemathesis.Case, token: IssuedToken, providers: None
) -> None:
    case.call_and_validate(
        base_url=BASE_URL,
        headers=bearer(token),
        # Parameters the API does not know are ignored, as most HTTP APIs do; schemathesis
        # counts a request carrying one as invalid data that should have been refused.
        excluded_checks=[negative_data_rejection],
    )
