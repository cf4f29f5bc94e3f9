"""Tokens: issued once, stored hashed, refused when expired, revoked, out of scope or not ours;
every use recorded; sessions never count; at most API_RATE_LIMIT requests per token."""

import hashlib
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client, override_settings
from django.utils import timezone

from api.models import ApiToken
from api.tokens import IssuedToken, api_token_revoke
from onboarding.models import Application
from portal.models import AuditEvent, User
from tests.api.conftest import bearer, json_of

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "/api/v1/applications/ECM-000001",
    "/api/v1/applications/by-npi/1234567893",
    "/api/v1/roster",
    "/api/v1/changes",
]


def api_uses() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=AuditEvent.Action.API_REQUEST))


def test_issuing_returns_the_secret_once_and_stores_only_its_hash(token: IssuedToken):
    stored = ApiToken.objects.get()
    assert token.secret.startswith(f"ecm_{stored.prefix}_")
    assert stored.secret_sha256 == hashlib.sha256(token.secret.encode()).hexdigest()
    every_value = [str(value) for value in ApiToken.objects.values_list().get()]
    assert not any(token.secret in value for value in every_value)
    issued = AuditEvent.objects.get(action=AuditEvent.Action.API_TOKEN_ISSUED)
    assert stored.prefix in issued.summary
    assert token.secret not in issued.summary


def test_a_request_with_the_token_is_answered_and_recorded(token: IssuedToken):
    response = Client().get("/api/v1/roster", headers=bearer(token))
    assert response.status_code == 200
    assert json_of(response) == {"items": [], "next_after": None}
    assert "no-store" in response["Cache-Control"]
    [use] = api_uses()
    assert use.object_type == "api.ApiToken"
    assert use.object_id == str(token.token.pk)
    assert "GET /api/v1/roster: 0 provider(s)" in use.summary
    assert token.secret not in use.summary


@pytest.mark.parametrize("path", ENDPOINTS)
def test_every_operation_is_recorded(path: str, token: IssuedToken):
    Client().get(path, headers=bearer(token))
    [use] = api_uses()
    assert path in use.summary


@pytest.mark.parametrize(
    ("trouble", "status", "reason"),
    [
        ("expired", 401, "This token has expired."),
        ("revoked", 401, "This token has been revoked."),
        ("scope", 403, "This token does not have the scope roster:read."),
    ],
)
def test_a_token_that_may_not_is_refused_and_the_refusal_recorded(
    trouble: str,
    status: int,
    reason: str,
    issue: Callable[..., IssuedToken],
    api_admin: User,
):
    if trouble == "scope":
        issued = issue(scopes=[ApiToken.Scope.CHANGES_READ])
    else:
        issued = issue(expires_in=timedelta(days=1))
    if trouble == "expired":
        ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    if trouble == "revoked":
        api_token_revoke(token=issued.token, revoked_by=api_admin)
    response = Client().get("/api/v1/roster", headers=bearer(issued))
    assert response.status_code == status
    assert json_of(response) == {"detail": reason}
    [use] = api_uses()
    assert f"refused ({status})" in use.summary


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "Bearer",
        "Bearer ",
        "Token {secret}",
        "Basic {secret}",
        "Bearer {secret}x",
        "Bearer ecm_00000000_" + "A" * 43,
        "Bearer not-a-token",
    ],
)
def test_a_missing_malformed_or_unknown_token_is_refused_unrecorded(
    header: str | None, token: IssuedToken
):
    headers = {} if header is None else {"Authorization": header.format(secret=token.secret)}
    for path in ENDPOINTS:
        response = Client().get(path, headers=headers)
        assert response.status_code == 401, path
        assert json_of(response) == {"detail": "A valid bearer token is needed."}
        assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert api_uses() == []


@pytest.mark.parametrize("person", ["authorized_official", "reviewer", "manager", "api_admin"])
def test_a_signed_in_session_reaches_nothing(person: str, request: pytest.FixtureRequest):
    client = Client()
    client.force_login(request.getfixturevalue(person))
    for path in ENDPOINTS:
        response = client.get(path)
        assert response.status_code == 401, path
        assert json_of(response)["detail"] == "A valid bearer token is needed."


def test_an_applicant_with_a_session_and_a_wrong_token_still_gets_nothing(
    authorized_official: User, application: Application
):
    client = Client()
    client.force_login(authorized_official)
    response = client.get(
        f"/api/v1/applications/{application.reference}", headers={"Authorization": "Bearer x"}
    )
    assert response.status_code == 401


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_only_reading_is_allowed(method: str, token: IssuedToken):
    response = getattr(Client(enforce_csrf_checks=True), method)(
        "/api/v1/roster", headers=bearer(token)
    )
    assert response.status_code == 405


@override_settings(API_RATE_LIMIT="3/min")
def test_requests_past_the_rate_limit_get_429_with_retry_after(
    issue: Callable[..., IssuedToken],
):
    first, second = issue(), issue()
    client = Client()
    statuses = [client.get("/api/v1/roster", headers=bearer(first)).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    refused = client.get("/api/v1/roster", headers=bearer(first))
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert "detail" in json_of(refused)
    # The limit is each token's own.
    assert client.get("/api/v1/roster", headers=bearer(second)).status_code == 200
    # A refused request read nothing, and is not recorded.
    assert len(api_uses()) == 4


def test_revoking_twice_changes_nothing(token: IssuedToken, api_admin: User):
    first = api_token_revoke(token=token.token, revoked_by=api_admin)
    again = api_token_revoke(token=token.token, revoked_by=api_admin)
    assert again.revoked_at == first.revoked_at
    assert AuditEvent.objects.filter(action=AuditEvent.Action.API_TOKEN_REVOKED).count() == 1


def test_no_session_is_written_by_an_api_request(token: IssuedToken):
    Client().get("/api/v1/roster", headers=bearer(token))
    assert not Session.objects.exists()
