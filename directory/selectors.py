"""What the directory may publish, read live from the approved record.

A provider is published while its application is active or approved with conditions; one that
is approved but has not yet acknowledged its welcome packet, suspended, terminated or anything
else is not (the issue asks for "active and approved with conditions"). Nothing here is cached:
an approved change request is published by the next request.
"""

from django.db import connection
from django.db.models import F, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from onboarding.models import (
    Application,
    CareTeamMember,
    EntityProfile,
    EntityType,
    PopulationCapacity,
    PopulationServed,
    ServiceCounty,
)
from onboarding.reference import CareSetting, County

PUBLISHED_STATUSES = frozenset({Application.Status.ACTIVE, Application.Status.CONDITIONAL})


PROVIDER_COLUMNS = (
    "id",
    "status",
    "updated_at",
    "effective_date",
    "decided_at",
    "organization__id",
    "organization__legal_name",
    "entity_profile__id",
    "entity_profile__legal_name",
    "entity_profile__dba_name",
    "entity_profile__npi",
    "entity_profile__service_address",
    "entity_profile__contact_phone",
    "entity_profile__updated_at",
)


def published_providers() -> QuerySet[Application]:
    """The providers in the directory, in a stable order, with their organization and entity
    profile: all that an affiliation or a service site is built from.

    Only the columns the directory publishes are loaded (``PROVIDER_COLUMNS``): never the TIN,
    and a page of a hundred providers builds its rows in a third of the time. ``last_updated``
    is the later of the application's and the entity profile's changes.
    """
    return (
        Application.objects.filter(status__in=PUBLISHED_STATUSES)
        .select_related("organization", "entity_profile")
        .only(*PROVIDER_COLUMNS)
        .annotate(
            last_updated=Greatest(
                F("updated_at"), Coalesce(F("entity_profile__updated_at"), F("updated_at"))
            )
        )
        .order_by("pk")
    )


def published_organizations() -> QuerySet[Application]:
    """The published providers with their entity types, which give an Organization's type.

    Each type of resource loads only the related rows it is built from, each by one prefetch,
    so a page costs the same number of queries whatever its length.
    """
    return published_providers().prefetch_related(
        Prefetch("entity_profile__entity_types", queryset=EntityType.objects.only("id", "code"))
    )


def published_services() -> QuerySet[Application]:
    """The published providers with what their Enhanced Care Management service shows:
    counties, populations of focus, care settings and whether any county has room."""
    return (
        published_providers()
        .select_related("capability_attestation")
        .only(
            *PROVIDER_COLUMNS,
            "capability_attestation__id",
            *(f"capability_attestation__setting_{setting}" for setting in CareSetting.values),
            "capability_attestation__languages_offered",
        )
        .prefetch_related(
            Prefetch(
                "entity_profile__counties",
                queryset=ServiceCounty.objects.only("id", "profile_id", "county"),
            ),
            Prefetch(
                "populations",
                queryset=PopulationServed.objects.only("id", "application_id", "population"),
            ),
            # Only whether a county has room matters here; the figures are never published.
            Prefetch(
                "capacities",
                queryset=PopulationCapacity.objects.only(
                    "id", "application_id", "county", "member_capacity"
                ),
            ),
        )
    )


def licensed() -> Q:
    """Care-team members with a licence that has not run out: the only ones published."""
    return Q(license_number__gt="", license_expires_on__gte=timezone.localdate())


def published_care_team() -> QuerySet[CareTeamMember]:
    """The licensed care-team members of published providers, in a stable order.

    Only what the directory shows is loaded: never the date of birth, email or licence number.
    """
    return (
        CareTeamMember.objects.filter(licensed(), application__status__in=PUBLISHED_STATUSES)
        .select_related("application__entity_profile")
        .only(
            "id",
            "application_id",
            "role",
            "full_name",
            "license_type",
            "license_state",
            "license_expires_on",
            "languages",
            "application__status",
            "application__updated_at",
            "application__entity_profile__id",
            "application__entity_profile__contact_phone",
            "application__entity_profile__service_address",
            "application__entity_profile__updated_at",
        )
        .annotate(
            last_updated=Greatest(
                F("application__updated_at"),
                Coalesce(
                    F("application__entity_profile__updated_at"), F("application__updated_at")
                ),
            )
        )
        .order_by("pk")
    )


def published_licence_types() -> list[str]:
    """The licence types of the published care team, each once (for role searches)."""
    return list(
        CareTeamMember.objects.filter(licensed(), application__status__in=PUBLISHED_STATUSES)
        .order_by()
        .values_list("license_type", flat=True)
        .distinct()
    )


def counties_served() -> list[str]:
    """The counties at least one published provider serves, sorted by county code.

    Asked county by county, "does any published provider serve it?", each answered on the
    county index (``service_county``): at 10,000 providers 1 ms, where the distinct counties of
    every published provider's rows took 30.
    """
    codes = sorted(County.values)
    statuses = sorted(PUBLISHED_STATUSES)
    counties = ServiceCounty._meta.db_table
    profiles = EntityProfile._meta.db_table
    applications = Application._meta.db_table
    values = ", ".join(["(%s)"] * len(codes))
    wanted = ", ".join(["%s"] * len(statuses))
    # The names are the models' own tables; every value is a parameter.
    sql = (
        f"SELECT v.column1 FROM (VALUES {values}) AS v WHERE EXISTS ("  # noqa: S608
        f"SELECT 1 FROM {counties} sc JOIN {profiles} p ON p.id = sc.profile_id "
        f"JOIN {applications} a ON a.id = p.application_id "
        f"WHERE sc.county = v.column1 AND a.status IN ({wanted}))"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*codes, *statuses])
        return sorted(code for (code,) in cursor.fetchall())
