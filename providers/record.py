"""Reads for the provider record: what the plan approved, as it stood on a given day.

The care team, the populations served and the capacity keep a field-level history
(django-simple-history), so the record can show them as they were on any day and who changed
them. The entity profile (addresses, contacts, the official's name) and its counties keep one too
since change requests can change them; the page lists their changes, and shows the entity facts
and documents as they are now.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import chain
from typing import Any

from django.db.models import Model
from django.utils import timezone

from documents.models import Document
from onboarding.models import (
    Application,
    ApplicationEvent,
    CareTeamMember,
    EntityProfile,
    PopulationCapacity,
    PopulationServed,
    ServiceCounty,
)
from providers.models import ComplianceIssue, StatusChange

# The versioned parts of the record, each with the lookup that finds a provider's rows.
VERSIONED: dict[type[Model], str] = {
    CareTeamMember: "application_id",
    PopulationServed: "application_id",
    PopulationCapacity: "application_id",
    EntityProfile: "application_id",
    ServiceCounty: "profile__application_id",
}
STATUS_EVENTS = {
    ApplicationEvent.Kind.FINAL_APPROVED,
    ApplicationEvent.Kind.PACKET_ACKNOWLEDGED,
    ApplicationEvent.Kind.PROVIDER_SUSPENDED,
    ApplicationEvent.Kind.PROVIDER_TERMINATED,
    ApplicationEvent.Kind.PROVIDER_REINSTATED,
}


@dataclass(frozen=True)
class RecordChange:
    """One change to a versioned part of the record: when, by whom, what."""

    at: datetime
    by: Any  # the User, or None for the system
    kind: str  # "+", "~" or "-"
    what: str
    fields: list[str]


@dataclass(frozen=True)
class EntityThen:
    """The addresses, counties, official and contact as they stood on an earlier day."""

    profile: EntityProfile
    counties: list[str]


@dataclass(frozen=True)
class ProviderRecord:
    application: Application
    on: date
    approved_on: date | None
    care_team: list[CareTeamMember]
    populations: list[PopulationServed]
    capacities: list[PopulationCapacity]
    documents: list[Document]
    status_changes: list[StatusChange]
    status_events: list[ApplicationEvent]
    compliance_issues: list[ComplianceIssue]
    changes: list[RecordChange]
    entity_then: EntityThen | None = None  # on an earlier day, where the history reaches back

    @property
    def is_today(self) -> bool:
        return self.on == timezone.localdate()

    @property
    def before_approval(self) -> bool:
        return self.approved_on is None or self.on < self.approved_on

    @property
    def capacity_by_population(self) -> list[tuple[str, list[PopulationCapacity]]]:
        rows: dict[str, list[PopulationCapacity]] = {}
        for capacity in self.capacities:
            rows.setdefault(capacity.get_population_display(), []).append(capacity)
        return sorted(rows.items())


def _end_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def _as_of(model: Any, application: Application, on: date) -> list[Any]:
    if on >= timezone.localdate():
        return list(model.objects.filter(application=application))
    return list(model.history.as_of(_end_of(on)).filter(application_id=application.pk))


def latest_documents(documents: Iterable[Document]) -> list[Document]:
    """Each kind of document's latest upload: the one in force."""
    latest: dict[str, Document] = {}
    for document in sorted(documents, key=lambda d: d.uploaded_at):
        latest[document.requirement] = document
    return sorted(latest.values(), key=lambda d: (d.step_kind, d.requirement))


def provider_record(
    application: Application, on: date | None = None, changes: int = 50
) -> ProviderRecord:
    """The record on ``on`` (today by default), its status history and its latest changes."""
    on = min(on or timezone.localdate(), timezone.localdate())
    approval = application.events.filter(kind=ApplicationEvent.Kind.FINAL_APPROVED).first()
    return ProviderRecord(
        application=application,
        on=on,
        approved_on=timezone.localdate(approval.created_at) if approval else None,
        care_team=sorted(
            _as_of(CareTeamMember, application, on), key=lambda m: (m.role, m.full_name)
        ),
        populations=sorted(_as_of(PopulationServed, application, on), key=lambda p: p.population),
        capacities=sorted(
            _as_of(PopulationCapacity, application, on), key=lambda c: (c.population, c.county)
        ),
        documents=latest_documents(
            application.documents.filter(
                uploaded_at__lt=_end_of(on), awaiting_approval=False
            ).select_related("uploaded_by")
        ),
        status_changes=list(application.status_changes.select_related("proposed_by", "decided_by")),
        status_events=list(
            application.events.filter(kind__in=STATUS_EVENTS)
            .select_related("actor")
            .order_by("-created_at")
        ),
        compliance_issues=list(application.compliance_issues.all()),
        changes=record_changes(application, limit=changes),
        entity_then=None if on >= timezone.localdate() else _entity_then(application, on),
    )


def _entity_then(application: Application, on: date) -> EntityThen | None:
    """The entity profile and counties at the end of ``on``; None before their history starts
    (it started with change requests)."""
    profiles = _as_of(EntityProfile, application, on)
    if not profiles:
        return None
    counties = ServiceCounty.history.as_of(_end_of(on)).filter(profile_id=profiles[0].pk)
    return EntityThen(profiles[0], sorted(str(c) for c in counties))


def record_changes(application: Application, limit: int = 50) -> list[RecordChange]:
    """The latest changes to the versioned parts of the record, newest first, with who made
    them and which fields changed."""
    histories = chain.from_iterable(
        model.history.filter(**{lookup: application.pk})  # type: ignore[attr-defined]
        .select_related("history_user")
        .order_by("-history_date")[:limit]
        for model, lookup in VERSIONED.items()
    )
    fetched = sorted(histories, key=lambda h: h.history_date, reverse=True)
    # Each row's previous version, where it was read too (compared in memory, not re-read).
    previous: dict[int, Any] = {}
    older: dict[tuple[type, int], Any] = {}
    for row in reversed(fetched):
        key = (type(row), row.id)
        if key in older:
            previous[id(row)] = older[key]
        older[key] = row
    return [
        RecordChange(
            at=row.history_date,
            by=row.history_user,
            kind=row.history_type,
            what=f"{row.instance_type._meta.verbose_name}: {row.instance}",
            fields=_changed_fields(row, previous.get(id(row))),
        )
        for row in fetched[:limit]
    ]


def _changed_fields(row: Any, previous: Any) -> list[str]:
    if row.history_type != "~" or previous is None:
        return []
    return [
        str(row.instance_type._meta.get_field(change.field).verbose_name)
        for change in row.diff_against(previous).changes
    ]
