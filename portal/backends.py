"""Permission checks that read a person's permissions in one query instead of two."""

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q


class PermissionBackend(ModelBackend):
    """Django's model backend, reading direct and group permissions together.

    Every staff page checks permissions, so the two queries Django makes (the person's own
    permissions, then their groups') are one here. The result is cached on the user object for
    the request in the same attribute Django uses, so every backend shares it.
    """

    def get_all_permissions(self, user_obj: Any, obj: object = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            permissions = Permission.objects.all()
            if not user_obj.is_superuser:
                permissions = permissions.filter(Q(user=user_obj) | Q(group__user=user_obj))
            user_obj._perm_cache = {
                f"{app_label}.{codename}"
                for app_label, codename in permissions.values_list(
                    "content_type__app_label", "codename"
                )
                .order_by()  # a set: Permission's default ordering would only widen the query
                .distinct()
            }
        return user_obj._perm_cache
