"""Served content is validated by fhir.resources once per distinct content: the same content is
served from memory, anything new or changed is validated first (a bad change still fails)."""

import pytest
from fhir.resources.R4B.organization import Organization
from pydantic import ValidationError

from directory.resources import VALIDATED, validated, without_none


def remembered(content: dict) -> bool:
    return VALIDATED.digest(Organization, without_none(content)) in VALIDATED


def organization(name: object) -> dict:
    return {"resourceType": "Organization", "id": "memo-test", "name": name, "alias": None}


def test_content_validated_once_is_remembered_and_changed_content_is_validated_again():
    first = validated(Organization, organization("Sunrise Community Services"))
    assert first == {
        "resourceType": "Organization",
        "id": "memo-test",
        "name": "Sunrise Community Services",
    }
    assert remembered(first)
    # The same content again: served as it is, without None elements.
    assert validated(Organization, organization("Sunrise Community Services")) == first
    # Changed content is not in memory: it is validated, and a value of the wrong type fails.
    with pytest.raises(ValidationError):
        validated(Organization, organization({"not": "a string"}))
    assert (
        VALIDATED.digest(Organization, without_none(organization({"not": "a string"})))
        not in VALIDATED
    )


def test_memory_is_bounded_and_forgets_the_oldest_first():
    before = VALIDATED.size
    VALIDATED.size = 2
    try:
        for n in range(3):
            validated(Organization, organization(f"Provider {n}"))
        assert (
            VALIDATED.digest(Organization, without_none(organization("Provider 0")))
            not in VALIDATED
        )
        assert VALIDATED.digest(Organization, without_none(organization("Provider 2"))) in VALIDATED
        assert len(VALIDATED.digests) == 2
    finally:
        VALIDATED.size = before
