"""Receivers for what only signals tell us: sign-ins, role changes, admin edits, and a second
factor removed."""

from typing import Any

from allauth.mfa.signals import authenticator_removed
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver
from django.http import HttpRequest

from portal.audit import admin_change_recorded, audit_record, current_user, request_details
from portal.middleware import MFA_ENROLLED
from portal.models import AuditEvent, User


@receiver(user_logged_in)
def signed_in(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    audit_record(action=AuditEvent.Action.SIGN_IN, actor=user, details=request_details(request))


@receiver(user_logged_out)
def signed_out(sender: Any, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        audit_record(
            action=AuditEvent.Action.SIGN_OUT, actor=user, details=request_details(request)
        )


@receiver(user_login_failed)
def sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    attempted = str(credentials.get("email") or credentials.get("username") or "")
    audit_record(
        action=AuditEvent.Action.SIGN_IN_FAILED,
        actor_email=attempted,
        details=request_details(request) if request is not None else None,
    )


@receiver(m2m_changed, sender=User.groups.through)
def roles_changed(
    sender: Any, instance: Any, action: str, pk_set: set[int] | None, **kwargs: Any
) -> None:
    if action not in {"post_add", "post_remove", "post_clear"} or not isinstance(instance, User):
        return
    groups = ", ".join(Group.objects.filter(pk__in=pk_set or []).values_list("name", flat=True))
    verb = {"post_add": "added", "post_remove": "removed", "post_clear": "cleared"}[action]
    audit_record(
        action=AuditEvent.Action.ROLE_CHANGE,
        actor=current_user(),
        target=instance,
        summary=f"Roles {verb} for {instance.email}: {groups or 'all'}",
    )


@receiver(post_save, sender=LogEntry)
def admin_changed(sender: Any, instance: LogEntry, created: bool, **kwargs: Any) -> None:
    if created:
        admin_change_recorded(instance)


@receiver(authenticator_removed)
def second_factor_removed(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """Staff pages check for a second factor again once this session's is gone."""
    if request is not None and hasattr(request, "session"):
        request.session.pop(MFA_ENROLLED, None)
