"""Wrong authenticator codes and password changes reach the audit trail."""

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.test import Client

from portal.models import AuditEvent, User
from portal.roles import Role
from tests.factories import PASSWORD, UserFactory, enroll_totp, totp_now

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-new-long-passphrase-2026"


@pytest.fixture(autouse=True)
def empty_rate_limits():
    cache.clear()
    yield
    cache.clear()


def verified(user: User) -> User:
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def test_a_wrong_authenticator_code_is_audited(client: Client):
    reviewer = verified(UserFactory.create(email="rita@plan.example"))
    secret = enroll_totp(reviewer)
    client.post("/accounts/login/", {"login": reviewer.email, "password": PASSWORD})
    client.post("/accounts/2fa/authenticate/", {"code": "000000"}, REMOTE_ADDR="203.0.113.7")
    client.post("/accounts/2fa/authenticate/", {"code": totp_now(secret)})

    failed = AuditEvent.objects.get(action=AuditEvent.Action.SECOND_FACTOR_FAILED)
    assert (failed.actor, failed.ip_address) == (reviewer, "203.0.113.7")
    assert failed.summary == "Wrong authenticator code at sign-in"
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_IN, actor=reviewer).exists()


def test_a_password_change_is_audited(client: Client):
    person = verified(UserFactory.create(email="ana@sunrise.example"))
    client.force_login(person)
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action=AuditEvent.Action.PASSWORD_CHANGE)
    assert (event.actor, event.summary) == (
        person,
        "Password of ana@sunrise.example changed by its owner",
    )


def test_the_admin_password_form_of_ones_own_account_is_the_audited_one(client: Client):
    admin = verified(UserFactory.create(is_staff=True, groups=[Role.PLAN_ADMIN.value]))
    client.force_login(admin)
    response = client.get("/admin/password_change/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/change/"
