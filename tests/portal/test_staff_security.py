"""Staff sign in with a second factor, are signed out when idle, and sign-in is throttled."""

import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.core.cache import cache

from portal.models import User
from tests.factories import PASSWORD, UserFactory, enroll_totp, totp_now

pytestmark = pytest.mark.django_db


def verified(user: User) -> User:
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture(autouse=True)
def empty_rate_limits():
    cache.clear()
    yield
    cache.clear()


def test_staff_must_set_up_an_authenticator_before_any_staff_page(client):
    reviewer = verified(User.objects.create_user("rita@plan.example", PASSWORD))
    reviewer.groups.add(Group.objects.get(name="reviewer"))
    response = client.post("/accounts/login/", {"login": reviewer.email, "password": PASSWORD})
    assert response.status_code == 302
    for page in ("/review/", "/review/applications/", "/audit/", "/admin/"):
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"] == "/accounts/2fa/totp/activate/", page
    # allauth asks for the password again before any change to the second factor.
    response = client.get("/accounts/2fa/totp/activate/")
    assert response["Location"].startswith("/accounts/reauthenticate/")
    client.post(response["Location"], {"password": PASSWORD})
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = client.session["mfa.totp.secret"]
    assert secret in page.content.decode(), "the secret is shown for the authenticator app"
    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_now(secret)})
    assert response.status_code == 302
    assert client.get("/review/").status_code == 200


def test_applicants_are_not_asked_for_a_second_factor(client, authorized_official):
    client.force_login(authorized_official)
    assert client.get("/dashboard/").status_code == 200


def test_staff_sign_in_asks_for_the_authenticator_code(client):
    reviewer = verified(User.objects.create_user("rita@plan.example", PASSWORD))
    reviewer.groups.add(Group.objects.get(name="reviewer"))
    secret = enroll_totp(reviewer)
    response = client.post("/accounts/login/", {"login": reviewer.email, "password": PASSWORD})
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/review/").status_code == 302, "not signed in before the code"
    response = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert response.status_code == 200, "a wrong code is refused"
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_now(secret)})
    assert response.status_code == 302
    assert client.get("/review/").status_code == 200


def test_idle_staff_sessions_end(client, settings, reviewer):
    settings.STAFF_IDLE_TIMEOUT_SECONDS = 60
    client.force_login(reviewer)
    assert client.get("/review/").status_code == 200
    session = client.session
    session["portal_last_seen"] = time.time() - 61
    session.save()
    response = client.get("/review/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


def test_repeated_failed_sign_ins_lock_the_address(client):
    user = verified(UserFactory.create(email="ana@sunrise.example"))
    for _ in range(5):
        client.post("/accounts/login/", {"login": user.email, "password": "wrong-password"})
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 200, "even the right password is refused while locked"
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_passwords_must_be_strong(client):
    for weak in ("short1!", "password1234", "123456789012"):
        response = client.post(
            "/accounts/signup/", {"email": "new@org.example", "password1": weak, "password2": weak}
        )
        assert response.status_code == 200, weak
    assert not User.objects.filter(email="new@org.example").exists()


def test_removing_the_authenticator_brings_the_second_factor_requirement_back(client):
    reviewer = verified(User.objects.create_user("rita@plan.example", PASSWORD))
    reviewer.groups.add(Group.objects.get(name="reviewer"))
    secret = enroll_totp(reviewer)
    client.post("/accounts/login/", {"login": reviewer.email, "password": PASSWORD})
    client.post("/accounts/2fa/authenticate/", {"code": totp_now(secret)})
    assert client.get("/review/").status_code == 200  # the session now remembers the factor

    client.post("/accounts/reauthenticate/", {"password": PASSWORD})  # allauth asks first
    response = client.post("/accounts/2fa/totp/deactivate/")

    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=reviewer).exists()
    response = client.get("/review/")
    assert response["Location"] == "/accounts/2fa/totp/activate/"
