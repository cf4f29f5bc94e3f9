"""Scoped reads. Applicants reach an application only through their own organization's queryset."""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from viewflow.workflow.models import Task

from onboarding.models import Application, ApplicationStep, Invitation, Membership, Organization
from onboarding.services.workflow import REVIEW_NODES
from portal.models import User
from portal.rows_in_query import with_rows_in_query
from reviews.models import Deficiency, ReviewWork


def organization_of(user: User) -> Organization | None:
    membership = getattr(user, "membership", None)
    return membership.organization if membership else None


def is_or_was_member(user: User, organization_id: int) -> bool:
    """Whether ``user`` belongs, or ever belonged, to the organization: now, in the membership's
    history, or by an invitation they accepted."""
    return (
        Membership.objects.filter(user=user, organization_id=organization_id).exists()
        or Membership.history.filter(user_id=user.pk, organization_id=organization_id).exists()
        or Invitation.objects.filter(accepted_by=user, organization_id=organization_id).exists()
    )


def possible_duplicates(organization: Organization, npi: str = "") -> list[Organization]:
    """Other organizations with the same legal name (as screening compares names) or, once the
    entity step gives one, an application with the same NPI: likely the same organization
    applying twice."""
    same = Q(name_key=organization.name_key) if organization.name_key else Q(pk__in=[])
    if npi:
        same |= Q(applications__entity_profile__npi=npi)
    return list(
        Organization.objects.filter(same)
        .exclude(pk=organization.pk)
        .distinct()
        .order_by("pk")
        .prefetch_related("applications")
    )


def applications_of(user: User) -> QuerySet[Application]:
    """The applications of the user's own organization; nothing for anyone else."""
    membership = getattr(user, "membership", None)
    if membership is None:
        return Application.objects.none()
    return (
        Application.objects.filter(organization_id=membership.organization_id)
        .select_related("organization")
        .prefetch_related("steps")
    )


def application_for_applicant(user: User, pk: int) -> Application:
    """The application if it is the user's organization's; a 404 otherwise, never a 403."""
    return get_object_or_404(applications_of(user), pk=pk)


# The short lists of one application's record, read with it (``with_rows_in_query``).
RECORD_LISTS = (
    "steps",
    "entity_profile__entity_types",
    "entity_profile__counties",
    "criterion_attestations",
    "care_team",
    "community_partners",
    "populations",
    "capacities",
)


def application_for_staff(pk: int) -> Application:
    """The application with its record's short lists read in the same query (a reviewer's page
    shows them all, and a round trip for each table was most of its time)."""
    record = Application.objects.select_related(
        "organization", "entity_profile", "data_sharing", "capability_attestation"
    )
    return get_object_or_404(with_rows_in_query(record, *RECORD_LISTS), pk=pk)


def open_deficiencies(application: Application) -> dict[str, list[Deficiency]]:
    """Unresolved deficiencies by step kind, for showing next to the fields they concern."""
    by_step: dict[str, list[Deficiency]] = {kind: [] for kind in ApplicationStep.Kind}
    for item in Deficiency.objects.filter(
        step__application=application, resolved_at__isnull=True
    ).select_related("step"):
        by_step[item.step.kind].append(item)
    return by_step


def review_task(pk: int) -> Task:
    return get_object_or_404(Task.objects.filter(flow_task__in=list(REVIEW_NODES.values())), pk=pk)


def open_review_work(application: Application) -> list[ReviewWork]:
    """The application's open reviews with who holds them and when they are due."""
    return list(
        ReviewWork.objects.filter(application=application, is_open=True)
        .select_related("owner")
        .order_by("due_on", "task_id")
    )
