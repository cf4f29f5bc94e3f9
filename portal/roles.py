"""The plan's staff roles. Anyone who signs up without one is an applicant.

Roles are Django groups created by a data migration; what each role may do is expressed as
permissions, so checks read ``user.has_perm(...)`` and viewflow's task queues filter by the
same permissions.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    REVIEWER = "reviewer", _("Plan reviewer")
    NETWORK_MANAGER = "network manager", _("Network manager")
    PLAN_ADMIN = "plan admin", _("Plan administrator")


REVIEW_PERMISSION = "onboarding.review_application"
FINAL_APPROVAL_PERMISSION = "onboarding.approve_application"
# Revealing a disclosed person's SSN and date of birth (granted to network managers by
# disclosures' migration 0002; every reveal is audited).
REVEAL_PERMISSION = "disclosures.reveal_identifiers"

# Permission codenames (app label, codename) granted to each role by the data migration.
ROLE_PERMISSIONS: dict[Role, list[tuple[str, str]]] = {
    Role.REVIEWER: [("onboarding", "review_application")],
    Role.NETWORK_MANAGER: [
        ("onboarding", "review_application"),
        ("onboarding", "approve_application"),
    ],
    Role.PLAN_ADMIN: [
        ("portal", "add_user"),
        ("portal", "change_user"),
        ("portal", "view_user"),
        ("auth", "view_group"),
        ("documents", "view_packetdelivery"),
        ("documents", "add_welcomepacket"),
        ("documents", "change_welcomepacket"),
        ("documents", "view_welcomepacket"),
        ("documents", "add_welcomepacketitem"),
        ("documents", "change_welcomepacketitem"),
        ("documents", "delete_welcomepacketitem"),
        ("documents", "view_welcomepacketitem"),
        ("onboarding", "add_entitytype"),
        ("onboarding", "change_entitytype"),
        ("onboarding", "view_entitytype"),
        ("onboarding", "add_evidencerequirement"),
        ("onboarding", "change_evidencerequirement"),
        ("onboarding", "delete_evidencerequirement"),
        ("onboarding", "view_evidencerequirement"),
    ],
}

# Granted by onboarding's migration 0004_screening_exclusion_lists, where those models were made;
# they moved to the screening app with onboarding's 0016, which relabels their permissions.
SCREENING_ROLE_PERMISSIONS: dict[Role, list[tuple[str, str]]] = {
    Role.PLAN_ADMIN: [
        ("screening", "add_exclusionrelease"),
        ("screening", "view_exclusionrelease"),
        ("screening", "view_exclusionrecord"),
    ],
    Role.NETWORK_MANAGER: [("screening", "view_exclusionrelease")],
}


def is_plan_staff(user: object) -> bool:
    """True for reviewers and network managers: people who work the review queues."""
    has_perm = getattr(user, "has_perm", None)
    return bool(has_perm and has_perm(REVIEW_PERMISSION))


def is_staff_member(user: object) -> bool:
    """Anyone working for the plan: a staff role or access to the admin site.

    Every role carries permissions and applicants hold none, so this reads the permission cache
    that the page's own checks then reuse, rather than querying the groups.
    """
    if getattr(user, "is_staff", False):
        return True
    all_permissions = getattr(user, "get_all_permissions", None)
    return bool(all_permissions and all_permissions())


def is_network_manager(user: object) -> bool:
    has_perm = getattr(user, "has_perm", None)
    return bool(has_perm and has_perm(FINAL_APPROVAL_PERMISSION))
