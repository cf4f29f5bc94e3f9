"""Issuing, checking and revoking API tokens, and recording each use in the audit trail.

A token reads ``ecm_<prefix>_<secret>``: the prefix (8 hex characters) names it in the admin and
the audit trail and is not secret; the secret is 32 random bytes. Only the SHA-256 of the whole
token is stored, so a copy of the database lets nobody call the API. The plain token is returned
once, by ``api_token_issue``, and is never written anywhere.
"""

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import ApiToken
from portal.audit import audit_record
from portal.models import AuditEvent, User

TOKEN_PATTERN = re.compile(r"ecm_(?P<prefix>[0-9a-f]{8})_[A-Za-z0-9_-]{43}")
# A token lives at most a year: a forgotten one ends by itself.
MAX_LIFETIME = timedelta(days=366)


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # the whole bearer token; shown once, never stored


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def api_token_issue(
    *, name: str, scopes: list[str], expires_at: datetime, created_by: User
) -> IssuedToken:
    """A new token for ``scopes``; the returned secret is the only copy there will ever be."""
    unknown = set(scopes) - set(ApiToken.Scope.values)
    if not scopes or unknown:
        raise ValidationError({"scopes": _("Choose one or more of the scopes offered.")})
    now = timezone.now()
    if expires_at <= now or expires_at > now + MAX_LIFETIME:
        raise ValidationError(
            {"expires_at": _("A token must expire in the future, and within a year.")}
        )
    prefix = secrets.token_hex(4)
    while ApiToken.objects.filter(prefix=prefix).exists():
        prefix = secrets.token_hex(4)
    raw = f"ecm_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken(
        name=name,
        prefix=prefix,
        secret_sha256=token_hash(raw),
        scopes=" ".join(scope for scope in ApiToken.Scope.values if scope in scopes),
        expires_at=expires_at,
        created_by=created_by,
    )
    token.full_clean()
    with transaction.atomic():
        token.save()
        audit_record(
            action=AuditEvent.Action.API_TOKEN_ISSUED,
            actor=created_by,
            target=token,
            summary=f"API token {prefix} “{name}” issued: {token.scopes}, "
            f"expires {expires_at:%Y-%m-%d %H:%M %Z}",
        )
    return IssuedToken(token=token, secret=raw)


def api_token_revoke(*, token: ApiToken, revoked_by: User) -> ApiToken:
    """End ``token`` now. Revoking a token already revoked changes nothing."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is not None:
            return token
        token.revoked_at = timezone.now()
        token.revoked_by = revoked_by
        token.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(
            action=AuditEvent.Action.API_TOKEN_REVOKED,
            actor=revoked_by,
            target=token,
            summary=f"API token {token.prefix} “{token.name}” revoked",
        )
    return token


def api_token_find(raw: str) -> ApiToken | None:
    """The token ``raw`` is, usable or not; None for anything not shaped like one of ours or
    unknown. The lookup is by hash, so nothing is compared character by character."""
    if not TOKEN_PATTERN.fullmatch(raw):
        return None
    return ApiToken.objects.filter(secret_sha256=token_hash(raw)).first()


def api_use_record(*, token: ApiToken, method: str, path: str, outcome: str) -> AuditEvent:
    """One use of ``token``: what was asked and what came of it. Never the token itself."""
    return audit_record(
        action=AuditEvent.Action.API_REQUEST,
        target=token,
        summary=f"API token {token.prefix} “{token.name}”: {method} {path}: {outcome}",
    )
