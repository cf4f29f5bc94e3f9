"""The content the authorized official signs, in one canonical form, and its SHA-256.

Every step is signed: entity verification (with the ownership and control disclosure), the
capability attestations and data-sharing readiness; each one's definition names its
``SignedStep`` (``SIGNED_STEPS`` gathers them by kind).
The serialisation is JSON with sorted keys and no insignificant whitespace, with every list in a
fixed order, so the same content always hashes the same. Dates of birth and SSNs are signed
content too (the roster, the disclosure), but only their hash ever leaves this module.
"""

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Prefetch, prefetch_related_objects

from data_exchange.models import SampleFileReport
from data_exchange.specs import FileKind
from disclosures.content import disclosure_content
from documents.models import Document
from onboarding.attestation_text import ATTESTATION_TEXTS
from onboarding.models import (
    Application,
    ApplicationStep,
    CapabilityAttestation,
    CommunityPartner,
    DataSharingProfile,
    EntityProfile,
)
from onboarding.models.signatures import SignedRecord
from onboarding.steps import by_kind


def entity_content(application: Application) -> dict[str, Any]:
    """Everything the entity step's signature covers: the answers, the entity types and counties,
    the evidence, and the ownership and control disclosure."""
    profile = application.entity_profile
    return {
        "application": application.reference,
        "answers": {field: getattr(profile, field) for field in EntityProfile.APPLICANT_FIELDS},
        "entity_types": sorted(t.code for t in profile.entity_types.all()),
        "counties": sorted(profile.county_codes),
        "documents": _documents_of(application, ApplicationStep.Kind.ENTITY),
        "disclosure": disclosure_content(application.disclosure),
    }


def attested_content(application: Application) -> dict[str, Any]:
    """Everything the signature covers: criteria, settings, partners, team, capacity, evidence.

    Reads the related rows once (``prefetch_attested_content``), so that a page showing them
    after checking the signature reads them from the same prefetch.
    """
    prefetch_attested_content(application)
    attestation = application.capability_attestation
    return {
        "application": application.reference,
        "criteria": [
            {"criterion": row.criterion, "attested": row.attested, "narrative": row.narrative}
            for row in sorted(application.criterion_attestations.all(), key=lambda r: r.criterion)
        ],
        "languages_offered": attestation.languages_offered,
        "care_settings": attestation.care_settings,
        "setting_other_detail": attestation.setting_other_detail,
        "partners": sorted(
            (
                {
                    "kind": p.kind,
                    "organization_name": p.organization_name,
                    "agreement_kind": p.agreement_kind,
                    "document_sha256": p.document.sha256 if p.document else "",
                }
                for p in application.community_partners.all()
            ),
            key=lambda row: json.dumps(row, sort_keys=True),
        ),
        "care_team": sorted(
            (
                {
                    "role": m.role,
                    "full_name": m.full_name,
                    "email": m.email,
                    "license_type": m.license_type,
                    "license_number": m.license_number,
                    "license_state": m.license_state,
                    "license_expires_on": m.license_expires_on.isoformat()
                    if m.license_expires_on
                    else "",
                    "chw_certificate": m.chw_certificate,
                    "fte": f"{m.fte:.2f}",
                    "languages": m.languages,
                    "date_of_birth": m.date_of_birth.isoformat() if m.date_of_birth else "",
                }
                for m in application.care_team.all()
            ),
            key=lambda row: json.dumps(row, sort_keys=True),
        ),
        "populations": [
            {"population": p.population, "years_experience": p.years_experience}
            for p in sorted(application.populations.all(), key=lambda p: p.population)
        ],
        "capacities": [
            {"population": c.population, "county": c.county, "member_capacity": c.member_capacity}
            for c in sorted(application.capacities.all(), key=lambda c: (c.population, c.county))
        ],
        "documents": _documents_of(application, ApplicationStep.Kind.ATTESTATIONS),
    }


def data_sharing_content(application: Application) -> dict[str, Any]:
    """Everything the data-sharing signature covers: the answers, the step's documents, and the
    latest sample check of each file with the version it was checked against.

    The version the plan requires now is left out: publishing a new template changes nothing the
    official attested to (submitting asks for a sample in the new version anyway).
    """
    latest: dict[str, SampleFileReport] = {}
    for report in application.sample_reports.select_related("specification").order_by(
        "-checked_at", "-pk"
    ):
        latest.setdefault(report.kind, report)
    return signed_data_sharing(
        reference=application.reference,
        profile=application.data_sharing,
        documents=_documents_of(application, ApplicationStep.Kind.DATA_SHARING),
        reports=[latest[kind] for kind in FileKind if kind in latest],
    )


def signed_data_sharing(
    *,
    reference: str,
    profile: DataSharingProfile,
    documents: list[list[str]],
    reports: list[SampleFileReport],
) -> dict[str, Any]:
    """The data-sharing content from rows in hand: ``documents`` as [requirement, SHA-256]
    pairs, ``reports`` the latest of each kind of file (seed_scale signs rows it writes)."""
    return {
        "application": reference,
        "answers": {
            field: _plain(getattr(profile, field)) for field in DataSharingProfile.APPLICANT_FIELDS
        },
        "documents": documents,
        "sample_files": [
            {
                "kind": report.kind,
                "report": report.pk,
                "file_name": report.file_name,
                "specification_version": report.specification.version,
                "passed": report.passed,
                "line_count": report.line_count,
                "problem_count": report.problem_count,
            }
            for report in reports
        ],
    }


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _documents_of(application: Application, kind: str) -> list[list[str]]:
    return sorted(
        [d.requirement, d.sha256] for d in application.documents.all() if d.step_kind == kind
    )


def prefetch_attested_content(application: Application) -> None:
    """Load the rows the signature covers onto ``application`` (lookups already loaded are kept).

    A partner's agreement is one of the application's documents, so it is taken from those
    rather than read again.
    """
    prefetch_related_objects(
        [application],
        "criterion_attestations",
        "care_team",
        "community_partners",
        "populations",
        "capacities",
        Prefetch("documents", queryset=Document.objects.select_related("uploaded_by")),
    )
    documents = {document.pk: document for document in application.documents.all()}
    agreement = CommunityPartner.document.field
    for partner in application.community_partners.all():
        if partner.document_id in documents:
            agreement.set_cached_value(partner, documents[partner.document_id])


def canonical_json(content: dict[str, Any]) -> bytes:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def content_sha256(content: dict[str, Any]) -> str:
    """The SHA-256 (hex) of the canonical serialisation of ``content``."""
    return hashlib.sha256(canonical_json(content)).hexdigest()


def attested_content_sha256(application: Application) -> str:
    """The SHA-256 (hex) of the canonical serialisation of the attested content."""
    return signed_content_sha256(application, ApplicationStep.Kind.ATTESTATIONS)


@dataclass(frozen=True)
class SignedStep:
    """A step the authorized official signs: the record holding its signature, and its content."""

    model: type[EntityProfile] | type[CapabilityAttestation] | type[DataSharingProfile]
    accessor: str  # the record's name on the application (its one-to-one related name)
    content: Callable[[Application], dict[str, Any]]

    def record(self, application: Application) -> SignedRecord:
        record: SignedRecord = getattr(application, self.accessor)
        return record

    def stored(self, application: Application, *, for_update: bool = False) -> SignedRecord:
        """The record as stored now, put on ``application`` in place of any copy it holds."""
        rows = self.model.objects.filter(application=application)
        record = (rows.select_for_update() if for_update else rows).get()
        setattr(application, self.accessor, record)
        return record


# The signed steps by kind, as their definitions name them (``StepDefinition.signed``).
SIGNED_STEPS: Mapping[str, SignedStep] = by_kind(lambda definition: definition.signed)


def signed_content_sha256(application: Application, kind: str) -> str:
    """The SHA-256 (hex) of the canonical serialisation of what the signature of ``kind`` covers."""
    return content_sha256(SIGNED_STEPS[kind].content(application))


def signed_in(application: Application) -> Application:
    """Where the provider's signatures were given: its last recredentialing approved (whose
    content, kept as sent, the official signed, and the record took over), or itself."""
    if application.status not in Application.PROVIDER_STATUSES:
        return application  # only a provider is ever recredentialed
    renewal = (
        application.renewals.filter(status=Application.Status.RECREDENTIALED)
        .order_by("-decided_at", "-pk")
        .first()
    )
    return renewal or application


def signature_state(application: Application, kind: str) -> dict[str, Any]:
    """Whether the step is signed, whether the signature covers the content as it is now, or
    whether a change voided it; ``record`` is what the status shows (who, when, the hash).

    A provider recredentialed since its approval carries the signature given on its last
    recredentialing, checked against that submission (``signed_in``).
    """
    record = SIGNED_STEPS[kind].record(application)
    signed = record.is_signed
    source = signed_in(application)
    current = signed_content_sha256(source, kind)
    return {
        "signed_in": source if source.pk != application.pk else None,
        "record": record,
        "signed": signed,
        "voided": record.is_voided,
        "matches": signed and record.content_sha256 == current,
        "current_sha256": current,
        "signed_text": ATTESTATION_TEXTS.get(record.attestation_version, ""),
    }
