from datetime import datetime
from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from portal.audit import audit_record
from portal.models import AuditEvent, User

# What only a superuser may change: who is staff or superuser, and which roles and permissions
# anyone holds. A plan administrator who could set these could make itself superuser.
PRIVILEGE_FIELDS = ("is_staff", "is_superuser", "groups", "user_permissions")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Plan administrators manage accounts here; only superusers grant roles and privileges.

    Passwords are never set here by anyone but a superuser: people set their own through the
    portal's password reset, which the audit trail records.
    """

    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff", "last_login"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("full_name",)}),
        (_("Roles"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += PRIVILEGE_FIELDS
            if obj is not None and (obj.is_staff or obj.is_superuser):
                # A new address on a staff account would let its password be reset elsewhere.
                readonly.append("email")
        return readonly

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        if not request.user.is_superuser:
            raise PermissionDenied
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = User.objects.get(pk=id)
            audit_record(
                action=AuditEvent.Action.PASSWORD_CHANGE,
                actor=request.user,
                target=user,
                summary=f"Password of {user.email} set by a superuser in the admin site",
            )
        return response

    def save_model(self, request: HttpRequest, obj: User, form: ModelForm, change: bool) -> None:
        # Read before saving: afterwards the form's initial values are the new ones.
        form.audit_changes = _field_changes(form) if change else []  # type: ignore[attr-defined]
        super().save_model(request, obj, form, change)

    def save_related(
        self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        changes = getattr(form, "audit_changes", [])
        if changes:
            audit_record(
                action=AuditEvent.Action.ADMIN_CHANGE,
                actor=request.user,
                target=form.instance,
                summary=f"Account {form.instance.email} changed: " + "; ".join(changes),
            )


def _shown(value: Any) -> str:
    """A field's value in the audit trail: roles and permissions by name, sorted."""
    if hasattr(value, "__iter__") and not isinstance(value, str):
        return "[" + ", ".join(sorted(str(item) for item in value)) + "]"
    return str(value)


def _same_instant(before: Any, after: Any) -> bool:
    return isinstance(before, datetime) and isinstance(after, datetime) and before == after


def _field_changes(form: ModelForm) -> list[str]:
    """Each changed field as 'name: before → after', read before the form is saved."""
    changes = []
    for name in form.changed_data:
        if name == "password":
            continue
        field = form.fields[name]
        before = form.initial.get(name)
        if hasattr(field, "queryset"):
            before = field.queryset.filter(pk__in=[getattr(v, "pk", v) for v in before or []])
        before, after = _shown(before), _shown(form.cleaned_data[name])
        # A form may call a field changed that holds the same value (a date and time sent in
        # another time zone): only a real difference is recorded.
        if before != after and not _same_instant(form.initial.get(name), form.cleaned_data[name]):
            changes.append(f"{name}: {before} → {after}")
    return changes
