"""The audit trail: sign-ins, role changes, application events, downloads, exports, admin edits.

Request details (address, browser) reach the writers through a context variable set by
``AuditContextMiddleware``, so services record them without being handed the request.
"""

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from allauth.account.adapter import get_adapter as get_account_adapter
from django.contrib.admin.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse

from portal.models import AuditEvent, User


@dataclass(frozen=True)
class RequestDetails:
    ip_address: str | None
    user_agent: str
    user: Any = None


_current: ContextVar[RequestDetails | None] = ContextVar("audit_request", default=None)


def client_address(request: HttpRequest) -> str | None:
    """The address of the person's browser, as allauth's sign-in limits count it: the
    connection's address, or behind load balancers (``TRUSTED_PROXY_COUNT``) the one they put in
    ``X-Forwarded-For``. Without that setting behind a balancer, every person would have the
    balancer's address: in the audit trail, and in the limits, which would then lock everyone out
    at once."""
    try:
        return get_account_adapter().get_client_ip(request)
    except PermissionDenied:  # no address at all
        return None


def request_details(request: HttpRequest) -> RequestDetails:
    return RequestDetails(
        ip_address=client_address(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
        user=getattr(request, "user", None),
    )


class AuditContextMiddleware:
    """Makes the current request's address and browser available to ``audit_record``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _current.set(request_details(request))
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)


def audit_record(
    *,
    action: AuditEvent.Action,
    actor: Any = None,
    target: models.Model | None = None,
    summary: str = "",
    actor_email: str = "",
    details: RequestDetails | None = None,
) -> AuditEvent:
    """Add one row to the audit trail. ``actor`` may be None for the system or an unknown user."""
    event = audit_entry(
        action=action,
        actor=actor,
        target=target,
        summary=summary,
        actor_email=actor_email,
        details=details,
    )
    event.save(force_insert=True)
    return event


def audit_entry(
    *,
    action: AuditEvent.Action,
    actor: Any = None,
    target: models.Model | None = None,
    summary: str = "",
    actor_email: str = "",
    details: RequestDetails | None = None,
) -> AuditEvent:
    """A row of the audit trail, not yet saved: ``AuditEvent.objects.bulk_create`` many of them
    where a job records thousands at once."""
    details = details or _current.get() or RequestDetails(None, "")
    user = actor if isinstance(actor, User) and actor.pk else None
    return AuditEvent(
        actor=user,
        actor_email=(user.email if user else actor_email)[:254],
        action=action,
        object_type=target._meta.label if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        summary=summary[:300],
        ip_address=details.ip_address,
        user_agent=details.user_agent,
    )


def current_user() -> Any:
    """The signed-in person of the request being served, if any."""
    details = _current.get()
    user = details.user if details else None
    return user if user is not None and user.is_authenticated else None


def admin_change_recorded(entry: LogEntry) -> AuditEvent:
    return audit_record(
        action=AuditEvent.Action.ADMIN_CHANGE,
        actor=entry.user,
        summary=f"{entry.get_action_flag_display()} {entry.content_type} #{entry.object_id}: "
        f"{entry.object_repr}"[:300],
    )
