"""Receivers for what only signals tell us: sign-ins, role changes, admin edits, password changes,
and a second factor passed, refused, set up or removed."""

from typing import Any

from allauth.account.signals import password_changed, password_reset, password_set
from allauth.mfa.signals import (
    authentication_failed,
    authenticator_added,
    authenticator_removed,
    authenticator_used,
)
from allauth.mfa.utils import is_mfa_enabled
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver
from django.http import HttpRequest

from portal.audit import admin_change_recorded, audit_record, current_user, request_details
from portal.middleware import SECOND_FACTOR_PASSED, second_factor_record
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


@receiver(authenticator_used)
@receiver(authenticator_added)
def second_factor_passed(
    sender: Any, request: HttpRequest | None, user: User, **kwargs: Any
) -> None:
    """A code was accepted at sign-in, or an authenticator was just set up with one: this
    session has passed the second factor (portal.middleware requires it of staff)."""
    if request is not None and hasattr(request, "session"):
        second_factor_record(request.session, user.pk)


@receiver(authentication_failed)
def second_factor_refused(
    sender: Any, request: HttpRequest | None, user: User, **kwargs: Any
) -> None:
    reauthenticating = kwargs.get("reauthentication", False)
    audit_record(
        action=AuditEvent.Action.SECOND_FACTOR_FAILED,
        actor=user,
        target=user,
        summary="Wrong authenticator code"
        + (" when confirming identity" if reauthenticating else " at sign-in"),
        details=request_details(request) if request is not None else None,
    )


@receiver(password_changed)
@receiver(password_set)
@receiver(password_reset)
def password_changed_by_owner(
    sender: Any, request: HttpRequest | None, user: User, signal: Any, **kwargs: Any
) -> None:
    how = {
        password_changed: "changed by its owner",
        password_set: "set by its owner",
        password_reset: "reset by email link",
    }[signal]
    audit_record(
        action=AuditEvent.Action.PASSWORD_CHANGE,
        actor=user,
        target=user,
        summary=f"Password of {user.email} {how}",
        details=request_details(request) if request is not None else None,
    )


@receiver(authenticator_removed)
def second_factor_removed(
    sender: Any, user: User, request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """With no authenticator left, staff pages ask for one to be set up again."""
    if request is not None and hasattr(request, "session") and not is_mfa_enabled(user):
        request.session.pop(SECOND_FACTOR_PASSED, None)
