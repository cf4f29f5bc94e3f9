"""Extra protection for the plan's staff: two-factor sign-in and an idle timeout."""

import time
from collections.abc import Callable

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from portal.roles import is_staff_member

# Pages a staff member must reach to sign in, sign out and set up two-factor authentication.
OPEN_PREFIXES = ("/accounts/", "/static/")
LAST_SEEN = "portal_last_seen"
MFA_ENROLLED = "portal_mfa_enrolled"


class StaffSecurityMiddleware:
    """Staff pages need an enrolled second factor; idle staff sessions end.

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
            if not request.path.startswith(OPEN_PREFIXES) and not _mfa_enrolled(request):
                messages.info(
                    request,
                    _(
                        "Plan staff must use two-factor authentication. Set up an authenticator "
                        "app to continue."
                    ),
                )
                return redirect("mfa_activate_totp")
        return self.get_response(request)


def _mfa_enrolled(request: HttpRequest) -> bool:
    """Whether the person has a second factor; once seen, remembered for the session (the flag is
    dropped when they remove an authenticator, see portal.signals)."""
    if request.session.get(MFA_ENROLLED):
        return True
    if is_mfa_enabled(request.user):
        request.session[MFA_ENROLLED] = True
        return True
    return False
