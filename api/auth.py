"""Who may call the API: a bearer token with the operation's scope, and how often.

Only the ``Authorization: Bearer`` header is read. Session cookies are never looked at, so no
one signed in to the portal (an applicant, or plan staff) reaches the data through the browser.
"""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security.http import HttpAuthBase
from ninja.throttling import SimpleRateThrottle

from api.models import ApiToken
from api.tokens import api_token_find, api_use_record


class TokenRefused(HttpError):
    """A request with a token that exists but may not do this (expired, revoked, wrong scope)."""


class ApiTokenAuth(HttpAuthBase):
    """``Authorization: Bearer <token>`` for a usable token holding ``scope``.

    An unknown or malformed token (or none) is a 401 and is not recorded: there is no token to
    name, and nobody may fill the append-only audit trail by sending junk. A known token that
    has expired or been revoked (401), or lacks the scope (403), is recorded as a refused use.
    """

    openapi_scheme = "bearer"

    def __init__(self, scope: ApiToken.Scope) -> None:
        self.scope = scope
        super().__init__()

    def __call__(self, request: HttpRequest) -> ApiToken | None:
        # Ninja's HttpBearer logs an unexpected header whole when DEBUG is on; this never logs.
        scheme, _space, raw = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer":
            return None
        token = api_token_find(raw.strip())
        if token is None:
            return None
        refusal = self._refusal(token)
        if refusal is not None:
            status, reason = refusal
            api_use_record(
                token=token,
                method=request.method or "",
                path=request.get_full_path(),
                outcome=f"refused ({status}): {reason}",
            )
            raise TokenRefused(status, reason)
        return token

    def _refusal(self, token: ApiToken) -> tuple[int, str] | None:
        if token.revoked_at is not None:
            return 401, _("This token has been revoked.")
        if not token.is_usable():
            return 401, _("This token has expired.")
        if self.scope not in token.scope_list:
            return 403, _("This token does not have the scope %(scope)s.") % {"scope": self.scope}
        return None


class TokenRateThrottle(SimpleRateThrottle):
    """At most ``settings.API_RATE_LIMIT`` requests per token (e.g. "600/min"), counted in the
    default cache (shared by every web node when CACHE_URL points at Redis).

    The rate is read on every request, so a changed setting needs no restart of this object.
    """

    scope = "api_token"

    def __init__(self) -> None:
        super().__init__(rate=settings.API_RATE_LIMIT)

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = settings.API_RATE_LIMIT
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request: HttpRequest) -> str | None:
        token: Any = getattr(request, "auth", None)
        if not isinstance(token, ApiToken):
            return None
        return f"api_throttle_{token.pk}"
