"""Behind the load balancer, the audit trail and the sign-in limits see each person's address."""

import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    validate_totp_code,
)

from portal.models import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def sign_in_address(client, **headers: str) -> str | None:
    user = UserFactory(email="rita@plan.example")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.post(
        "/accounts/login/",
        {"login": user.email, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.5",  # the load balancer
        **headers,
    )
    return AuditEvent.objects.get(action=AuditEvent.Action.SIGN_IN).ip_address


def test_behind_one_balancer_the_address_it_forwards_is_recorded(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    # A browser may send its own X-Forwarded-For; the balancer appends the real address last.
    forwarded = "198.51.100.1, 203.0.113.9"
    assert sign_in_address(client, HTTP_X_FORWARDED_FOR=forwarded) == "203.0.113.9"


def test_without_a_trusted_balancer_a_forwarded_address_is_ignored(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    assert sign_in_address(client, HTTP_X_FORWARDED_FOR="203.0.113.9") == "10.0.0.5"


def test_a_code_of_the_window_just_ended_is_still_taken():
    """A code typed as its 30 seconds run out (or kept waiting in the balancer's queue) is
    taken; one from two windows back is not."""
    if time.time() % 30 > 28:  # not across a window's end while the test runs
        time.sleep(3)
    secret = generate_totp_secret()
    now = int(time.time()) // 30
    just_ended = format_hotp_value(hotp_value(secret, now - 1))
    long_gone = format_hotp_value(hotp_value(secret, now - 3))
    assert validate_totp_code(secret, just_ended)
    assert not validate_totp_code(secret, long_gone)
