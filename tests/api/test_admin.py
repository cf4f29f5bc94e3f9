"""Plan administrators issue tokens in the admin site and see the secret once; they revoke
tokens there; nobody else reaches the page."""

import hashlib

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from api.models import ApiToken
from api.tokens import IssuedToken
from portal.models import AuditEvent, User
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db

ADD = "/admin/api/apitoken/add/"
LIST = "/admin/api/apitoken/"


def test_a_plan_administrator_issues_a_token_and_sees_it_once(api_admin: User):
    client = Client()
    client.force_login(api_admin)
    assert client.get(ADD).status_code == 200
    response = client.post(
        ADD,
        {
            "name": "Claims system",
            "scopes": ["roster:read", "changes:read"],
            "expires_at": "2099-01-01 00:00",
        },
    )
    assert response.status_code == 200, response.content[:300]
    assert "expire in the future, and within a year" in response.content.decode()
    response = client.post(
        ADD, {"name": "Claims system", "scopes": ["roster:read"], "expires_at": "2027-06-01 09:00"}
    )
    secret = response.context["issued"].secret
    assert secret in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get()
    assert token.secret_sha256 == hashlib.sha256(secret.encode()).hexdigest()
    assert token.created_by == api_admin
    assert token.scope_list == ["roster:read"]
    # Stored nowhere: not in a message, not in the session.
    assert not any(secret in s.session_data for s in Session.objects.all())
    page = client.get(f"{LIST}{token.pk}/change/").content.decode()
    assert token.prefix in page
    assert secret not in page
    assert Client().get("/api/v1/roster", headers=bearer(secret)).status_code == 200


def test_a_plan_administrator_revokes_a_token(api_admin: User, token: IssuedToken):
    client = Client()
    client.force_login(api_admin)
    response = client.post(
        LIST, {"action": "revoke", "_selected_action": [token.token.pk]}, follow=True
    )
    assert "1 token revoked." in response.content.decode()
    token.token.refresh_from_db()
    assert token.token.revoked_by == api_admin
    assert AuditEvent.objects.filter(action=AuditEvent.Action.API_TOKEN_REVOKED).exists()
    assert Client().get("/api/v1/roster", headers=bearer(token)).status_code == 401
    assert client.post(f"{LIST}{token.token.pk}/delete/").status_code == 403


@pytest.mark.parametrize("person", ["reviewer", "manager", "authorized_official"])
def test_nobody_else_reaches_the_tokens(person: str, request: pytest.FixtureRequest):
    client = Client()
    client.force_login(request.getfixturevalue(person))
    assert client.get(ADD).status_code == 302
    assert client.get(LIST).status_code == 302
    assert not ApiToken.objects.exists()
