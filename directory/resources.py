"""The FHIR resources of the directory, each built with ``fhir.resources`` (R4B) and returned as
its JSON, so that whatever is served has passed the library's validation.

What is published is listed field by field below and nothing else: never a TIN, a date of
birth, an SSN, a home address, a person's email, a licence number, a capacity figure, screening
results, notes or disclosures (reference §4 "Never publish").
"""

import hashlib
import re
import threading
from collections import OrderedDict
from datetime import UTC, date, datetime
from typing import Any

from django.conf import settings
from fhir.resources.R4B.healthcareservice import HealthcareService
from fhir.resources.R4B.insuranceplan import InsurancePlan
from fhir.resources.R4B.location import Location
from fhir.resources.R4B.organization import Organization
from fhir.resources.R4B.organizationaffiliation import OrganizationAffiliation
from fhir.resources.R4B.practitioner import Practitioner
from fhir.resources.R4B.practitionerrole import PractitionerRole
from fhir.resources.R4B.resource import Resource

from directory import codes
from onboarding.models import Application, CareTeamMember
from onboarding.reference import CareSetting, County, PopulationOfFocus

JSON = dict[str, Any]

PLAN_ID = "plan"
NETWORK_ID = "ecm-network"
INSURANCE_PLAN_ID = "ecm-medi-cal"
SERVICE_NAME = "Enhanced Care Management"
# "100 Main St, Los Angeles, CA 90012": the state and ZIP code end a one-line address.
STATE_AND_ZIP = re.compile(r"^([A-Za-z]{2})\s+(\d{5}(?:-\d{4})?)$")
IN_PERSON_SETTINGS = {
    CareSetting.STREET,
    CareSetting.SHELTER,
    CareSetting.HOME,
    CareSetting.CLINIC,
    CareSetting.HOSPITAL,
    CareSetting.OTHER,
}


def validated(model: type[Resource], data: JSON) -> JSON:
    """``data`` checked by the library's model of its resource type, as JSON.

    Validating a resource costs about a millisecond, and a page of a hundred providers with
    their affiliations holds two hundred. So content the model has validated before, and that
    came back from it unchanged, is remembered by its digest (``VALIDATED``): the same content
    again is served as it is, anything new or changed is validated first.
    """
    content = without_none(data)
    digest = VALIDATED.digest(model, content)
    if digest in VALIDATED:
        return content
    dumped = model_json(model, content)
    if dumped == content:
        VALIDATED.add(digest)
    return dumped


def model_json(model: type[Resource], content: JSON) -> JSON:
    """``content`` validated by ``model``, and written back as the model writes it."""
    dumped: JSON = model.model_validate(content).model_dump(mode="json", exclude_none=True)
    return dumped


def without_none(content: JSON) -> JSON:
    """``content`` without the elements a builder leaves out (set to None), as the model's JSON
    leaves them out.

    Builders leave out only top-level elements, so only those are looked at. A None deeper
    down would still be served right, since the model's JSON (``exclude_none``) would then
    differ from the content: it is served, but not remembered.
    """
    return {key: value for key, value in content.items() if value is not None}


class ValidatedDigests:
    """The digests of the most recent content validated, at most ``size`` (per process)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.digests: OrderedDict[bytes, None] = OrderedDict()
        self.lock = threading.Lock()

    @staticmethod
    def digest(model: type[Resource], content: JSON) -> bytes:
        """Of the content as Python writes it (``repr``), three times faster than its JSON: the
        same builder writes the same content in the same order, and content written in another
        order is only validated once more."""
        return hashlib.blake2b(f"{model.__name__}:{content!r}".encode(), digest_size=16).digest()

    def __contains__(self, digest: bytes) -> bool:
        with self.lock:
            if digest not in self.digests:
                return False
            self.digests.move_to_end(digest)
            return True

    def add(self, digest: bytes) -> None:
        with self.lock:
            self.digests[digest] = None
            while len(self.digests) > self.size:
                self.digests.popitem(last=False)


VALIDATED = ValidatedDigests(size=50_000)  # about 4 MB: every resource of 10,000 providers


def meta(profile_name: str, last_updated: datetime | None = None) -> JSON:
    data: JSON = {"profile": [codes.profile(profile_name)]}
    if last_updated is not None:
        # In UTC, written as the model writes it ("Z"), so validated content is remembered.
        data["lastUpdated"] = last_updated.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return data


def reference(resource_type: str, resource_id: str, display: str = "") -> JSON:
    data: JSON = {"reference": f"{resource_type}/{resource_id}"}
    if display:
        data["display"] = display
    return data


def concept(system: str, code: str, display: str) -> JSON:
    return {"coding": [{"system": system, "code": code, "display": display}], "text": display}


def address(text: str) -> JSON:
    """A one-line address as FHIR: always the text, and its parts where they can be told."""
    data: JSON = {"use": "work", "type": "physical", "text": text, "country": "US"}
    parts = [part.strip() for part in text.split(",") if part.strip()]
    match = STATE_AND_ZIP.match(parts[-1]) if len(parts) >= 3 else None
    if match:
        data["line"] = parts[:-2]
        data["city"] = parts[-2]
        data["state"] = match.group(1).upper()
        data["postalCode"] = match.group(2)
    return data


def work_phone(number: str) -> list[JSON]:
    return [{"system": "phone", "value": number, "use": "work"}] if number.strip() else []


def communication(text: str) -> list[JSON]:
    found: list[JSON] = []
    for tag, name in codes.languages(text):
        if tag is None:
            found.append({"text": name})
        else:
            found.append(
                {"coding": [{"system": codes.LANGUAGE, "code": tag, "display": name}], "text": name}
            )
    return found


# The plan, its network and its Medi-Cal product.


def plan_telecom() -> list[JSON]:
    """The plan's ECM network contacts (PLAN_CONTACT_PHONE and PLAN_CONTACT_EMAIL)."""
    telecom = work_phone(settings.PLAN_CONTACT_PHONE)
    if settings.PLAN_CONTACT_EMAIL:
        telecom.append({"system": "email", "value": settings.PLAN_CONTACT_EMAIL, "use": "work"})
    return telecom


def plan_organization() -> JSON:
    """The health plan itself, an Organization of type ``payer``."""
    telecom = plan_telecom()
    return validated(
        Organization,
        {
            "resourceType": "Organization",
            "id": PLAN_ID,
            "meta": meta("plannet-Organization"),
            "active": True,
            "type": [concept(codes.ORG_TYPE, "payer", codes.ORG_TYPE_LABELS["payer"])],
            "name": settings.PLAN_NAME,
            "telecom": telecom or None,
            # Plan-Net asks for an address; the portal knows the plan's state, not its street.
            "address": [{"use": "work", "state": "CA", "country": "US"}],
        },
    )


def network_organization(counties: list[str]) -> JSON:
    """The plan's ECM network (a Plan-Net Network), covering the counties served."""
    return validated(
        Organization,
        {
            "resourceType": "Organization",
            "id": NETWORK_ID,
            "meta": meta("plannet-Network"),
            "extension": [
                {
                    "url": codes.extension("location-reference"),
                    "valueReference": county_reference(county),
                }
                for county in counties
            ]
            or None,
            "active": True,
            "type": [concept(codes.ORG_TYPE, "ntwk", codes.ORG_TYPE_LABELS["ntwk"])],
            "name": f"{settings.PLAN_NAME} Enhanced Care Management Network",
            "partOf": reference("Organization", PLAN_ID, settings.PLAN_NAME),
        },
    )


def insurance_plan(counties: list[str]) -> JSON:
    """The plan's Medi-Cal product, whose network the ECM network is."""
    return validated(
        InsurancePlan,
        {
            "resourceType": "InsurancePlan",
            "id": INSURANCE_PLAN_ID,
            "meta": meta("plannet-InsurancePlan"),
            "status": "active",
            "type": [concept(codes.INSURANCE_PRODUCT_TYPE, "medihmo", "Medicaid HMO")],
            "name": f"{settings.PLAN_NAME} Medi-Cal",
            "ownedBy": reference("Organization", PLAN_ID, settings.PLAN_NAME),
            "administeredBy": reference("Organization", PLAN_ID, settings.PLAN_NAME),
            "coverageArea": [county_reference(county) for county in counties] or None,
            "network": [reference("Organization", NETWORK_ID)],
        },
    )


def county_reference(county: str) -> JSON:
    return reference("Location", codes.county_location_id(county), f"{County(county).label} County")


def county_location(county: str) -> JSON:
    """One California county the network covers, as a Location (reference §4)."""
    name = f"{County(county).label} County"
    return validated(
        Location,
        {
            "resourceType": "Location",
            "id": codes.county_location_id(county),
            "meta": meta("plannet-Location"),
            "status": "active",
            "name": name,
            "address": {"district": name, "state": "CA", "country": "US"},
            "physicalType": concept(codes.LOCATION_PHYSICAL_TYPE, "jdn", "Jurisdiction"),
        },
    )


# One provider: its Organization, service site, affiliation and ECM service.


def provider_id(application: Application) -> str:
    return f"prov-{application.pk}"


def site_id(application: Application) -> str:
    return f"site-{application.pk}"


def affiliation_id(application: Application) -> str:
    return f"aff-{application.pk}"


def service_id(application: Application) -> str:
    return f"ecm-{application.pk}"


def provider_name(application: Application) -> str:
    profile = getattr(application, "entity_profile", None)
    return (profile.legal_name if profile else "") or application.organization.legal_name


def service_address(application: Application) -> str:
    profile = getattr(application, "entity_profile", None)
    return profile.service_address.strip() if profile else ""


def provider_phone(application: Application) -> str:
    profile = getattr(application, "entity_profile", None)
    return profile.contact_phone if profile else ""


def provider_counties(application: Application) -> list[str]:
    profile = getattr(application, "entity_profile", None)
    return sorted(row.county for row in profile.counties.all()) if profile else []


def last_updated(row: Application | CareTeamMember) -> datetime | None:
    value: datetime | None = getattr(row, "last_updated", None)
    return value


def provider_organization(application: Application) -> JSON:
    """An ECM provider: its name, NPI, kind, public business address and work phone."""
    profile = getattr(application, "entity_profile", None)
    entity_types = {t.code for t in profile.entity_types.all()} if profile else set()
    npi = profile.npi if profile else ""
    street = service_address(application)
    return validated(
        Organization,
        {
            "resourceType": "Organization",
            "id": provider_id(application),
            "meta": meta("plannet-Organization", last_updated(application)),
            "identifier": [{"use": "official", "system": codes.NPI, "value": npi}] if npi else None,
            "active": True,
            "type": [
                concept(codes.ORG_TYPE, code, codes.ORG_TYPE_LABELS[code])
                for code in codes.organization_types(entity_types)
            ],
            "name": provider_name(application),
            "alias": [profile.dba_name] if profile and profile.dba_name else None,
            "telecom": work_phone(provider_phone(application)) or None,
            # Plan-Net requires an address: a provider without a service address still has its
            # state, as every provider the plan contracts with is in California.
            "address": [address(street) if street else {"state": "CA", "country": "US"}],
        },
    )


def provider_site(application: Application) -> JSON:
    """Where the provider delivers services (its service address), as a Location."""
    return validated(
        Location,
        {
            "resourceType": "Location",
            "id": site_id(application),
            "meta": meta("plannet-Location", last_updated(application)),
            "status": "active",
            "name": provider_name(application),
            "telecom": work_phone(provider_phone(application)) or None,
            "address": address(service_address(application)),
            "managingOrganization": reference(
                "Organization", provider_id(application), provider_name(application)
            ),
        },
    )


def affiliation_period(application: Application) -> JSON | None:
    start: date | None = application.effective_date
    if start is None and application.decided_at is not None:
        start = application.decided_at.date()
    return {"start": start.isoformat()} if start else None


def provider_affiliation(application: Application) -> JSON:
    """The provider's place in the ECM network, from its approval onward."""
    site = [reference("Location", site_id(application))] if service_address(application) else None
    return validated(
        OrganizationAffiliation,
        {
            "resourceType": "OrganizationAffiliation",
            "id": affiliation_id(application),
            "meta": meta("plannet-OrganizationAffiliation", last_updated(application)),
            "active": True,
            "period": affiliation_period(application),
            "organization": reference("Organization", PLAN_ID, settings.PLAN_NAME),
            "participatingOrganization": reference(
                "Organization", provider_id(application), provider_name(application)
            ),
            "network": [reference("Organization", NETWORK_ID)],
            "code": [concept(codes.ORGANIZATION_ROLE, "provider", "Provider")],
            "specialty": [concept(codes.NUCC, *codes.CASE_MANAGEMENT_AGENCY)],
            "location": site,
            "healthcareService": [reference("HealthcareService", service_id(application))],
            "telecom": work_phone(provider_phone(application)) or None,
        },
    )


def accepting_new_patients(application: Application) -> str:
    """``newpt`` while the provider has room for members in at least one county (its attested
    capacity is above zero there), else ``nopt``. The figures themselves stay private."""
    has_room = any(row.member_capacity > 0 for row in application.capacities.all())
    return "newpt" if has_room else "nopt"


def delivery_methods(application: Application) -> list[JSON]:
    """In person and/or by telephone or video, from the care settings the provider attested."""
    attestation = getattr(application, "capability_attestation", None)
    settings_attested = set(attestation.care_settings) if attestation else set()
    methods: list[JSON] = []
    if settings_attested & IN_PERSON_SETTINGS:
        methods.append(
            {
                "url": codes.extension("delivery-method"),
                "extension": [
                    {
                        "url": "type",
                        "valueCodeableConcept": concept(
                            codes.DELIVERY_METHOD, "physical", "Physical"
                        ),
                    }
                ],
            }
        )
    modalities = [
        concept(codes.VIRTUAL_MODALITIES, code, display)
        for setting, code, display in (
            (CareSetting.TELEPHONIC, "phone", "Voice Telephone"),
            (CareSetting.VIDEO, "video", "Video Chat"),
        )
        if setting in settings_attested
    ]
    if modalities:
        methods.append(
            {
                "url": codes.extension("delivery-method"),
                "extension": [
                    {
                        "url": "type",
                        "valueCodeableConcept": concept(
                            codes.DELIVERY_METHOD, "virtual", "Virtual"
                        ),
                    },
                    *(
                        {"url": "virtualModalities", "valueCodeableConcept": modality}
                        for modality in modalities
                    ),
                ],
            }
        )
    return methods


def provider_service(application: Application) -> JSON:
    """The provider's Enhanced Care Management service: populations of focus, counties covered,
    languages, how it is delivered and whether it takes new members."""
    attestation = getattr(application, "capability_attestation", None)
    accepting = accepting_new_patients(application)
    ecm = concept(codes.ecm_service(), *codes.ECM_SERVICE_CODE)
    return validated(
        HealthcareService,
        {
            "resourceType": "HealthcareService",
            "id": service_id(application),
            "meta": meta("plannet-HealthcareService", last_updated(application)),
            "extension": [
                {
                    "url": codes.extension("newpatients"),
                    "extension": [
                        {
                            "url": "acceptingPatients",
                            "valueCodeableConcept": concept(
                                codes.ACCEPTING_PATIENTS,
                                accepting,
                                "Accepting patients" if accepting == "newpt" else "Not accepting",
                            ),
                        },
                        {
                            "url": "fromNetwork",
                            "valueReference": reference("Organization", NETWORK_ID),
                        },
                    ],
                },
                *delivery_methods(application),
            ],
            "active": True,
            "providedBy": reference(
                "Organization", provider_id(application), provider_name(application)
            ),
            "category": [ecm],
            "type": [ecm],
            "specialty": [concept(codes.NUCC, *codes.CASE_MANAGEMENT_AGENCY)],
            "location": [reference("Location", site_id(application))]
            if service_address(application)
            else None,
            "name": SERVICE_NAME,
            "telecom": work_phone(provider_phone(application)) or None,
            "coverageArea": [county_reference(c) for c in provider_counties(application)] or None,
            "characteristic": [
                concept(
                    codes.populations_of_focus(),
                    row.population,
                    codes.population_label(row.population),
                )
                for row in application.populations.all()
                if row.population in PopulationOfFocus.values
            ]
            or None,
            "communication": communication(attestation.languages_offered if attestation else "")
            or None,
        },
    )


# The licensed members of a provider's care team: name, licence type and role; work contact
# through the organization only.


def practitioner_id(member: CareTeamMember) -> str:
    return f"pract-{member.pk}"


def practitioner_role_id(member: CareTeamMember) -> str:
    return f"role-{member.pk}"


def practitioner(member: CareTeamMember) -> JSON:
    """A licensed care-team member: name, licence type (never its number) and languages."""
    words = member.full_name.split()
    qualification: JSON = {"code": {"text": member.license_type or "Licensed"}}
    if member.license_state:
        qualification["issuer"] = {"display": f"State of {member.license_state.upper()}"}
    return validated(
        Practitioner,
        {
            "resourceType": "Practitioner",
            "id": practitioner_id(member),
            "meta": meta("plannet-Practitioner", last_updated(member)),
            "identifier": [{"system": codes.care_team_member_ids(), "value": str(member.pk)}],
            "active": True,
            "name": [
                {
                    "use": "official",
                    "text": " ".join(words),
                }
                | ({"family": words[-1]} if words else {})
                | ({"given": words[:-1]} if words[:-1] else {})
            ],
            "qualification": [qualification],
            "communication": communication(member.languages) or None,
        },
    )


def practitioner_role(member: CareTeamMember) -> JSON:
    """The member's role at the provider, in the ECM network, with the provider's work phone."""
    application = member.application
    role_code, role_display, specialty_code, specialty_display = codes.licence_role(
        member.license_type
    )
    return validated(
        PractitionerRole,
        {
            "resourceType": "PractitionerRole",
            "id": practitioner_role_id(member),
            "meta": meta("plannet-PractitionerRole", last_updated(member)),
            "extension": [
                {
                    "url": codes.extension("network-reference"),
                    "valueReference": reference("Organization", NETWORK_ID),
                }
            ],
            "active": True,
            "practitioner": reference("Practitioner", practitioner_id(member), member.full_name),
            "organization": reference("Organization", provider_id(application)),
            "code": [concept(codes.PROVIDER_ROLE, role_code, role_display)],
            "specialty": [concept(codes.NUCC, specialty_code, specialty_display)],
            "location": [reference("Location", site_id(application))]
            if service_address(application)
            else None,
            "healthcareService": [reference("HealthcareService", service_id(application))],
            # US Core asks a role for a contact: the provider's work phone, or else the plan's
            # network contacts. Never the member's own email or phone.
            "telecom": work_phone(provider_phone(application)) or plan_telecom() or None,
        },
    )
