"""What a recredentialing changes in each section, against the provider's approved record.

Reviewers of a renewal see only this, section by section; the whole record stays on the page
below it. The TIN is compared, never shown (its last four digits at most), and a date of birth
is never compared.
"""

from collections.abc import Iterable

from django.db import models
from django.utils.translation import gettext as _

from onboarding.models import (
    Application,
    ApplicationStep,
    CapabilityAttestation,
    CareTeamMember,
    DataSharingProfile,
    EntityProfile,
)
from onboarding.models.signatures import SignedRecord
from reviews.submission_diff import TRACKED, Change, display, field_of, item_of, subject_of

Kind = ApplicationStep.Kind
NOT_COMPARED = {"id", "application", "updated_at", "tin", *SignedRecord.SIGNATURE_FIELDS}


def _fields(model: type[models.Model]) -> list[str]:
    return [
        f.name
        for f in model._meta.concrete_fields
        if f.name not in NOT_COMPARED and not f.primary_key
    ]


def _row_changes(
    item: str, subject: str, old: models.Model, new: models.Model, names: Iterable[str]
) -> list[Change]:
    changes = []
    for name in names:
        before, after = display(old, name), display(new, name)
        if before != after:
            label = str(field_of(new, name).verbose_name)
            changes.append(Change(item, subject, "changed", label, before, after))
    return changes


def _set_changes(item: str, subject: str, before: set[str], after: set[str]) -> list[Change]:
    return [Change(item, subject, "added", new=value) for value in sorted(after - before)] + [
        Change(item, subject, "removed", old=value) for value in sorted(before - after)
    ]


def _documents(provider: Application, renewal: Application, kind: str) -> list[Change]:
    copied = renewal.recredentialing.copied.get("document", {})
    copies = [int(pk) for pk in copied]
    added = renewal.documents.filter(step_kind=kind).exclude(pk__in=copies)
    still_there = renewal.documents.filter(pk__in=copies).values_list("pk", flat=True)
    kept = {copied[str(pk)] for pk in still_there}  # the provider's documents not removed
    removed = provider.documents.filter(step_kind=kind, awaiting_approval=False).exclude(
        pk__in=kept
    )
    return [Change("documents", f"{d.requirement}: {d.original_name}", "added") for d in added] + [
        Change("documents", f"{d.requirement}: {d.original_name}", "removed") for d in removed
    ]


def _entity(provider: Application, renewal: Application) -> list[Change]:
    old, new = provider.entity_profile, renewal.entity_profile
    subject = _("Entity")
    changes = _row_changes("entity", subject, old, new, _fields(EntityProfile))
    if old.tin != new.tin:
        changes.append(
            Change("entity", subject, "changed", _("TIN / EIN"), old.masked_tin, new.masked_tin)
        )
    changes += _set_changes(
        "entity",
        _("Entity type(s)"),
        {str(t) for t in old.entity_types.all()},
        {str(t) for t in new.entity_types.all()},
    )
    changes += _set_changes(
        "entity",
        _("Counties served"),
        {c.get_county_display() for c in old.counties.all()},
        {c.get_county_display() for c in new.counties.all()},
    )
    return changes + _documents(provider, renewal, Kind.ENTITY)


def _paired(
    model: type[models.Model], provider: Application, renewal: Application
) -> tuple[dict[int, models.Model], dict[int, models.Model], dict[int, int]]:
    rows_of = model._default_manager.filter
    old = {row.pk: row for row in rows_of(application=provider)}
    new = {row.pk: row for row in rows_of(application=renewal)}
    copied = renewal.recredentialing.copied.get("care_team", {}) if model is CareTeamMember else {}
    return old, new, {int(pk): target for pk, target in copied.items()}


def _keyed(row: models.Model) -> tuple[object, ...]:
    """What identifies a row of a model the renewal copies without keeping pairs."""
    names = [
        n
        for n in ("criterion", "population", "county", "kind", "organization_name")
        if hasattr(row, n)
    ]
    return tuple(getattr(row, n) for n in names)


def _attestations(provider: Application, renewal: Application) -> list[Change]:
    changes: list[Change] = []
    for tracked in TRACKED:
        model = tracked.model
        if model is CapabilityAttestation:
            changes += _row_changes(
                "general",
                subject_of(renewal.capability_attestation),
                provider.capability_attestation,
                renewal.capability_attestation,
                tracked.fields,
            )
            continue
        old, new, pairs = _paired(model, provider, renewal)
        if model is CareTeamMember:
            matched = {pk: old.get(pairs[pk]) for pk in new if pk in pairs}
        else:
            by_key = {_keyed(row): row for row in old.values()}
            matched = {pk: by_key.get(_keyed(row)) for pk, row in new.items()}
        seen = {row.pk for row in matched.values() if row is not None}
        fields = [n for n in tracked.fields if n != "document"]
        for pk, row in new.items():
            before = matched.get(pk)
            if before is None:
                changes.append(Change(item_of(row), subject_of(row), "added"))
            else:
                changes += _row_changes(item_of(row), subject_of(row), before, row, fields)
        for pk, row in old.items():
            if pk not in seen:
                changes.append(Change(item_of(row), subject_of(row), "removed"))
    return changes + _documents(provider, renewal, Kind.ATTESTATIONS)


def _data_sharing(provider: Application, renewal: Application) -> list[Change]:
    changes = _row_changes(
        "general",
        _("Data-sharing answers"),
        provider.data_sharing,
        renewal.data_sharing,
        _fields(DataSharingProfile),
    )
    return changes + _documents(provider, renewal, Kind.DATA_SHARING)


SECTIONS = {
    Kind.ENTITY: _entity,
    Kind.ATTESTATIONS: _attestations,
    Kind.DATA_SHARING: _data_sharing,
}


def changes_since_approval(renewal: Application, kind: str) -> list[Change]:
    """What the recredentialing ``renewal`` changes in the section ``kind`` of the record."""
    provider = renewal.renews
    if provider is None:
        raise ValueError(f"{renewal.reference} is not a recredentialing")
    return SECTIONS[Kind(kind)](provider, renewal)
