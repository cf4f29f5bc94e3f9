"""The directory's short cuts serve exactly what the long way serves: affiliations built from a
page's own rows, and content validated once and then served from memory."""

from collections import Counter
from typing import Any

import pytest

from directory import resources
from tests.directory.conftest import MakeProvider
from tests.directory.test_fhir import get

REVINCLUDE = "_revinclude=OrganizationAffiliation:participating-organization"


def included(bundle: dict[str, Any]) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle.get("entry", []) if e["search"]["mode"] == "include"]


@pytest.mark.parametrize("offset", [0, 1, 3])
def test_affiliations_built_from_the_page_are_those_searched_on_their_own(
    make_provider: MakeProvider, offset: int
):
    providers = [make_provider() for _ in range(4)]
    # The plan and its network lead the Organizations: a page may hold both kinds.
    page = get(f"/fhir/Organization?_count=3&_offset={offset}&{REVINCLUDE}")
    on_page = [e["resource"]["id"] for e in page["entry"] if e["search"]["mode"] == "match"]
    wanted = [f"prov-{p.pk}" for p in providers if f"prov-{p.pk}" in on_page]
    assert wanted, "the page should hold at least one provider"
    searched = get(
        "/fhir/OrganizationAffiliation?_count=100&participating-organization="
        + ",".join(f"Organization/{pk}" for pk in wanted)
    )
    assert included(page) == [e["resource"] for e in searched["entry"]]
    assert [a["participatingOrganization"]["reference"] for a in included(page)] == [
        f"Organization/{pk}" for pk in wanted
    ]


def test_what_was_served_once_is_served_again_without_validating_it_again(
    make_provider: MakeProvider, monkeypatch: pytest.MonkeyPatch
):
    """Every builder writes content the model writes back unchanged (no empty element deep
    inside), so the second request of each page validates nothing."""
    make_provider(counties=("alameda", "los_angeles"))
    make_provider(entity_type="fqhc")
    validations: Counter[str] = Counter()
    model_json = resources.model_json

    def counted(model: Any, content: dict[str, Any]) -> dict[str, Any]:
        validations[model.__name__] += 1
        return model_json(model, content)

    monkeypatch.setattr(resources, "model_json", counted)
    resources.VALIDATED.digests.clear()
    pages = [
        f"/fhir/Organization?_count=100&{REVINCLUDE}",
        "/fhir/HealthcareService?_count=100&_include=HealthcareService:coverage-area",
        "/fhir/Location?_count=100",
        "/fhir/PractitionerRole?_count=100&_include=PractitionerRole:practitioner",
        "/fhir/InsurancePlan",
    ]
    first = [get(url) for url in pages]
    assert validations["Organization"]
    assert validations["Practitioner"]
    validations.clear()
    assert [get(url) for url in pages] == first
    # Nothing is validated again, not even the Bundles around them (the same links and total).
    assert not validations
