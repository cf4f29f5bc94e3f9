"""The renewal's copy of a provider's approved record, and applying the approved renewal back.

``renewal_prefill`` copies what the steps show (entity profile, counties and types, the ownership
and control disclosure, attestations, partners, care team, populations and capacity, data-sharing
answers, documents and the latest sample-file reports) from the provider to its renewal, with no
signature: the official signs again. ``renewal_apply`` makes the provider's record what the
renewal says, in the final approval's transaction. Rows the renewal copied update the provider's
own (so care-team members keep their licence notices and history); rows added in the renewal
move to the provider; rows the renewal removed are removed. Copied documents point at the same
stored file and are never deleted from storage through the copy.
"""

from collections.abc import Collection, Sequence
from typing import Any

from django.db import models
from simple_history.utils import bulk_create_with_history

from data_exchange.models import SampleFileReport
from disclosures.copying import disclosure_copy
from documents.models import Document
from onboarding.models import (
    Application,
    ApplicationStep,
    CapabilityAttestation,
    CareTeamMember,
    CommunityPartner,
    CriterionAttestation,
    DataSharingProfile,
    EntityProfile,
    PopulationCapacity,
    PopulationServed,
    ServiceCounty,
)
from onboarding.models.signatures import SignedRecord
from portal.models import User
from screening.models import ScreeningResult

SIGNATURE = set(SignedRecord.SIGNATURE_FIELDS) | {"signed_by_id"}
NOT_COPIED = {"id", "application", "application_id", "updated_at", "profile", "profile_id"}


def _values(row: models.Model, *, skip: Collection[str] = ()) -> dict[str, Any]:
    """The row's own values, by attname, without its key, its owner and ``skip``."""
    return {
        field.attname: getattr(row, field.attname)
        for field in row._meta.concrete_fields
        if field.attname not in NOT_COPIED
        and field.name not in NOT_COPIED
        and field.attname not in skip
        and field.name not in skip
        and not field.primary_key
    }


def _copy_rows(
    rows: Sequence[models.Model], model: type[models.Model], history: bool, **owner: Any
) -> dict[str, int]:
    """Copies of ``rows`` under ``owner``; renewal pk → provider pk (as JSON keys)."""
    copies = [model(**_values(row), **owner) for row in rows]
    made = (
        bulk_create_with_history(copies, model)
        if history
        else model._default_manager.bulk_create(copies)
    )
    return {str(copy.pk): row.pk for copy, row in zip(made, rows, strict=True)}


def renewal_prefill(provider: Application, renewal: Application) -> dict[str, dict[str, int]]:
    """Give ``renewal`` its steps, each a draft prefilled from ``provider``'s approved record."""
    ApplicationStep.objects.bulk_create(
        ApplicationStep(application=renewal, kind=kind) for kind in ApplicationStep.Kind
    )
    copied: dict[str, dict[str, int]] = {}
    documents = list(provider.documents.filter(awaiting_approval=False).order_by("pk"))
    copied["document"] = _copy_rows(documents, Document, False, application=renewal)
    renewed_document = {provider_pk: int(pk) for pk, provider_pk in copied["document"].items()}

    profile = provider.entity_profile
    renewed = EntityProfile.objects.create(application=renewal, **_values(profile, skip=SIGNATURE))
    disclosure_copy(provider.disclosure, application=renewal)
    renewed.entity_types.set(profile.entity_types.all())
    bulk_create_with_history(
        [ServiceCounty(profile=renewed, county=c.county) for c in profile.counties.all()],
        ServiceCounty,
    )
    CapabilityAttestation.objects.create(
        application=renewal,
        **_values(provider.capability_attestation, skip=SIGNATURE),
    )
    DataSharingProfile.objects.create(
        application=renewal, **_values(provider.data_sharing, skip=SIGNATURE)
    )
    for model, related in (
        (CriterionAttestation, "criterion_attestations"),
        (CareTeamMember, "care_team"),
        (PopulationServed, "populations"),
        (PopulationCapacity, "capacities"),
    ):
        rows = list(getattr(provider, related).order_by("pk"))
        copied[related] = _copy_rows(rows, model, True, application=renewal)
    partners = list(provider.community_partners.order_by("pk"))
    copies = [
        CommunityPartner(
            application=renewal,
            **{
                **_values(p),
                "document_id": renewed_document.get(p.document_id) if p.document_id else None,
            },
        )
        for p in partners
    ]
    bulk_create_with_history(copies, CommunityPartner)
    latest: dict[str, SampleFileReport] = {}
    for report in provider.sample_reports.order_by("kind", "-checked_at"):
        latest.setdefault(report.kind, report)
    reports = list(latest.values())
    copied["sample_report"] = _copy_rows(reports, SampleFileReport, False, application=renewal)
    return copied


def _update(row: models.Model, values: dict[str, Any]) -> None:
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    for name in changed:
        setattr(row, name, values[name])
    if changed:
        row.save()


def _copy_to(provider: Application, row: models.Model) -> models.Model:
    """A copy of the renewal's ``row`` on the provider (the renewal keeps what was signed)."""
    copy = type(row)(**_values(row), application=provider)
    copy._history_user = getattr(provider, "_history_user", None)  # type: ignore[attr-defined]
    copy.save()
    return copy


def _apply_rows(
    provider: Application, renewal: Application, related: str, pairs: dict[str, int]
) -> dict[int, int]:
    """Make the provider's ``related`` rows the renewal's: update the rows it copied, copy the
    rows it added, delete those it no longer has. Renewal pk → provider pk of every row."""
    kept: dict[int, int] = {}
    for row in getattr(renewal, related).all():
        target = pairs.get(str(row.pk))
        original = (
            type(row).objects.filter(pk=target, application=provider).first()
            if target is not None
            else None
        )
        if original is None:  # added in the renewal (or removed from the provider meanwhile)
            kept[row.pk] = _copy_to(provider, row).pk
            continue
        original._history_user = getattr(provider, "_history_user", None)
        _update(original, _values(row))
        kept[row.pk] = original.pk
    for gone in getattr(provider, related).exclude(pk__in=kept.values()):
        gone._history_user = getattr(provider, "_history_user", None)
        gone.delete()
    return kept


def renewal_apply(
    provider: Application, renewal: Application, copied: dict[str, dict[str, int]], user: User
) -> None:
    """Make ``provider``'s record what the approved ``renewal`` says (the caller holds both
    rows' locks and records the decision). The renewal keeps its own rows, as signed: the
    provider's signatures are checked against it (``signature_state``)."""
    provider._history_user = user  # type: ignore[attr-defined]
    # Documents: what the renewal copied is the provider's already; what it added is copied
    # (the same stored file, which no copy ever deletes).
    copies = {int(pk): provider_pk for pk, provider_pk in copied.get("document", {}).items()}
    document_of: dict[int, int] = dict(copies)
    for document in renewal.documents.exclude(pk__in=copies):
        added = Document(**_values(document), application=provider)
        added.file.name = document.file.name
        added.save()
        document_of[document.pk] = added.pk

    profile, renewed = provider.entity_profile, renewal.entity_profile
    profile._history_user = user  # type: ignore[attr-defined]
    _update(profile, _values(renewed))
    profile.entity_types.set(renewed.entity_types.all())
    counties = set(renewed.counties.values_list("county", flat=True))
    for row in profile.counties.exclude(county__in=counties):
        row.delete()
    have = set(profile.counties.values_list("county", flat=True))
    for county in sorted(counties - have):
        ServiceCounty.objects.create(profile=profile, county=county)

    disclosure_copy(renewal.disclosure, application=provider)
    for signed in ("capability_attestation", "data_sharing"):
        _update(getattr(provider, signed), _values(getattr(renewal, signed)))

    for related in ("criterion_attestations", "populations", "capacities"):
        _apply_rows(provider, renewal, related, copied.get(related, {}))
    members = _apply_rows(provider, renewal, "care_team", copied.get("care_team", {}))

    # Partners are few and keyed by nothing of their own: the renewal's replace the provider's.
    provider.community_partners.all().delete()
    for partner in renewal.community_partners.all():
        agreement = document_of.get(partner.document_id) if partner.document_id else None
        copy = CommunityPartner(**{**_values(partner), "document_id": agreement})
        copy.application = provider
        copy._history_user = user  # type: ignore[attr-defined]
        copy.save()

    reports = {int(pk) for pk in copied.get("sample_report", {})}
    for report in renewal.sample_reports.exclude(pk__in=reports):  # checked in the renewal
        _copy_to(provider, report)

    # The renewal's screening is the provider's now: its people's results follow them.
    provider.screening_results.filter(is_current=True).update(is_current=False)
    ScreeningResult.objects.bulk_create(
        ScreeningResult(
            **{
                **_values(result),
                "care_team_member_id": members.get(result.care_team_member_id)
                if result.care_team_member_id
                else None,
            },
            application=provider,
        )
        for result in renewal.screening_results.filter(is_current=True)
    )
