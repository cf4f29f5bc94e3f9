"""The content the authorized official signs, in one canonical form, and its SHA-256.

The serialisation is JSON with sorted keys and no insignificant whitespace, with every list in a
fixed order, so the same content always hashes the same. A date of birth is signed content too
(it is part of the roster), but only its hash ever leaves this module.
"""

import hashlib
import json
from typing import Any

from django.db.models import Prefetch, prefetch_related_objects

from documents.models import Document
from onboarding.models import Application, ApplicationStep, CommunityPartner


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
        "documents": sorted(
            [d.requirement, d.sha256]
            for d in application.documents.all()
            if d.step_kind == ApplicationStep.Kind.ATTESTATIONS
        ),
    }


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


def attested_content_sha256(application: Application) -> str:
    """The SHA-256 (hex) of the canonical serialisation of the attested content."""
    return hashlib.sha256(canonical_json(attested_content(application))).hexdigest()
