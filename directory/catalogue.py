"""What the directory serves: each FHIR resource type, its search parameters (Plan-Net's, plus
``characteristic`` for populations of focus) and where its resources come from.

A ``Catalogue`` lives for one request: the counties served and the licence types are read once
per request and never kept longer, so every change approved is served at once.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Q

from directory import codes, resources, selectors
from directory.search import (
    JSON,
    FixedSource,
    Param,
    RowSource,
    Source,
    Text,
    Token,
    Value,
    any_of,
    codings,
    everything_if,
    extension_references,
    has_text,
    has_token,
    identifiers,
    nothing,
    references,
    refers_to,
    row_pks,
    strings,
    text_q,
)
from onboarding.models import (
    Application,
    CareTeamMember,
    EntityType,
    PopulationServed,
    ServiceCounty,
)


def common_params() -> list[Param]:
    """``_id`` and ``_lastUpdated``, which every type supports."""
    return [
        Param("_id", "token", lambda resource: [resource["id"]]),
        Param("_lastUpdated", "date", strings("meta.lastUpdated")),
    ]


ADDRESS_PARTS = (
    "address.text",
    "address.line",
    "address.city",
    "address.district",
    "address.state",
    "address.postalCode",
    "address.country",
)


@dataclass(frozen=True)
class ServedType:
    """A resource type the directory serves: its Plan-Net profile and search parameters."""

    name: str
    profile: str
    params: dict[str, Param]

    @property
    def reference_params(self) -> list[str]:
        """The parameters ``_include`` may name (Plan-Net: every reference parameter)."""
        return sorted(code for code, p in self.params.items() if p.kind == "reference")


def served(name: str, profile_name: str, *params: Param) -> ServedType:
    every = [*common_params(), *params]
    return ServedType(name, codes.profile(profile_name), {p.code: p for p in every})


SERVED_TYPES: dict[str, ServedType] = {
    t.name: t
    for t in (
        served(
            "Organization",
            "plannet-Organization",
            Param("name", "string", strings("name", "alias")),
            Param("identifier", "token", identifiers("identifier")),
            Param("type", "token", codings("type")),
            Param("address", "string", strings(*ADDRESS_PARTS)),
            Param("partof", "reference", references("partOf"), ("Organization",)),
            Param("endpoint", "reference", references("endpoint"), ("Endpoint",)),
            Param(
                "coverage-area",
                "reference",
                extension_references(codes.extension("location-reference")),
                ("Location",),
            ),
        ),
        served(
            "OrganizationAffiliation",
            "plannet-OrganizationAffiliation",
            Param(
                "primary-organization", "reference", references("organization"), ("Organization",)
            ),
            Param(
                "participating-organization",
                "reference",
                references("participatingOrganization"),
                ("Organization",),
            ),
            Param("network", "reference", references("network"), ("Organization",)),
            Param("location", "reference", references("location"), ("Location",)),
            Param("service", "reference", references("healthcareService"), ("HealthcareService",)),
            Param("endpoint", "reference", references("endpoint"), ("Endpoint",)),
            Param("role", "token", codings("code")),
            Param("specialty", "token", codings("specialty")),
        ),
        served(
            "HealthcareService",
            "plannet-HealthcareService",
            Param("name", "string", strings("name")),
            Param("organization", "reference", references("providedBy"), ("Organization",)),
            Param("location", "reference", references("location"), ("Location",)),
            Param("coverage-area", "reference", references("coverageArea"), ("Location",)),
            Param("endpoint", "reference", references("endpoint"), ("Endpoint",)),
            Param("service-category", "token", codings("category")),
            Param("service-type", "token", codings("type")),
            Param("specialty", "token", codings("specialty")),
            Param("characteristic", "token", codings("characteristic")),
        ),
        served(
            "Location",
            "plannet-Location",
            Param("name", "string", strings("name")),
            Param("address", "string", strings(*ADDRESS_PARTS)),
            Param("address-city", "string", strings("address.city")),
            Param("address-state", "string", strings("address.state")),
            Param("address-postalcode", "string", strings("address.postalCode")),
            Param("type", "token", codings("type")),
            Param("partof", "reference", references("partOf"), ("Location",)),
            Param(
                "organization", "reference", references("managingOrganization"), ("Organization",)
            ),
            Param("endpoint", "reference", references("endpoint"), ("Endpoint",)),
        ),
        served(
            "Practitioner",
            "plannet-Practitioner",
            Param("name", "string", strings("name.text", "name.family", "name.given")),
            Param("family", "string", strings("name.family")),
            Param("given", "string", strings("name.given")),
            Param("identifier", "token", identifiers("identifier")),
        ),
        served(
            "PractitionerRole",
            "plannet-PractitionerRole",
            Param("practitioner", "reference", references("practitioner"), ("Practitioner",)),
            Param("organization", "reference", references("organization"), ("Organization",)),
            Param("location", "reference", references("location"), ("Location",)),
            Param("service", "reference", references("healthcareService"), ("HealthcareService",)),
            Param(
                "network",
                "reference",
                extension_references(codes.extension("network-reference")),
                ("Organization",),
            ),
            Param("endpoint", "reference", references("endpoint"), ("Endpoint",)),
            Param("role", "token", codings("code")),
            Param("specialty", "token", codings("specialty")),
        ),
        served(
            "InsurancePlan",
            "plannet-InsurancePlan",
            Param("identifier", "token", identifiers("identifier")),
            Param("name", "string", strings("name", "alias")),
            Param("type", "token", codings("type")),
            Param("plan-type", "token", codings("plan.type")),
            Param("administered-by", "reference", references("administeredBy"), ("Organization",)),
            Param("owned-by", "reference", references("ownedBy"), ("Organization",)),
            Param("coverage-area", "reference", references("coverageArea"), ("Location",)),
        ),
        served(
            "Endpoint",
            "plannet-Endpoint",
            Param("organization", "reference", nothing, ("Organization",)),
        ),
    )
}


def revinclude_options(target: str) -> list[str]:
    """``Type:param`` pairs whose references point to ``target``, for its ``_revinclude``."""
    return sorted(
        f"{t.name}:{code}"
        for t in SERVED_TYPES.values()
        for code in t.reference_params
        if target in t.params[code].targets
    )


# Conditions on providers (Application rows) shared by several types.


def provider_name_q(values: Sequence[Value]) -> Q:
    def condition(value: Value) -> Q:
        assert isinstance(value, Text)  # noqa: S101 (the parser gives strings Text values)
        return text_q(["entity_profile__legal_name", "entity_profile__dba_name"], value) | (
            Q(entity_profile__legal_name="") & text_q(["organization__legal_name"], value)
        )

    return any_of(values, condition)


def provider_address_q(values: Sequence[Value], before: str = "", after: str = "") -> Q:
    """Addresses are kept on one line ("100 Main St, Los Angeles, CA 90012"): a part matches
    when the line contains it, with ``before`` and ``after`` around it (", " before a city)."""

    def condition(value: Value) -> Q:
        assert isinstance(value, Text)  # noqa: S101 (the parser gives strings Text values)
        if value.modifier == "exact":
            return Q(entity_profile__service_address=value.value)
        return Q(entity_profile__service_address__icontains=f"{before}{value.value}{after}")

    return any_of(values, condition)


def provider_state_q(values: Sequence[Value]) -> Q:
    """The state is the two letters after the last comma ("…, CA 90012" or "…, CA")."""

    def at_the_end(value: Value) -> Q:
        assert isinstance(value, Text)  # noqa: S101 (the parser gives strings Text values)
        return Q(entity_profile__service_address__iendswith=f", {value.value}")

    return provider_address_q(values, ", ", " ") | any_of(values, at_the_end)


def provider_identifier_q(values: Sequence[Value]) -> Q:
    def condition(value: Value) -> Q:
        if not isinstance(value, Token) or value.system not in (None, codes.NPI):
            return Q(pk__in=[])
        if value.code is None:
            return Q(entity_profile__npi__gt="")
        return Q(entity_profile__npi=value.code)

    return any_of(values, condition)


def with_entity_types(entity_type_codes: Sequence[str]) -> Q:
    return Q(
        pk__in=Application.objects.filter(
            entity_profile__entity_types__code__in=entity_type_codes
        ).values("pk")
    )


def provider_type_q(values: Sequence[Value]) -> Q:
    """Organization types come from the entity types (``codes.organization_types``): an
    atypical provider has an entity type that is neither a facility nor a group, or none."""
    known = codes.FACILITY_ENTITY_TYPES | codes.PROVIDER_GROUP_ENTITY_TYPES
    with_any = Application.objects.filter(entity_profile__entity_types__isnull=False)
    by_code = {
        "fac": with_entity_types(sorted(codes.FACILITY_ENTITY_TYPES)),
        "prvgrp": with_entity_types(sorted(codes.PROVIDER_GROUP_ENTITY_TYPES)),
        "atyprv": Q(
            pk__in=Application.objects.filter(
                entity_profile__entity_types__in=EntityType.objects.exclude(code__in=known)
            ).values("pk")
        )
        | ~Q(pk__in=with_any.values("pk")),
    }
    condition = Q(pk__in=[])
    for code, q in by_code.items():
        if has_token(values, codes.ORG_TYPE, code):
            condition |= q
    return condition


def county_codes(values: Sequence[Value]) -> list[str]:
    """The counties (``county-06037``) the Location references among ``values`` stand for."""
    found = []
    for value in values:
        identifier = getattr(value, "id", "")
        if getattr(value, "resource_type", None) in (None, "Location") and identifier.startswith(
            "county-"
        ):
            county = codes.COUNTY_BY_FIPS.get(identifier.removeprefix("county-"))
            if county:
                found.append(county)
    return found


def with_site(pks: list[int]) -> Q:
    return Q(pk__in=pks) & Q(entity_profile__service_address__gt="")


class Catalogue:
    """The sources of every served type, for one request.

    The providers loaded for a page of Organizations are kept (``providers``, by resource id),
    because their affiliations to the network are built from the same rows: an Organization
    page with ``_revinclude=OrganizationAffiliation:participating-organization`` reads them
    once, not twice.
    """

    def __init__(self) -> None:
        self.providers: dict[str, Application] = {}

    def from_the_same_rows(self, matches: list[JSON], value: str) -> list[JSON] | None:
        """What ``_revinclude=value`` adds to a page of ``matches``, built from the rows the
        page was built from; None when it is not built from them."""
        if value != "OrganizationAffiliation:participating-organization":
            return None
        rows = [self.providers[r["id"]] for r in matches if r["id"] in self.providers]
        return [resources.provider_affiliation(row) for row in rows]

    @cached_property
    def counties(self) -> list[str]:
        return selectors.counties_served()

    @cached_property
    def licence_types(self) -> list[str]:
        return selectors.published_licence_types()

    @cached_property
    def fixed_organizations(self) -> list[JSON]:
        return [resources.plan_organization(), resources.network_organization(self.counties)]

    @cached_property
    def fixed_locations(self) -> list[JSON]:
        return [resources.county_location(county) for county in self.counties]

    @cached_property
    def fixed_insurance_plans(self) -> list[JSON]:
        return [resources.insurance_plan(self.counties)]

    def sources(self, resource_type: str) -> list[Source]:
        builders: dict[str, Callable[[], list[Source]]] = {
            "Organization": self.organization_sources,
            "OrganizationAffiliation": self.affiliation_sources,
            "HealthcareService": self.service_sources,
            "Location": self.location_sources,
            "Practitioner": self.practitioner_sources,
            "PractitionerRole": self.practitioner_role_sources,
            "InsurancePlan": lambda: [FixedSource(lambda: self.fixed_insurance_plans)],
            "Endpoint": lambda: [FixedSource(list)],
        }
        return builders[resource_type]()

    def organization_sources(self) -> list[Source]:
        return [
            FixedSource(lambda: self.fixed_organizations),
            RowSource[Application](
                rows=selectors.published_organizations,
                build=resources.provider_organization,
                prefix="prov",
                resource_type="Organization",
                loaded=self.providers,
                filters={
                    "name": provider_name_q,
                    "identifier": provider_identifier_q,
                    "type": provider_type_q,
                    "address": provider_address_q,
                },
            ),
        ]

    def location_sources(self) -> list[Source]:
        return [
            FixedSource(lambda: self.fixed_locations),
            RowSource[Application](
                rows=lambda: selectors.published_providers().filter(
                    entity_profile__service_address__gt=""
                ),
                build=resources.provider_site,
                prefix="site",
                resource_type="Location",
                filters={
                    "name": provider_name_q,
                    "address": provider_address_q,
                    "address-city": lambda values: provider_address_q(values, ", ", ""),
                    "address-state": provider_state_q,
                    "address-postalcode": lambda values: provider_address_q(values, " ", ""),
                    "organization": lambda values: Q(
                        pk__in=row_pks(values, "Organization", "prov")
                    ),
                },
            ),
        ]

    def affiliation_sources(self) -> list[Source]:
        return [
            RowSource[Application](
                rows=selectors.published_providers,
                build=resources.provider_affiliation,
                prefix="aff",
                resource_type="OrganizationAffiliation",
                filters={
                    "primary-organization": lambda values: everything_if(
                        refers_to(values, "Organization", resources.PLAN_ID)
                    ),
                    "participating-organization": lambda values: Q(
                        pk__in=row_pks(values, "Organization", "prov")
                    ),
                    "network": lambda values: everything_if(
                        refers_to(values, "Organization", resources.NETWORK_ID)
                    ),
                    "location": lambda values: with_site(row_pks(values, "Location", "site")),
                    "service": lambda values: Q(pk__in=row_pks(values, "HealthcareService", "ecm")),
                    "role": lambda values: everything_if(
                        has_token(values, codes.ORGANIZATION_ROLE, "provider")
                    ),
                    "specialty": lambda values: everything_if(
                        has_token(values, codes.NUCC, codes.CASE_MANAGEMENT_AGENCY[0])
                    ),
                },
            )
        ]

    def service_sources(self) -> list[Source]:
        ecm_code = codes.ECM_SERVICE_CODE[0]
        return [
            RowSource[Application](
                rows=selectors.published_services,
                build=resources.provider_service,
                prefix="ecm",
                resource_type="HealthcareService",
                filters={
                    "name": lambda values: everything_if(has_text(values, resources.SERVICE_NAME)),
                    "organization": lambda values: Q(
                        pk__in=row_pks(values, "Organization", "prov")
                    ),
                    "location": lambda values: with_site(row_pks(values, "Location", "site")),
                    "coverage-area": lambda values: Q(
                        pk__in=ServiceCounty.objects.filter(county__in=county_codes(values)).values(
                            "profile__application_id"
                        )
                    ),
                    "service-category": lambda values: everything_if(
                        has_token(values, codes.ecm_service(), ecm_code)
                    ),
                    "service-type": lambda values: everything_if(
                        has_token(values, codes.ecm_service(), ecm_code)
                    ),
                    "specialty": lambda values: everything_if(
                        has_token(values, codes.NUCC, codes.CASE_MANAGEMENT_AGENCY[0])
                    ),
                    "characteristic": lambda values: Q(
                        pk__in=PopulationServed.objects.filter(
                            population__in=[
                                v.code
                                for v in values
                                if isinstance(v, Token)
                                and v.code
                                and v.system in (None, codes.populations_of_focus())
                            ]
                        ).values("application_id")
                    ),
                },
            )
        ]

    def practitioner_sources(self) -> list[Source]:
        def name_q(values: Sequence[Value], *, family: bool = False, given: bool = False) -> Q:
            def condition(value: Value) -> Q:
                assert isinstance(value, Text)  # noqa: S101 (strings are Text values)
                if value.modifier == "exact":
                    return Q(full_name=value.value)
                if value.modifier == "contains":
                    return Q(full_name__icontains=value.value)
                first_word = Q(full_name__istartswith=value.value)
                later_word = Q(full_name__icontains=f" {value.value}")
                if given:
                    return first_word
                return later_word if family else first_word | later_word

            return any_of(values, condition)

        def identifier_q(values: Sequence[Value]) -> Q:
            pks = [
                int(v.code)
                for v in values
                if isinstance(v, Token)
                and v.system in (None, codes.care_team_member_ids())
                and v.code
                and v.code.isdigit()
                and len(v.code) < 18
            ]
            return Q(pk__in=pks)

        return [
            RowSource[CareTeamMember](
                rows=selectors.published_care_team,
                build=resources.practitioner,
                prefix="pract",
                resource_type="Practitioner",
                filters={
                    "name": name_q,
                    "family": lambda values: name_q(values, family=True),
                    "given": lambda values: name_q(values, given=True),
                    "identifier": identifier_q,
                },
            )
        ]

    def licence_types_with(self, values: Sequence[Value], system: str, position: int) -> Q:
        """Members whose licence type gives one of the codes asked (``codes.licence_role``:
        position 0 the role, 2 the specialty)."""
        return Q(
            license_type__in=[
                licence
                for licence in self.licence_types
                if has_token(values, system, codes.licence_role(licence)[position])
            ]
        )

    def practitioner_role_sources(self) -> list[Source]:
        return [
            RowSource[CareTeamMember](
                rows=selectors.published_care_team,
                build=resources.practitioner_role,
                prefix="role",
                resource_type="PractitionerRole",
                filters={
                    "practitioner": lambda values: Q(
                        pk__in=row_pks(values, "Practitioner", "pract")
                    ),
                    "organization": lambda values: Q(
                        application_id__in=row_pks(values, "Organization", "prov")
                    ),
                    "location": lambda values: Q(
                        application_id__in=row_pks(values, "Location", "site"),
                        application__entity_profile__service_address__gt="",
                    ),
                    "service": lambda values: Q(
                        application_id__in=row_pks(values, "HealthcareService", "ecm")
                    ),
                    "network": lambda values: everything_if(
                        refers_to(values, "Organization", resources.NETWORK_ID)
                    ),
                    "role": lambda values: self.licence_types_with(values, codes.PROVIDER_ROLE, 0),
                    "specialty": lambda values: self.licence_types_with(values, codes.NUCC, 2),
                },
            )
        ]
