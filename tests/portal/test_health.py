"""The load balancer's health check (portal/health.py)."""

import pytest
from django.db import OperationalError, connection
from django.test import Client, override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
    }
}


def test_a_node_that_reaches_its_database_and_cache_is_healthy():
    response = Client().get(reverse("healthz"))

    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]
    assert not response.cookies, "a check makes no session and sets no cookie"


@override_settings(SECURE_SSL_REDIRECT=True)
def test_the_check_is_answered_over_plain_http_where_pages_redirect_to_https():
    client = Client()

    assert client.get(reverse("healthz")).status_code == 200
    assert client.get(reverse("account_login")).status_code == 301


@override_settings(CACHES=UNREACHABLE_REDIS)
def test_a_node_whose_cache_does_not_answer_is_unavailable():
    response = Client().get(reverse("healthz"))

    assert response.status_code == 503
    assert response.content == b"unavailable: cache\n"


def test_a_node_whose_database_does_not_answer_is_unavailable():
    def refused(execute, sql, params, many, context):
        raise OperationalError("connection refused")  # as a database that is down answers

    with connection.execute_wrapper(refused):
        response = Client().get(reverse("healthz"))

    assert response.status_code == 503
    assert response.content == b"unavailable: database\n"


def test_only_reading_is_allowed():
    assert Client().post(reverse("healthz")).status_code == 405
