"""Plan staff for the benchmarks: a password and an authenticator app, set up as staff have them.

Staff pages are timed behind the second factor (``StaffSecurityMiddleware``), so a benchmark's
reviewers and managers sign in as a person does: the password, then the code their authenticator
app shows. ``enrol`` gives a seeded staff account both; ``code`` is the code the app shows now. Both
are the tests' own helpers (``tests.factories``), so they need Django set up (``django.setup()``).
"""

from typing import Any


def enrol(user: Any, password_hash: str) -> str:
    """Give ``user`` the hashed password and a fresh TOTP authenticator (any earlier one goes),
    with a verified primary address; returns the authenticator's secret.

    ``password_hash`` is ``make_password(password)``: hashing once for many accounts saves a
    second of PBKDF2 per account."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    from tests.factories import enroll_totp

    Authenticator.objects.filter(user=user).delete()
    secret = enroll_totp(user)
    user.password = password_hash
    user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return secret


def code(secret: str) -> str:
    """The six-digit code the authenticator app shows now (RFC 6238)."""
    from tests.factories import totp_now

    return totp_now(secret)
