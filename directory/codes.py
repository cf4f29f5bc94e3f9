"""The code systems, profiles and identifiers the directory publishes, in one place.

Plan-Net's own codes are quoted from the implementation guide (1.2.0); the plan's code systems
(populations of focus, the ECM service) live under the portal's address, because no published
code system has them.
"""

from django.conf import settings

from onboarding.reference import County, PopulationOfFocus

PLAN_NET = "http://hl7.org/fhir/us/davinci-pdex-plan-net"
CAPABILITY_STATEMENT = f"{PLAN_NET}/CapabilityStatement/plan-net"


def profile(name: str) -> str:
    """The canonical URL of a Plan-Net profile, e.g. ``plannet-Organization``."""
    return f"{PLAN_NET}/StructureDefinition/{name}"


def extension(name: str) -> str:
    """The canonical URL of a Plan-Net extension, e.g. ``newpatients``."""
    return f"{PLAN_NET}/StructureDefinition/{name}"


def code_system(name: str) -> str:
    """The canonical URL of a Plan-Net code system, e.g. ``OrgTypeCS``."""
    return f"{PLAN_NET}/CodeSystem/{name}"


ORG_TYPE = code_system("OrgTypeCS")
ACCEPTING_PATIENTS = code_system("AcceptingPatientsCS")
PROVIDER_ROLE = code_system("ProviderRoleCS")
INSURANCE_PRODUCT_TYPE = code_system("InsuranceProductTypeCS")
DELIVERY_METHOD = code_system("DeliveryMethodCS")
VIRTUAL_MODALITIES = code_system("VirtualModalitiesCS")
ORGANIZATION_ROLE = "http://hl7.org/fhir/organization-role"
NPI = "http://hl7.org/fhir/sid/us-npi"
NUCC = "http://nucc.org/provider-taxonomy"
LANGUAGE = "urn:ietf:bcp:47"
LOCATION_PHYSICAL_TYPE = "http://terminology.hl7.org/CodeSystem/location-physical-type"

# Provider taxonomy (NUCC) codes the directory uses: every ECM provider is a case management
# agency in the network (reference §4), whatever kind of organization it is.
CASE_MANAGEMENT_AGENCY = ("251B00000X", "Case Management Agency")


def plan_code_system(name: str) -> str:
    """A code system of the plan's own, under the portal's public address."""
    return f"{settings.SITE_URL.rstrip('/')}/fhir/CodeSystem/{name}"


def populations_of_focus() -> str:
    """DHCS's ECM populations of focus (1a … 9b), published in ``characteristic``."""
    return plan_code_system("ecm-population-of-focus")


def ecm_service() -> str:
    """The plan's service code: Enhanced Care Management (category and type of the service)."""
    return plan_code_system("ecm-service")


def care_team_member_ids() -> str:
    """The identifier system of the care-team members the plan publishes."""
    return f"{settings.SITE_URL.rstrip('/')}/fhir/sid/care-team-member"


ECM_SERVICE_CODE = ("ecm", "Enhanced Care Management")

# Entity types (onboarding.reference.ENTITY_TYPES) that are health-care facilities or provider
# groups; every other kind (community-based organizations, agencies, programs) is an atypical
# provider, which is how Plan-Net describes organizations that give non-clinical services.
FACILITY_ENTITY_TYPES = frozenset(
    {
        "fqhc",
        "community_health_center",
        "hospital",
        "rural_health_clinic",
        "community_mental_health_center",
        "skilled_nursing_facility",
        "school_based_health_center",
        "cbas",
    }
)
PROVIDER_GROUP_ENTITY_TYPES = frozenset({"physician_group"})
ORG_TYPE_LABELS = {
    "fac": "Facility",
    "prvgrp": "Provider Group",
    "payer": "Payer",
    "atyprv": "Atypical Provider",
    "bus": "Non-Healthcare Business",
    "ntwk": "Network",
}


def organization_types(entity_type_codes: set[str]) -> list[str]:
    """The Plan-Net organization types of a provider with these entity types, sorted."""
    types = set()
    for code in entity_type_codes:
        if code in FACILITY_ENTITY_TYPES:
            types.add("fac")
        elif code in PROVIDER_GROUP_ENTITY_TYPES:
            types.add("prvgrp")
        else:
            types.add("atyprv")
    return sorted(types or {"atyprv"})


# California's county FIPS codes are the odd numbers 001 to 115 given to the counties in
# alphabetical order, which is the order of ``County`` (tests/directory checks known ones).
COUNTY_FIPS: dict[str, str] = {
    county.value: f"06{2 * position + 1:03d}" for position, county in enumerate(County)
}
COUNTY_BY_FIPS: dict[str, str] = {fips: county for county, fips in COUNTY_FIPS.items()}


def county_location_id(county: str) -> str:
    return f"county-{COUNTY_FIPS[county]}"


def population_label(code: str) -> str:
    """The population's name without its code prefix ("Adults experiencing homelessness")."""
    return str(PopulationOfFocus(code).label).split(" · ", 1)[-1]


# Common names of languages as applicants type them → BCP-47 tags. A language not listed is
# published as text only.
LANGUAGE_TAGS = {
    "american sign language": "ase",
    "asl": "ase",
    "arabic": "ar",
    "armenian": "hy",
    "cambodian": "km",
    "cantonese": "yue",
    "chinese": "zh",
    "english": "en",
    "farsi": "fa",
    "french": "fr",
    "hindi": "hi",
    "hmong": "hmn",
    "japanese": "ja",
    "khmer": "km",
    "korean": "ko",
    "lao": "lo",
    "mandarin": "cmn",
    "mien": "ium",
    "persian": "fa",
    "portuguese": "pt",
    "punjabi": "pa",
    "russian": "ru",
    "spanish": "es",
    "tagalog": "tl",
    "thai": "th",
    "ukrainian": "uk",
    "vietnamese": "vi",
}


def languages(text: str) -> list[tuple[str | None, str]]:
    """The comma-separated languages of ``text`` as (BCP-47 tag or None, name), in order."""
    found = []
    for part in text.split(","):
        name = " ".join(part.split())
        if name:
            found.append((LANGUAGE_TAGS.get(name.lower()), name))
    return found


# Licence types (as applicants type them) → the Plan-Net provider role and NUCC specialty of a
# licensed care-team member. Any other licence is a behavioral health and social service
# provider working as a case manager / care coordinator.
LICENCE_ROLES: dict[str, tuple[str, str, str, str]] = {
    # licence: (role code, role display, NUCC code, NUCC display)
    "lcsw": ("sw", "Social Worker", "1041C0700X", "Clinical Social Worker"),
    "asw": ("sw", "Social Worker", "1041C0700X", "Clinical Social Worker"),
    "msw": ("sw", "Social Worker", "104100000X", "Social Worker"),
    "rn": ("rn", "Registered Nurse", "163W00000X", "Registered Nurse"),
    "lvn": ("lpn", "Licensed Practical Nurse", "164X00000X", "Licensed Vocational Nurse"),
    "np": ("crnp", "Certified Registered Nurse Practitioner", "363L00000X", "Nurse Practitioner"),
    "lmft": ("mt", "Marriage/Family Therapist", "106H00000X", "Marriage & Family Therapist"),
    "lpcc": ("co", "Counselor", "101YP2500X", "Professional Counselor"),
    "psychologist": ("py", "Psychologist", "103T00000X", "Psychologist"),
    "md": ("ph", "Physician", "208D00000X", "General Practice"),
    "do": ("ph", "Physician", "208D00000X", "General Practice"),
}
OTHER_LICENCE_ROLE = (
    "bh",
    "Behavioral Health & Social Service Providers",
    "171M00000X",
    "Case Manager/Care Coordinator",
)


def licence_role(licence_type: str) -> tuple[str, str, str, str]:
    """(role code, role display, NUCC code, NUCC display) of a licence type."""
    key = "".join(licence_type.lower().replace(".", "").split())
    return LICENCE_ROLES.get(key, OTHER_LICENCE_ROLE)
