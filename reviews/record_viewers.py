"""Who the record's sections are rendered for: what of a person they depend on.

The sections (``reviews.record_sections``) are kept in the cache for every viewer alike, so they
are rendered for a ``Viewer`` that holds the person's ``VIEWER_PERMISSIONS`` and nothing else of
them; the plan's staff are a handful of such viewers (``staff_viewers``), for whom a background
job renders a record before anyone looks at it.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

from portal.models import User
from portal.roles import FINAL_APPROVAL_PERMISSION, REVEAL_PERMISSION, REVIEW_PERMISSION

# What the sections (and the context processors' roles) ask of who looks. A template that asks
# for another permission raises ``ImproperlyConfigured`` at once: name it here, so that the key
# tells apart the viewers it tells apart.
VIEWER_PERMISSIONS = (REVIEW_PERMISSION, FINAL_APPROVAL_PERMISSION, REVEAL_PERMISSION)


@dataclass(frozen=True)
class Viewer:
    """Who the sections are rendered for: which of ``VIEWER_PERMISSIONS`` they hold, nothing
    else of the person."""

    permissions: frozenset[str]
    is_active = True
    is_authenticated = True
    is_anonymous = False

    @classmethod
    def of(cls, user: User) -> "Viewer":
        return cls(frozenset(p for p in VIEWER_PERMISSIONS if user.has_perm(p)))

    def has_perm(self, perm: str, obj: object = None) -> bool:
        if perm not in VIEWER_PERMISSIONS:
            raise ImproperlyConfigured(
                f"The record's sections ask for {perm!r}: add it to VIEWER_PERMISSIONS."
            )
        return perm in self.permissions

    def has_module_perms(self, app_label: str) -> bool:
        return any(p.startswith(f"{app_label}.") for p in self.permissions)


def staff_viewers() -> set[Viewer]:
    """The kinds of viewer the plan's active staff are: the sets of ``VIEWER_PERMISSIONS`` they
    hold, through a group, on their own or as superusers. Read from the (small) memberships and
    grants, never from every applicant's account."""
    held: defaultdict[int, set[str]] = defaultdict(set)
    for permission in VIEWER_PERMISSIONS:
        app_label, codename = permission.split(".")
        members = User.groups.through.objects.filter(
            group__permissions__codename=codename,
            group__permissions__content_type__app_label=app_label,
            user__is_active=True,
        )
        own = User.user_permissions.through.objects.filter(
            permission__codename=codename,
            permission__content_type__app_label=app_label,
            user__is_active=True,
        )
        for grants in (members, own):
            for person in grants.values_list("user_id", flat=True):
                held[person].add(permission)
    superusers = User.objects.filter(is_superuser=True, is_active=True).order_by()
    for person in superusers.values_list("pk", flat=True):
        held[person] = set(VIEWER_PERMISSIONS)
    return {Viewer(frozenset(permissions)) for permissions in held.values()}
