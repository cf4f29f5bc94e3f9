"""What changed in the attestation step between its last two submissions, field by field.

Read from django-simple-history: the content as the reviewer saw it is the history as of the
decision that returned the step; the content under review is the current record (the step cannot
change while it is submitted). A date of birth is never tracked, so never shown.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from onboarding.models import (
    Application,
    ApplicationStep,
    CapabilityAttestation,
    CareTeamMember,
    CommunityPartner,
    CriterionAttestation,
    PopulationCapacity,
    PopulationServed,
)
from onboarding.reference import CareSetting
from reviews.models import ReviewDecision


@dataclass(frozen=True)
class Change:
    """One difference: an item added or removed, or one field of it changed."""

    item: str  # the review item it belongs to: criterion_N, care_team, capacity, general
    subject: str
    action: str  # added | removed | changed
    field: str = ""
    old: str = ""
    new: str = ""


@dataclass(frozen=True)
class Tracked:
    model: type[models.Model]
    fields: list[str]


TRACKED = [
    Tracked(CriterionAttestation, ["attested", "narrative"]),
    Tracked(
        CapabilityAttestation,
        [
            "languages_offered",
            *(f"setting_{setting.value}" for setting in CareSetting),
            "setting_other_detail",
        ],
    ),
    Tracked(CommunityPartner, ["kind", "organization_name", "agreement_kind", "document"]),
    Tracked(
        CareTeamMember,
        # The date of birth stays out of the history tables (needed only for screening).
        [name for name in CareTeamMember.APPLICANT_FIELDS if name != "date_of_birth"],
    ),
    Tracked(PopulationServed, ["population", "years_experience"]),
    Tracked(PopulationCapacity, ["population", "county", "member_capacity"]),
]


def item_of(instance: models.Model) -> str:
    if isinstance(instance, CriterionAttestation):
        return f"criterion_{instance.criterion}"
    if isinstance(instance, CommunityPartner):
        return "criterion_5"
    if isinstance(instance, CareTeamMember):
        return "care_team"
    if isinstance(instance, PopulationServed | PopulationCapacity):
        return "capacity"
    return "general"


def subject_of(instance: models.Model) -> str:
    if isinstance(instance, CapabilityAttestation):
        return _("Languages and settings")
    if isinstance(instance, PopulationServed):
        return _("Population %(code)s") % {"code": instance.population}
    return str(instance)


def field_of(model: type[models.Model] | models.Model, name: str) -> "models.Field[Any, Any]":
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{name} is not a concrete field")
    return field


def display(instance: models.Model, name: str) -> str:
    field = field_of(instance, name)
    if isinstance(field, models.ForeignKey):
        value = getattr(instance, field.attname)
        return "" if value is None else f"#{value}"
    value = getattr(instance, name)
    if isinstance(field, models.BooleanField):
        return _("yes") if value else _("no")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return "" if value is None else str(value)


def _as_of(model: type[models.Model], application: Application, when: datetime) -> dict[int, Any]:
    history = model.history  # type: ignore[attr-defined]
    rows = history.filter(application_id=application.pk, history_date__lte=when)
    return {row.pk: row for row in rows.latest_of_each().as_instances()}


def previous_submission_time(application: Application) -> datetime | None:
    """When the attestation step was last sent back, i.e. the content of its last submission."""
    step = application.step(ApplicationStep.Kind.ATTESTATIONS)
    decision = (
        application.decisions.filter(
            stage=ReviewDecision.Stage.ATTESTATIONS,
            outcome=ReviewDecision.Outcome.RETURN,
            revision__lt=step.revision,
        )
        .order_by("-decided_at")
        .first()
    )
    return decision.decided_at if decision else None


def attestation_changes(application: Application) -> list[Change] | None:
    """The changes since the previous submission; None when there was no previous submission."""
    since = previous_submission_time(application)
    if since is None:
        return None
    changes: list[Change] = []
    for tracked in TRACKED:
        before = _as_of(tracked.model, application, since)
        after = {
            row.pk: row
            for row in tracked.model._default_manager.filter(application_id=application.pk)
        }
        for pk in sorted(before.keys() | after.keys()):
            old, new = before.get(pk), after.get(pk)
            if old is None and new is not None:
                changes.append(Change(item_of(new), subject_of(new), "added"))
            elif new is None and old is not None:
                changes.append(Change(item_of(old), subject_of(old), "removed"))
            elif old is not None and new is not None:
                for name in tracked.fields:
                    a, b = display(old, name), display(new, name)
                    if a != b:
                        label = str(field_of(tracked.model, name).verbose_name)
                        changes.append(
                            Change(item_of(new), subject_of(new), "changed", label, a, b)
                        )
    for document in application.documents.filter(
        step_kind=ApplicationStep.Kind.ATTESTATIONS, uploaded_at__gt=since
    ):
        changes.append(
            Change("documents", f"{document.requirement}: {document.original_name}", "added")
        )
    return changes
