"""The OpenAPI document: public, valid OpenAPI 3, and describing every operation."""

import pytest
from django.test import Client
from openapi_spec_validator import validate

from api.models import ApiToken

pytestmark = pytest.mark.django_db


def test_the_openapi_document_is_public_and_valid_openapi_3():
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    validate(document)
    assert set(document["paths"]) == {
        "/api/v1/applications/{reference}",
        "/api/v1/applications/by-npi/{npi}",
        "/api/v1/roster",
        "/api/v1/changes",
    }
    assert document["components"]["securitySchemes"] == {
        "ApiTokenAuth": {"type": "http", "scheme": "bearer"}
    }
    for path in document["paths"].values():
        assert set(path) == {"get"}
        assert path["get"]["security"] == [{"ApiTokenAuth": []}]
        assert {"401", "403", "429"} <= set(path["get"]["responses"])


def test_each_operation_names_its_scope():
    document = Client().get("/api/v1/openapi.json").json()
    described = " ".join(p["get"]["description"] for p in document["paths"].values())
    for scope in ApiToken.Scope.values:
        assert scope in described
