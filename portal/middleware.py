"""Extra protection for signed-in people: staff need this session's second factor and are signed
out when idle; no signed-in page is kept by a browser or proxy cache."""

import time
from collections.abc import Callable

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from portal.roles import is_staff_member

# Pages a staff member must reach to sign in, sign out and set up two-factor authentication; the
# public provider directory (FHIR), which anyone may read signed in or not; and the plan systems'
# API, which reads a bearer token and never the session (a browser session gets its JSON 401).
OPEN_PREFIXES = ("/accounts/", "/static/", "/fhir/", "/api/v1/")
LAST_SEEN = "portal_last_seen"
# The id of the person who proved a second factor in this session (portal.signals sets it when
# an authenticator code is accepted at sign-in or when one is set up).
SECOND_FACTOR_PASSED = "portal_second_factor_user"


def second_factor_passed(request: HttpRequest) -> bool:
    """Whether the signed-in person proved a second factor in this very session.

    Having an authenticator set up is not enough: a session opened any other way (an old
    password-only sign-in, a forgotten back door) never passed it.
    """
    user = request.user
    return user.is_authenticated and request.session.get(SECOND_FACTOR_PASSED) == str(user.pk)


def second_factor_record(session: SessionBase, user_pk: object) -> None:
    """Note in ``session`` that the person ``user_pk`` has just proved a second factor."""
    session[SECOND_FACTOR_PASSED] = str(user_pk)


class StaffSecurityMiddleware:
    """Staff pages need a second factor passed in this session; idle staff sessions end.

    Applicants are not affected. Runs after authentication and messages middleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and is_staff_member(user):
            now = time.time()
            last_seen = request.session.get(LAST_SEEN)
            if last_seen is not None and now - last_seen > settings.STAFF_IDLE_TIMEOUT_SECONDS:
                logout(request)
                messages.info(request, _("You were signed out after a period of inactivity."))
                return redirect(settings.LOGIN_URL)
            # Saving the session costs three queries, so it is refreshed only when a tenth of
            # the idle allowance has passed; the timeout stays accurate to that tenth.
            refresh_after = min(60, settings.STAFF_IDLE_TIMEOUT_SECONDS / 10)
            if last_seen is None or now - last_seen > refresh_after:
                request.session[LAST_SEEN] = now
            if not request.path.startswith(OPEN_PREFIXES) and not second_factor_passed(request):
                return self._ask_for_second_factor(request)
        return self.get_response(request)

    def _ask_for_second_factor(self, request: HttpRequest) -> HttpResponse:
        if is_mfa_enabled(request.user):
            # Signed in without the code (no page of ours allows that, so this is a session from
            # elsewhere): start again through the sign-in that asks for it.
            logout(request)
            messages.info(
                request, _("Please sign in again with your password and authenticator code.")
            )
            return redirect(settings.LOGIN_URL)
        messages.info(
            request,
            _(
                "Plan staff must use two-factor authentication. Set up an authenticator "
                "app to continue."
            ),
        )
        return redirect("mfa_activate_totp")


class NoStoreForSignedInMiddleware:
    """Signed-in pages hold applicants' and reviewers' data: no cache may keep a copy.

    ``Cache-Control: no-store`` (with ``private``) stops a shared computer's browser and any
    proxy from serving one person's page to the next, even after sign-out.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        already_private = "no-store" in response.get("Cache-Control", "")
        if user is not None and user.is_authenticated and not already_private:
            add_never_cache_headers(response)
        return response
