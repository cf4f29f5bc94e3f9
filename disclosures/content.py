"""The disclosure as the authorized official signs it, in a fixed order (part of the entity
step's signed content, ``onboarding.attested_content.entity_content``).

Dates of birth and SSNs are signed content too, but only the hash of the whole ever leaves
this module.
"""

import json
from typing import Any

from django.db.models import prefetch_related_objects

from disclosures.models import Category, DisclosedParty, Disclosure


def prefetch_disclosure(disclosure: Disclosure) -> None:
    """Load every row of the disclosure onto it (rows already loaded are kept)."""
    prefetch_related_objects(
        [disclosure], "parties", "interests", "family", "other_interests", "convictions"
    )


def _party(party: DisclosedParty) -> dict[str, Any]:
    fields = DisclosedParty.PERSON_FIELDS if party.is_person else DisclosedParty.ORGANIZATION_FIELDS
    row = {"kind": party.kind, **{f: _plain(getattr(party, f)) for f in fields}}
    return row | {f: _plain(getattr(party, f)) for f in DisclosedParty.ROLE_FIELDS}


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, str | bool):
        return value
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _sorted(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda row: json.dumps(row, sort_keys=True))


def disclosure_content(disclosure: Disclosure) -> dict[str, Any]:
    """Every answer and row of the disclosure, people and organizations named by their content
    rather than their database keys (so a copy of it signs the same)."""
    prefetch_disclosure(disclosure)
    parties = {party.pk: _party(party) for party in disclosure.parties.all()}

    def named(pk: int | None) -> Any:
        return parties.get(pk) if pk is not None else None

    return {
        "none": {category: disclosure.says_none(category) for category in Category.values},
        "parties": _sorted(list(parties.values())),
        "interests": _sorted(
            [
                {
                    "holder": named(i.holder_id),
                    "held_in": named(i.held_in_id),
                    "percent": str(i.percent),
                }
                for i in disclosure.interests.all()
            ]
        ),
        "family": _sorted(
            [
                {
                    "person": named(f.person_id),
                    "relationship": f.relationship,
                    "relative": named(f.relative_id),
                }
                for f in disclosure.family.all()
            ]
        ),
        "other_interests": _sorted(
            [
                {
                    "holder": named(o.holder_id),
                    "provider_name": o.provider_name,
                    "provider_identifier": o.provider_identifier,
                    "percent": str(o.percent),
                }
                for o in disclosure.other_interests.all()
            ]
        ),
        "convictions": _sorted(
            [
                {
                    "party": named(c.party_id),
                    "program": c.program,
                    "convicted_on": c.convicted_on.isoformat(),
                    "court": c.court,
                    "details": c.details,
                }
                for c in disclosure.convictions.all()
            ]
        ),
    }
