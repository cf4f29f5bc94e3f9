"""The public FHIR directory, through HTTP as any anonymous client sees it: every type read and
searched, each resource validated by fhir.resources and checked against what Plan-Net requires
beyond that library, and nothing private ever in a response."""

import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.healthcareservice import HealthcareService
from fhir.resources.R4B.insuranceplan import InsurancePlan
from fhir.resources.R4B.location import Location
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.organization import Organization
from fhir.resources.R4B.organizationaffiliation import OrganizationAffiliation
from fhir.resources.R4B.practitioner import Practitioner
from fhir.resources.R4B.practitionerrole import PractitionerRole

from directory import codes
from onboarding.models import Application, EntityProfile
from portal.roles import Role
from tests.conftest import PASSWORD_ONLY_LOGIN
from tests.directory.conftest import PRIVATE_EMAIL, PRIVATE_TIN, MakeProvider
from tests.factories import OFFICER, VALID_NPI, VALID_TIN, UserFactory

pytestmark = pytest.mark.django_db

PN = "http://hl7.org/fhir/us/davinci-pdex-plan-net"
MODELS: dict[str, Any] = {
    "Organization": Organization,
    "OrganizationAffiliation": OrganizationAffiliation,
    "HealthcareService": HealthcareService,
    "Location": Location,
    "Practitioner": Practitioner,
    "PractitionerRole": PractitionerRole,
    "InsurancePlan": InsurancePlan,
    "Endpoint": None,
}
ORG_TYPES = {"fac", "prvgrp", "payer", "atyprv", "bus"}
ACCEPTING = {"nopt", "newpt", "existptonly", "existptfam"}
# The team's reference note (../shared/reference/plan-net.md beside the checkout), or the copy
# kept with the tests where the checkout stands alone; the copy must say what the note says.
SHARED_REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference" / "plan-net.md"
COPY = Path(__file__).with_name("plan_net_reference.md")
REFERENCE = SHARED_REFERENCE if SHARED_REFERENCE.exists() else COPY


def test_the_copy_of_the_reference_note_is_the_note():
    if not SHARED_REFERENCE.exists():
        pytest.skip("../shared/reference/plan-net.md is not beside this checkout")
    assert COPY.read_text() == SHARED_REFERENCE.read_text()


def get(url: str, status: int = 200) -> dict[str, Any]:
    """GET as an anonymous client; the FHIR JSON body, after checking status and media type."""
    response = Client().get(url)
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/fhir+json")
    body: dict[str, Any] = json.loads(response.content)
    return body


def search(url: str) -> list[dict[str, Any]]:
    """The matches of a search, after validating the Bundle."""
    bundle = get(url)
    Bundle.model_validate(bundle)
    assert bundle["type"] == "searchset"
    return [e["resource"] for e in bundle.get("entry", []) if e["search"]["mode"] == "match"]


def ids(resources: list[dict[str, Any]]) -> set[str]:
    return {r["id"] for r in resources}


def check_plan_net(resource: dict[str, Any]) -> None:
    """What Plan-Net requires that fhir.resources does not check."""
    resource_type = resource["resourceType"]
    MODELS[resource_type].model_validate(resource)
    assert resource["meta"]["profile"][0].startswith(f"{PN}/StructureDefinition/plannet-")
    if resource_type in ("Location", "InsurancePlan", "Endpoint"):
        assert resource["status"] == "active"
    else:
        assert resource["active"] is True
    if resource_type == "Organization":
        type_codes = {c["code"] for t in resource["type"] for c in t["coding"]}
        assert all(
            c["system"] == f"{PN}/CodeSystem/OrgTypeCS"
            for t in resource["type"]
            for c in t["coding"]
        )
        assert resource["name"]
        if "ntwk" in type_codes:
            assert resource["meta"]["profile"] == [f"{PN}/StructureDefinition/plannet-Network"]
            assert type_codes == {"ntwk"}
            assert resource["partOf"]["reference"] == "Organization/plan"
            assert "telecom" not in resource
        else:
            assert type_codes <= ORG_TYPES
            assert resource["address"]
            for identifier in resource.get("identifier", []):
                assert identifier["system"] == "http://hl7.org/fhir/sid/us-npi"
                assert re.fullmatch(r"\d{10}", identifier["value"])
    if resource_type == "Location":
        assert resource["name"]
        assert "mode" not in resource
    if resource_type == "HealthcareService":
        assert resource["category"]
        newpatients = [
            e for e in resource["extension"] if e["url"] == f"{PN}/StructureDefinition/newpatients"
        ]
        assert len(newpatients) == 1
        parts = {p["url"]: p for p in newpatients[0]["extension"]}
        coding = parts["acceptingPatients"]["valueCodeableConcept"]["coding"][0]
        assert coding["system"] == f"{PN}/CodeSystem/AcceptingPatientsCS"
        assert coding["code"] in ACCEPTING
        for specialty in resource["specialty"]:
            assert specialty["coding"][0]["system"] == "http://nucc.org/provider-taxonomy"
    if resource_type == "Practitioner":
        assert resource["identifier"]
        assert resource["name"]
        assert all(q["code"] for q in resource["qualification"])
        assert "telecom" not in resource
        assert "address" not in resource
        assert "birthDate" not in resource
    if resource_type == "PractitionerRole":
        assert resource.get("telecom") or resource.get("endpoint")  # US Core pd-1
        assert resource["code"][0]["coding"][0]["system"] == f"{PN}/CodeSystem/ProviderRoleCS"
        networks = [
            e
            for e in resource["extension"]
            if e["url"] == f"{PN}/StructureDefinition/network-reference"
        ]
        assert len(networks) <= 1
    if resource_type == "InsurancePlan":
        assert resource["type"][0]["coding"][0]["code"] in {"medi", "medihmo"}
        assert resource["ownedBy"]
        assert resource["administeredBy"]
        assert resource["network"]


def test_metadata_instantiates_plan_net_and_lists_every_type_it_serves():
    statement = get("/fhir/metadata")
    CapabilityStatement.model_validate(statement)
    assert statement["instantiates"] == [f"{PN}/CapabilityStatement/plan-net"]
    assert statement["fhirVersion"] == "4.0.1"
    resources = {r["type"]: r for r in statement["rest"][0]["resource"]}
    assert set(resources) == set(MODELS)
    for resource in resources.values():
        assert {i["code"] for i in resource["interaction"]} == {"read", "search-type"}
        names = {p["name"] for p in resource["searchParam"]}
        assert {"_id", "_lastUpdated"} <= names
    assert "Organization:partof" in resources["Organization"]["searchInclude"]
    assert (
        "OrganizationAffiliation:participating-organization"
        in (resources["Organization"]["searchRevInclude"])
    )
    assert "characteristic" in {p["name"] for p in resources["HealthcareService"]["searchParam"]}


def test_every_type_is_searched_and_read_and_each_resource_is_valid_plan_net(
    onboarded_provider: Application, make_provider: MakeProvider
):
    make_provider(entity_type="fqhc", counties=("alameda", "los_angeles"))
    seen: dict[str, set[str]] = {}
    for resource_type in MODELS:
        found = search(f"/fhir/{resource_type}?_count=500")
        seen[resource_type] = ids(found)
        for resource in found:
            assert resource["resourceType"] == resource_type
            check_plan_net(resource)
            assert get(f"/fhir/{resource_type}/{resource['id']}") == resource
    provider = f"prov-{onboarded_provider.pk}"
    assert {"plan", "ecm-network", provider} <= seen["Organization"]
    assert {"county-06037", "county-06001", f"site-{onboarded_provider.pk}"} <= seen["Location"]
    assert f"aff-{onboarded_provider.pk}" in seen["OrganizationAffiliation"]
    assert f"ecm-{onboarded_provider.pk}" in seen["HealthcareService"]
    assert seen["InsurancePlan"] == {"ecm-medi-cal"}
    assert seen["Endpoint"] == set()
    # Licensed members only: the Clinical Consultant and the nurse, not the others.
    assert len(seen["Practitioner"]) == 2 + 1
    assert len(seen["PractitionerRole"]) == 2 + 1


def test_the_provider_is_published_as_reference_section_4_maps_it(
    onboarded_provider: Application,
):
    """The mapping contract is the reference's §4, read from the file: an atypical provider,
    the HL7 ``provider`` role and Case Management Agency specialty in the network, counties as
    Locations referred to by the service's coverage area."""
    section = REFERENCE.read_text().split("## 4.")[1].split("## 5.")[0]
    specialty = re.search(r"specialty `(\d{3}[A-Z]\d{5}X)`", section)
    role = re.search(r"code HL7 `(\w+)`", section)
    cbo_type = re.search(r"type `(\w+)` \(CBO\)", section)
    assert specialty
    assert role
    assert cbo_type
    assert "HealthcareService.coverageArea" in section
    pk = onboarded_provider.pk

    organization = get(f"/fhir/Organization/prov-{pk}")
    assert organization["identifier"] == [
        {"use": "official", "system": "http://hl7.org/fhir/sid/us-npi", "value": VALID_NPI}
    ]
    assert organization["address"][0]["city"] == "Los Angeles"
    assert organization["address"][0]["postalCode"] == "90012"
    # The factories' entity type is an FQHC: a facility. A community-based organization is
    # the atypical provider of the reference.
    assert organization["type"][0]["coding"][0]["code"] == "fac"
    profile = EntityProfile.objects.get(application=onboarded_provider)
    profile.entity_types.set(profile.entity_types.model.objects.filter(code="cbo"))
    organization = get(f"/fhir/Organization/prov-{pk}")
    assert organization["type"][0]["coding"][0]["code"] == cbo_type.group(1)

    affiliation = get(f"/fhir/OrganizationAffiliation/aff-{pk}")
    assert affiliation["participatingOrganization"]["reference"] == f"Organization/prov-{pk}"
    assert affiliation["network"] == [{"reference": "Organization/ecm-network"}]
    assert affiliation["code"][0]["coding"][0] == {
        "system": "http://hl7.org/fhir/organization-role",
        "code": role.group(1),
        "display": "Provider",
    }
    assert affiliation["specialty"][0]["coding"][0]["code"] == specialty.group(1)
    assert affiliation["period"] == {"start": "2026-02-02"}
    assert affiliation["healthcareService"] == [{"reference": f"HealthcareService/ecm-{pk}"}]

    service = get(f"/fhir/HealthcareService/ecm-{pk}")
    assert service["name"] == "Enhanced Care Management"
    assert service["providedBy"]["reference"] == f"Organization/prov-{pk}"
    assert [a["reference"] for a in service["coverageArea"]] == ["Location/county-06037"]
    county = get("/fhir/Location/county-06037")
    assert county["name"] == "Los Angeles County"
    assert county["address"] == {"district": "Los Angeles County", "state": "CA", "country": "US"}
    assert service["characteristic"][0]["coding"][0] == {
        "system": codes.populations_of_focus(),
        "code": "1a",
        "display": "Adults experiencing homelessness",
    }
    assert [c["coding"][0]["code"] for c in service["communication"]] == ["en", "es"]
    newpatients = service["extension"][0]["extension"]
    assert newpatients[0]["valueCodeableConcept"]["coding"][0]["code"] == "newpt"
    assert newpatients[1]["valueReference"] == {"reference": "Organization/ecm-network"}

    network = get("/fhir/Organization/ecm-network")
    assert network["extension"][0]["valueReference"]["reference"] == "Location/county-06037"
    plan = get("/fhir/Organization/plan")
    assert plan["type"][0]["coding"][0]["code"] == "payer"


def test_no_capacity_left_is_not_accepting_new_members(make_provider: MakeProvider):
    provider = make_provider(capacity=0)
    service = get(f"/fhir/HealthcareService/ecm-{provider.pk}")
    accepting = service["extension"][0]["extension"][0]["valueCodeableConcept"]
    assert accepting["coding"][0]["code"] == "nopt"
    assert search("/fhir/HealthcareService?_id=ecm-" + str(provider.pk))


def test_nothing_private_is_in_any_response(onboarded_provider: Application):
    """No TIN, SSN, date of birth, home address, personal email, licence number or capacity."""
    client = Client()
    bodies = [client.get("/fhir/metadata").content.decode()]
    for resource_type in MODELS:
        url = f"/fhir/{resource_type}?_count=500"
        bodies.append(client.get(url).content.decode())
    text = "\n".join(bodies)
    assert "Chris Worker" in text  # the check below reads real content
    # Timestamps and the NPI may hold any digits; what is left must hold none of the secrets.
    without_npi = re.sub(r'"lastUpdated": "[^"]*"', "", text).replace(VALID_NPI, "")
    for private in (
        VALID_TIN,
        PRIVATE_TIN,
        OFFICER["ssn"],
        "1975-04-12",
        "1975",
        OFFICER["home_address"],
        "12 Elm St",
        PRIVATE_EMAIL,
        "ana@sunrise.example",
        "RN998877",
        "LCS12345",
        "120",  # the attested capacity
    ):
        assert str(private) not in without_npi, private


@pytest.mark.parametrize(
    "status",
    [
        Application.Status.SUSPENDED,
        Application.Status.TERMINATED,
        Application.Status.APPROVED,
        Application.Status.IN_REVIEW,
    ],
)
def test_a_provider_not_active_is_not_published(make_provider: MakeProvider, status: str):
    shown = make_provider()
    hidden = make_provider(status=status, counties=("yolo",))
    for resource_type, prefix in (
        ("Organization", "prov"),
        ("Location", "site"),
        ("OrganizationAffiliation", "aff"),
        ("HealthcareService", "ecm"),
    ):
        get(f"/fhir/{resource_type}/{prefix}-{hidden.pk}", status=404)
        found = ids(search(f"/fhir/{resource_type}?_count=500"))
        assert f"{prefix}-{shown.pk}" in found
        assert f"{prefix}-{hidden.pk}" not in found
    people = search("/fhir/Practitioner?_count=500")
    assert {p["name"][0]["text"] for p in people} == {f"Casey Clinician{shown.pk}"} or all(
        str(hidden.pk) not in p["name"][0]["text"] for p in people
    )
    get("/fhir/Location/county-06113", status=404)  # Yolo: served only by the hidden provider


def test_conditional_approval_is_published_and_suspension_takes_it_off_at_once(
    make_provider: MakeProvider,
):
    provider = make_provider(status=Application.Status.CONDITIONAL)
    get(f"/fhir/Organization/prov-{provider.pk}")
    Application.objects.filter(pk=provider.pk).update(status=Application.Status.SUSPENDED)
    get(f"/fhir/Organization/prov-{provider.pk}", status=404)


def test_an_approved_change_is_served_by_the_next_request(make_provider: MakeProvider):
    provider = make_provider(name="Old Name Services")
    assert get(f"/fhir/Organization/prov-{provider.pk}")["name"] == "Old Name Services"
    EntityProfile.objects.filter(application=provider).update(
        legal_name="New Name Services", service_address="9 Oak Ave, Fresno, CA 93721"
    )
    organization = get(f"/fhir/Organization/prov-{provider.pk}")
    assert organization["name"] == "New Name Services"
    assert organization["address"][0]["city"] == "Fresno"


def test_searches_by_each_kind_of_parameter(make_provider: MakeProvider):
    cbo = make_provider(name="Harbor Outreach", counties=("los_angeles",), populations=("1a",))
    clinic = make_provider(
        name="Valley Clinic",
        entity_type="fqhc",
        counties=("fresno",),
        populations=("4a",),
        address="9 Oak Ave, Fresno, CA 93721",
    )
    a, b = f"prov-{cbo.pk}", f"prov-{clinic.pk}"
    assert ids(search("/fhir/Organization?name=harbor")) == {a}
    assert ids(search("/fhir/Organization?name:contains=clinic")) == {b}
    assert ids(search("/fhir/Organization?name:exact=Valley Clinic")) == {b}
    npi = get(f"/fhir/Organization/{b}")["identifier"][0]["value"]
    assert ids(search(f"/fhir/Organization?identifier=http://hl7.org/fhir/sid/us-npi|{npi}")) == {b}
    org_type = f"{PN}/CodeSystem/OrgTypeCS"
    assert ids(search(f"/fhir/Organization?type={org_type}|fac")) == {b}
    assert ids(search("/fhir/Organization?type=atyprv")) == {a}
    assert ids(search("/fhir/Organization?type=payer")) == {"plan"}
    assert ids(search("/fhir/Organization?type=ntwk")) == {"ecm-network"}
    assert ids(search("/fhir/Organization?type=fac,payer")) == {b, "plan"}
    assert ids(search("/fhir/Organization?partof=Organization/plan")) == {"ecm-network"}
    assert ids(search("/fhir/Organization?coverage-area=Location/county-06019")) == {"ecm-network"}
    assert ids(search("/fhir/Organization?address=Fresno")) == {b}
    assert ids(search(f"/fhir/Organization?_id={a},plan")) == {a, "plan"}
    assert ids(search("/fhir/Location?address-city=Fresno")) == {f"site-{clinic.pk}"}
    assert ids(search("/fhir/Location?address-postalcode=90013")) == {f"site-{cbo.pk}"}
    assert len(search("/fhir/Location?address-state=CA")) == 4  # two sites, two counties
    assert ids(search(f"/fhir/Location?organization=Organization/{a}")) == {f"site-{cbo.pk}"}
    fresno = "Location/county-06019"
    assert ids(search(f"/fhir/HealthcareService?coverage-area={fresno}")) == {f"ecm-{clinic.pk}"}
    populations = codes.populations_of_focus()
    assert ids(search(f"/fhir/HealthcareService?characteristic={populations}|4a")) == {
        f"ecm-{clinic.pk}"
    }
    assert len(search("/fhir/HealthcareService?specialty=251B00000X")) == 2
    assert search("/fhir/HealthcareService?specialty=207Q00000X") == []
    assert ids(search(f"/fhir/HealthcareService?organization={b}")) == {f"ecm-{clinic.pk}"}
    assert len(search("/fhir/OrganizationAffiliation?network=Organization/ecm-network")) == 2
    assert ids(search(f"/fhir/OrganizationAffiliation?participating-organization={a}")) == {
        f"aff-{cbo.pk}"
    }
    assert len(search("/fhir/OrganizationAffiliation?role=provider")) == 2
    assert len(search(f"/fhir/PractitionerRole?role={PN}/CodeSystem/ProviderRoleCS|sw")) == 2
    assert search("/fhir/PractitionerRole?role=rn") == []
    assert len(search("/fhir/PractitionerRole?specialty=1041C0700X")) == 2
    assert len(search(f"/fhir/PractitionerRole?organization={b}")) == 1
    assert len(search("/fhir/Practitioner?family=clinician")) == 2
    assert search("/fhir/Practitioner?given=Lee") == []  # not licensed: not published
    today = timezone.localdate()
    assert len(search(f"/fhir/Organization?_lastUpdated=ge{today - timedelta(days=1)}")) == 2
    assert search(f"/fhir/Organization?_lastUpdated=gt{today + timedelta(days=1)}") == []
    assert ids(search("/fhir/InsurancePlan?type=medihmo")) == {"ecm-medi-cal"}


def test_include_and_revinclude(make_provider: MakeProvider):
    provider = make_provider()
    pk = provider.pk
    bundle = get(
        f"/fhir/OrganizationAffiliation?_id=aff-{pk}"
        "&_include=OrganizationAffiliation:participating-organization"
        "&_include=OrganizationAffiliation:network&_include=OrganizationAffiliation:service"
    )
    included = {
        f"{e['resource']['resourceType']}/{e['resource']['id']}"
        for e in bundle["entry"]
        if e["search"]["mode"] == "include"
    }
    assert included == {
        f"Organization/prov-{pk}",
        "Organization/ecm-network",
        f"HealthcareService/ecm-{pk}",
    }
    assert bundle["total"] == 1
    bundle = get(
        f"/fhir/Organization?_id=prov-{pk}"
        "&_revinclude=OrganizationAffiliation:participating-organization"
        "&_revinclude=PractitionerRole:organization&_revinclude=HealthcareService:organization"
    )
    modes = {(e["resource"]["resourceType"], e["search"]["mode"]) for e in bundle["entry"]}
    assert modes == {
        ("Organization", "match"),
        ("OrganizationAffiliation", "include"),
        ("PractitionerRole", "include"),
        ("HealthcareService", "include"),
    }
    bundle = get("/fhir/HealthcareService?_include=HealthcareService:coverage-area")
    assert "Location/county-06037" in [
        f"Location/{e['resource']['id']}"
        for e in bundle["entry"]
        if e["search"]["mode"] == "include"
    ]
    bundle = get("/fhir/Location?_id=county-06037&_revinclude=HealthcareService:coverage-area")
    assert [e["resource"]["id"] for e in bundle["entry"]] == ["county-06037", f"ecm-{pk}"]
    bundle = get("/fhir/PractitionerRole?_include=PractitionerRole:practitioner")
    assert {e["resource"]["resourceType"] for e in bundle["entry"]} == {
        "PractitionerRole",
        "Practitioner",
    }


def test_pages_follow_next_links_to_the_end(make_provider: MakeProvider):
    made = {f"prov-{make_provider().pk}" for _ in range(5)}
    url = "/fhir/Organization?_count=2"
    collected: list[str] = []
    pages = 0
    while url:
        bundle = get(url)
        assert bundle["total"] == 7  # the plan, its network and the five providers
        links = {link["relation"]: link["url"] for link in bundle["link"]}
        assert "self" in links
        collected += [e["resource"]["id"] for e in bundle.get("entry", [])]
        url = links.get("next", "").removeprefix("http://testserver")
        pages += 1
    assert pages == 4
    assert collected[:2] == ["plan", "ecm-network"]
    assert set(collected[2:]) == made
    assert len(collected) == 7
    assert get("/fhir/Organization?_count=0")["total"] == 7
    assert "entry" not in get("/fhir/Organization?_count=0")


@pytest.mark.parametrize(
    "url",
    [
        "/fhir/Organization?unknown=1",
        "/fhir/Organization?name:fuzzy=x",
        "/fhir/Organization?_count=-1",
        "/fhir/Organization?_count=abc",
        "/fhir/Organization?_offset=1e3",
        "/fhir/Organization?_lastUpdated=yesterday",
        "/fhir/Organization?_lastUpdated=2026-13-45",
        "/fhir/Organization?partof=Patient/1",
        "/fhir/Organization?partof=%00",
        "/fhir/Organization?name=",
        "/fhir/Organization?name=" + "x" * 300,
        "/fhir/Organization?_include=Organization:name",
        "/fhir/Organization?_include=*",
        "/fhir/Organization?_revinclude=Patient:organization",
        "/fhir/Organization?organization.name=x",
        "/fhir/Organization?_sort=name",
        "/fhir/Organization?_format=xml",
        "/fhir/HealthcareService?coverage-area=Location/../../etc",
    ],
)
def test_a_bad_search_is_refused_with_an_operation_outcome(url: str):
    outcome = get(url, status=400)
    OperationOutcome.model_validate(outcome)
    assert outcome["issue"][0]["severity"] == "error"


@pytest.mark.parametrize(
    "url",
    [
        "/fhir/Organization/prov-999999",
        "/fhir/Organization/prov-99999999999999999999999999",
        "/fhir/Organization/nothing",
        "/fhir/Organization/a%20b",
        "/fhir/Organization/a/b",
        "/fhir/Organization/plan%0A",
        "/fhir/Location/county-06999",
        "/fhir/Patient/1",
        "/fhir/Patient",
    ],
)
def test_an_unknown_id_or_type_is_a_404_operation_outcome(url: str):
    OperationOutcome.model_validate(get(url, status=404))


def test_only_get_is_allowed_and_needs_no_csrf_token():
    response = Client(enforce_csrf_checks=True).post("/fhir/Organization", {"name": "x"})
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    OperationOutcome.model_validate(json.loads(response.content))


def test_staff_reach_it_without_their_second_factor():
    """The directory is public: the staff second-factor check does not stand in the way."""
    reviewer = UserFactory.create(groups=[Role.REVIEWER.value])
    client = Client()
    PASSWORD_ONLY_LOGIN(client, reviewer)
    assert client.get("/fhir/metadata").status_code == 200


def test_county_ids_are_their_fips_codes():
    assert codes.COUNTY_FIPS["alameda"] == "06001"
    assert codes.COUNTY_FIPS["los_angeles"] == "06037"
    assert codes.COUNTY_FIPS["san_bernardino"] == "06071"
    assert codes.COUNTY_FIPS["san_francisco"] == "06075"
    assert codes.COUNTY_FIPS["yuba"] == "06115"


@pytest.mark.parametrize(
    "url",
    [
        "/fhir/Organization?_count=100",
        "/fhir/Organization?_count=100&_revinclude=OrganizationAffiliation:participating-organization",
        "/fhir/HealthcareService?_count=100&_include=HealthcareService:coverage-area",
        "/fhir/OrganizationAffiliation?_count=100&_include=OrganizationAffiliation:location",
        "/fhir/Location?_count=100",
        "/fhir/PractitionerRole?_count=100&_include=PractitionerRole:practitioner",
        "/fhir/Practitioner?_count=100&name=casey",
    ],
)
def test_a_page_costs_the_same_queries_for_2_and_for_12_providers(
    make_provider: MakeProvider, url: str
):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            get(url)
        return len(captured)

    for _ in range(2):
        make_provider()
    with_two = queries()
    for _ in range(10):
        make_provider()
    assert queries() == with_two
