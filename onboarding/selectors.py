"""Scoped reads. Applicants reach an application only through their own organization's queryset."""

from datetime import timedelta

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from documents.models import Document
from onboarding.models import (
    Application,
    ApplicationEvent,
    ApplicationStep,
    CareTeamMember,
    CommunityPartner,
    EntityType,
    EvidenceRequirement,
    Invitation,
    Membership,
    Organization,
    PopulationCapacity,
    PopulationServed,
)
from onboarding.nodes import OPEN_STATUSES, review_nodes
from portal.models import User
from reviews.models import Deficiency

# The team page keeps showing an expired invitation this long, marked as expired.
INVITATION_SHOWN_EXPIRED_DAYS = 30


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
    # Each is asked on its own index and the two joined by UNION: one condition over both
    # tables (name OR NPI) made PostgreSQL read every organization, 36 ms at 100,000.
    same = Organization.objects.order_by().values("pk")
    same = same.filter(name_key=organization.name_key) if organization.name_key else same.none()
    if npi:
        same = same.union(
            Application.objects.filter(entity_profile__npi=npi).order_by().values("organization_id")
        )
    return list(
        Organization.objects.filter(pk__in=same)
        .exclude(pk=organization.pk)
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


# The short lists of one application's record, read with it: the entity step's, the
# attestation step's, and all of them with the steps.
ENTITY_LISTS = ("entity_profile__entity_types", "entity_profile__counties")
ATTESTATION_LISTS = (
    "criterion_attestations",
    "care_team",
    "community_partners",
    "populations",
    "capacities",
)
RECORD_LISTS = ("steps", *ENTITY_LISTS, *ATTESTATION_LISTS)
# The application's documents with who uploaded each.
DOCUMENTS_WITH_UPLOADER = Prefetch(
    "documents", queryset=Document.objects.select_related("uploaded_by")
)


def _record_for_staff() -> QuerySet[Application]:
    """Applications with their one-to-one records, their record's short lists and their
    documents with who uploaded each (a reviewer's page shows them all)."""
    record = Application.objects.select_related(
        "organization", "entity_profile", "data_sharing", "capability_attestation", "disclosure"
    )
    return record.prefetch_related(*RECORD_LISTS, DOCUMENTS_WITH_UPLOADER)


def application_for_staff(pk: int) -> Application:
    """The application with its whole record, for plan staff (see ``_record_for_staff``)."""
    return get_object_or_404(_record_for_staff(), pk=pk)


def application_header_for_staff(pk: int) -> Application:
    """The application with its organization, entity profile and the application it renews: what
    the staff page shows above the record (the record is read when it is shown, see
    ``reviews.record_sections``)."""
    return get_object_or_404(
        Application.objects.select_related("organization", "entity_profile", "renews"), pk=pk
    )


def application_for_review_task(task: Task) -> Application:
    """The application a review task belongs to, with its organization and its steps (its
    process shares the task's process id, so neither the task's process nor the application is
    read on its own). The record is read where it is shown, see ``reviews.record_sections``:
    joining its one-to-one records here cost PostgreSQL more to plan than reading them."""
    record = Application.objects.select_related("organization").prefetch_related("steps")
    return get_object_or_404(record, process__pk=task.process_id)


def open_deficiencies(application: Application) -> dict[str, list[Deficiency]]:
    """Unresolved deficiencies by step kind, for showing next to the fields they concern."""
    by_step: dict[str, list[Deficiency]] = {kind: [] for kind in ApplicationStep.Kind}
    for item in Deficiency.objects.filter(
        step__application=application, resolved_at__isnull=True
    ).select_related("step"):
        if item.step is not None:  # always, with step__application
            by_step[item.step.kind].append(item)
    return by_step


def review_task(pk: int) -> Task:
    """A review task with who holds it (the decision page says who)."""
    return get_object_or_404(
        Task.objects.filter(flow_task__in=list(review_nodes().values())).select_related("owner"),
        pk=pk,
    )


def review_tasks(pks: list[int]) -> list[Task]:
    """The review tasks among ``pks`` (ids of any other task are left out), in id order."""
    return list(
        Task.objects.filter(pk__in=pks, flow_task__in=list(review_nodes().values())).order_by("pk")
    )


def open_task(application: Application, node: object) -> Task | None:
    """The task of ``node`` that is waiting to be done for this application, if any."""
    return (
        Task.objects.filter(
            process_id=application.process.pk, flow_task=node, status__in=OPEN_STATUSES
        )
        .order_by("-created")
        .first()
    )


def review_is_claimed(application: Application) -> bool:
    """True while a reviewer holds one of the application's review tasks."""
    return Task.objects.filter(
        process_id=application.process.pk,
        flow_task__in=list(review_nodes().values()),
        status=STATUS.ASSIGNED,
    ).exists()


def team_of(organization: Organization) -> QuerySet[Membership]:
    """The organization's members with their accounts, officials first."""
    return organization.memberships.select_related("user").order_by("role", "user__email")


def team_member(organization: Organization, pk: int) -> Membership:
    """A member of the organization; a 404 for anyone else's membership."""
    return get_object_or_404(organization.memberships.select_related("user"), pk=pk)


def open_invitations(organization: Organization) -> QuerySet[Invitation]:
    """Invitations whose link still works: not accepted, withdrawn or expired."""
    return organization.invitations.filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )


def pending_invitations(organization: Organization) -> QuerySet[Invitation]:
    """What the team page lists: invitations nobody accepted or withdrew, the expired ones of
    the last INVITATION_SHOWN_EXPIRED_DAYS too, so the official sees they must invite again."""
    since = timezone.now() - timedelta(days=INVITATION_SHOWN_EXPIRED_DAYS)
    return organization.invitations.filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=since
    )


def invitation_of(organization: Organization, pk: int) -> Invitation:
    """One of the organization's invitations; a 404 for anyone else's."""
    return get_object_or_404(organization.invitations.select_related("organization"), pk=pk)


def invitation_by_token(token: str) -> Invitation:
    """The invitation the emailed link names, with its organization; a 404 for any other."""
    return get_object_or_404(Invitation.objects.select_related("organization"), token=token)


def application_events(application: Application) -> QuerySet[ApplicationEvent]:
    """The application's whole history, newest first, with who did each thing (plan staff's
    view)."""
    return application.events.select_related("actor")


def applicant_timeline(application: Application, *, limit: int = 50) -> QuerySet[ApplicationEvent]:
    """The newest events of the application's history that the applicant may see."""
    return application.events.exclude(kind__in=ApplicationEvent.STAFF_ONLY_KINDS).select_related(
        "actor"
    )[:limit]


def care_team_member_of(application: Application, pk: int) -> CareTeamMember:
    """A member of the application's care team; a 404 for any other."""
    return get_object_or_404(application.care_team, pk=pk)


def community_partner_of(application: Application, pk: int) -> CommunityPartner:
    """One of the application's community partners; a 404 for any other."""
    return get_object_or_404(application.community_partners, pk=pk)


def capacity_rows(
    application: Application,
) -> tuple[list[PopulationServed], list[PopulationCapacity]]:
    """The populations of focus the application serves and its capacity by county for each."""
    return list(application.populations.all()), list(application.capacities.all())


def authorized_official_membership(organization: Organization) -> Membership | None:
    """The organization's authorized official's membership, with the user, if it has one."""
    return (
        organization.memberships.filter(role=Membership.Role.AUTHORIZED_OFFICIAL)
        .select_related("user")
        .first()
    )


def step_documents(application: Application, kind: str) -> list[Document]:
    """The documents uploaded to the application's step of ``kind``."""
    return list(application.documents.filter(step_kind=kind))


def application_document(application: Application, pk: int) -> Document:
    """One of the application's documents; a 404 for any other."""
    return get_object_or_404(application.documents, pk=pk)


def evidence_requirement(pk: int | str) -> EvidenceRequirement:
    """An entity type's evidence requirement; a 404 when there is none."""
    return get_object_or_404(EvidenceRequirement, pk=pk)


def evidence_requirements_of(application: Application) -> list[EvidenceRequirement]:
    """The evidence the entity types chosen in the application's entity step call for."""
    return list(
        EvidenceRequirement.objects.filter(
            entity_type__in=application.entity_profile.entity_types.all()
        ).select_related("entity_type")
    )


def uploaded_evidence_ids(application: Application) -> set[int]:
    """The evidence requirements the application has a document for."""
    return set(
        application.documents.filter(evidence_requirement__isnull=False).values_list(
            "evidence_requirement_id", flat=True
        )
    )


def entity_types_with_evidence(application: Application) -> list[EntityType]:
    """The entity types chosen in the entity step, each with its evidence requirements."""
    return list(application.entity_profile.entity_types.prefetch_related("evidence_requirements"))
