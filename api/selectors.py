"""Reads of the API, each a fixed number of queries whatever the number of providers.

``changes_after`` defines what "a provider changed" means for incremental sync: an event of one
of ``CHANGE_KINDS`` on the timeline of a provider (an application the plan approved, whatever
became of it since). These are every event that changes what the roster shows: approval and
activation, conditions set and met, suspension, termination and reinstatement, an approved
change request applied to the record (capacity, counties, care team, contacts, ownership), and
each step of the recredentialing cycle (opened, overdue, approved with a new due date, ended).
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet

from onboarding.models import Application, ApplicationEvent, ApplicationStep
from reviews.exports import roster_applications

Kind = ApplicationEvent.Kind
CHANGE_KINDS = [
    Kind.FINAL_APPROVED,
    Kind.PACKET_ACKNOWLEDGED,
    Kind.CONDITIONS_SET,
    Kind.CONDITIONS_MET,
    Kind.PROVIDER_SUSPENDED,
    Kind.PROVIDER_TERMINATED,
    Kind.PROVIDER_REINSTATED,
    Kind.CHANGE_APPLIED,
    Kind.RECREDENTIALING_STARTED,
    Kind.RECREDENTIALING_OVERDUE,
    Kind.RECREDENTIALED,
    Kind.RECREDENTIALING_ENDED,
]
ROSTER_PREFETCH = (
    "entity_profile__entity_types",
    "entity_profile__counties",
    "capacities",
)


def reference_pk(reference: str) -> int | None:
    """The key of the application ``reference`` names (``ECM-000123``), if it is one."""
    prefix, _, digits = reference.partition("-")
    if prefix != "ECM" or not digits.isascii() or not digits.isdigit():
        return None
    pk = int(digits)
    return pk if f"ECM-{pk:06d}" == reference else None


def _with_status(applications: QuerySet[Application]) -> QuerySet[Application]:
    return applications.select_related("organization", "entity_profile", "renews").prefetch_related(
        Prefetch("steps", queryset=ApplicationStep.objects.order_by("kind"))
    )


def application_by_reference(reference: str) -> Application | None:
    pk = reference_pk(reference)
    if pk is None:
        return None
    return _with_status(Application.objects.filter(pk=pk)).first()


def applications_by_npi(npi: str) -> list[Application]:
    """Every application giving ``npi``, the newest first: a provider's first application, its
    recredentialings, and any earlier application denied or withdrawn."""
    return list(_with_status(Application.objects.filter(entity_profile__npi=npi)).order_by("-pk"))


def roster_after(*, after_pk: int, limit: int) -> list[Application]:
    """Up to ``limit`` providers of the roster after the one keyed ``after_pk``, in key order."""
    return list(
        roster_applications()
        .filter(pk__gt=after_pk)
        .select_related("organization", "entity_profile")
        .prefetch_related(*ROSTER_PREFETCH)[:limit]
    )


@dataclass(frozen=True)
class Position:
    """A place in the stream of changes: after the event ``pk`` made at ``at``."""

    at: datetime
    pk: int


def changes_after(*, position: Position, until: datetime, limit: int) -> list[ApplicationEvent]:
    """Up to ``limit`` changes to providers after ``position`` and no later than ``until``,
    in the order they were made, each with its provider as it stands now."""
    after = Q(created_at__gt=position.at) | Q(created_at=position.at, pk__gt=position.pk)
    return list(
        ApplicationEvent.objects.filter(
            after,
            created_at__lte=until,
            kind__in=CHANGE_KINDS,
            application__in=roster_applications(),
        )
        .select_related("application__organization", "application__entity_profile")
        .prefetch_related(*(f"application__{lookup}" for lookup in ROSTER_PREFETCH))
        .order_by("created_at", "pk")[:limit]
    )
