"""Staff sign in with a second factor, are signed out when idle, and sign-in is throttled."""

import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.core.cache import cache

from portal.models import User
from tests.conftest import PASSWORD_ONLY_LOGIN
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


# Transactional, as a real request is: allauth announces a new authenticator once its transaction
# commits, and this session is marked as having passed the second factor then.
@pytest.mark.django_db(transaction=True)
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


def test_the_public_directory_and_the_token_api_do_not_ask_staff_for_a_second_factor(client):
    """Neither reads the session: the directory is public, and the API answers a browser
    session, staff's too, with its own JSON 401 rather than a page to set up an authenticator."""
    reviewer = verified(User.objects.create_user("rita@plan.example", PASSWORD))
    reviewer.groups.add(Group.objects.get(name="reviewer"))
    client.post("/accounts/login/", {"login": reviewer.email, "password": PASSWORD})
    assert client.get("/review/").status_code == 302  # still asked for the second factor here
    assert client.get("/fhir/metadata").status_code == 200
    response = client.get("/api/v1/roster")
    assert response.status_code == 401
    assert response.json() == {"detail": "A valid bearer token is needed."}


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
            "/accounts/signup/",
            {
                "full_name": "Nia New",
                "email": "new@org.example",
                "password1": weak,
                "password2": weak,
            },
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


def plan_admin_with_authenticator() -> tuple[User, str]:
    admin = verified(User.objects.create_user("pat@plan.example", PASSWORD, is_staff=True))
    admin.groups.add(Group.objects.get(name="plan admin"))
    return admin, enroll_totp(admin)


STAFF_PAGES = ("/admin/", "/review/", "/audit/", "/audit/export.csv", "/review/roster.csv")


def test_the_admin_sign_in_is_the_portal_sign_in_with_its_second_factor(client):
    admin, secret = plan_admin_with_authenticator()
    admin.groups.add(Group.objects.get(name="network manager"))

    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"
    response = client.post("/admin/login/", {"username": admin.email, "password": PASSWORD})
    assert response.status_code == 302, "Django's own admin sign-in form is never reached"
    assert "_auth_user_id" not in client.session
    for page in STAFF_PAGES:
        assert client.get(page).status_code == 302, page

    client.post("/accounts/login/", {"login": admin.email, "password": PASSWORD})
    assert client.get("/admin/").status_code == 302, "not signed in before the code"
    client.post("/accounts/2fa/authenticate/", {"code": totp_now(secret)})
    assert client.get("/admin/").status_code == 200


def test_a_signed_in_reviewer_without_admin_access_is_refused_the_admin_site_not_looped(client):
    reviewer = UserFactory(full_name="Rita Reviewer")
    reviewer.groups.add(Group.objects.get(name="reviewer"))
    client.force_login(reviewer)

    response = client.get("/admin/", follow=True)

    assert response.status_code == 403
    assert [url for url, _status in response.redirect_chain] == ["/admin/login/?next=/admin/"]


def test_admin_sign_in_locks_the_address_after_repeated_wrong_passwords(client):
    admin, _secret = plan_admin_with_authenticator()
    for _ in range(15):
        client.post("/admin/login/", {"username": admin.email, "password": "wrong-password"})
        client.post("/accounts/login/", {"login": admin.email, "password": "wrong-password"})
    response = client.post("/accounts/login/", {"login": admin.email, "password": PASSWORD})
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_session_that_never_passed_the_second_factor_opens_no_staff_page(client):
    """A staff session opened without the code (here: signed in by password alone) is ended,
    even though the person has an authenticator set up."""
    admin, _secret = plan_admin_with_authenticator()
    admin.groups.add(Group.objects.get(name="network manager"))
    for page in STAFF_PAGES:
        PASSWORD_ONLY_LOGIN(client, admin)
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"] == "/accounts/login/", page
        assert "_auth_user_id" not in client.session, page


def test_the_second_factor_of_one_person_does_not_carry_over_to_another(client):
    first, first_secret = plan_admin_with_authenticator()
    second = verified(User.objects.create_user("sam@plan.example", PASSWORD, is_staff=True))
    enroll_totp(second)
    client.post("/accounts/login/", {"login": first.email, "password": PASSWORD})
    client.post("/accounts/2fa/authenticate/", {"code": totp_now(first_secret)})
    assert client.get("/admin/").status_code == 200
    PASSWORD_ONLY_LOGIN(client, second)  # another person's session, without a code of its own
    assert client.get("/admin/").status_code == 302


def test_signed_in_pages_are_never_cached(client, reviewer, authorized_official):
    client.force_login(authorized_official)
    for page in ("/dashboard/", "/organization/team/"):
        cache_control = client.get(page)["Cache-Control"]
        assert "no-store" in cache_control, page
        assert "private" in cache_control, page
    client.force_login(reviewer)
    for page in ("/review/", "/review/applications/", "/review/mine/"):
        cache_control = client.get(page)["Cache-Control"]
        assert "no-store" in cache_control, page
        assert "private" in cache_control, page
