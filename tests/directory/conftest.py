"""Providers for the directory's tests: one through the onboarding steps, many made directly."""

from collections.abc import Callable
from datetime import date, timedelta
from itertools import count

import pytest
from django.utils import timezone

from onboarding.models import (
    Application,
    CapabilityAttestation,
    CareTeamMember,
    EntityProfile,
    EntityType,
    Organization,
    PopulationCapacity,
    PopulationServed,
    ServiceCounty,
)
from onboarding.services.steps import care_team_member_save
from portal.models import User
from tests.factories import (
    UserFactory,
    fill_attestations_step,
    fill_disclosure,
    fill_entity_step,
)

# What a provider gives the plan that must never be published.
PRIVATE_TIN = "987654321"
PRIVATE_EMAIL = "casey.home@personal.example"
PRIVATE_BIRTH_DATE = date(1980, 2, 3)
NUMBERS = count(1)

MakeProvider = Callable[..., Application]


@pytest.fixture
def onboarded_provider(application: Application, authorized_official: User) -> Application:
    """A provider that went through the entity and attestation steps (with its officer
    disclosed: SSN, date of birth, home address), then made active: its record as approved."""
    fill_disclosure(application, authorized_official, officer=True)
    fill_entity_step(application, authorized_official)
    fill_attestations_step(application, authorized_official)
    care_team_member_save(
        application=application,
        user=authorized_official,
        data={
            "role": "community_health_worker",
            "full_name": "Chris Worker",
            "email": PRIVATE_EMAIL,
            "date_of_birth": PRIVATE_BIRTH_DATE,
            "license_type": "RN",
            "license_number": "RN998877",
            "license_state": "CA",
            "license_expires_on": timezone.localdate() + timedelta(days=200),
        },
    )
    Application.objects.filter(pk=application.pk).update(
        status=Application.Status.ACTIVE, effective_date=date(2026, 2, 2)
    )
    return Application.objects.get(pk=application.pk)


@pytest.fixture
def make_provider(db: None) -> MakeProvider:
    """Make a provider directly in the database, as the approved record stands."""
    official = UserFactory.create()

    def make(
        name: str = "",
        *,
        status: str = Application.Status.ACTIVE,
        entity_type: str = "cbo",
        counties: tuple[str, ...] = ("los_angeles",),
        populations: tuple[str, ...] = ("1a", "3a"),
        capacity: int = 25,
        address: str = "200 Spring St, Los Angeles, CA 90013",
    ) -> Application:
        number = next(NUMBERS)
        name = name or f"Community Provider {number}"
        organization = Organization.objects.create(legal_name=name)
        application = Application.objects.create(
            organization=organization,
            status=status,
            created_by=official,
            effective_date=date(2026, 1, 5),
        )
        profile = EntityProfile.objects.create(
            application=application,
            legal_name=name,
            dba_name=f"{name} ECM",
            npi=f"1{number:09d}",
            tin=PRIVATE_TIN,
            service_address=address,
            contact_phone="(213) 555-0100",
            contact_email=PRIVATE_EMAIL,
        )
        profile.entity_types.add(EntityType.objects.get(code=entity_type))
        for county in counties:
            ServiceCounty.objects.create(profile=profile, county=county)
        CapabilityAttestation.objects.create(
            application=application,
            languages_offered="English, Spanish, Klingon",
            setting_home=True,
            setting_telephonic=True,
        )
        for population in populations:
            PopulationServed.objects.create(application=application, population=population)
            for county in counties:
                PopulationCapacity.objects.create(
                    application=application,
                    population=population,
                    county=county,
                    member_capacity=capacity,
                )
        CareTeamMember.objects.create(
            application=application,
            role="clinical_consultant",
            full_name=f"Casey Clinician{number}",
            email=PRIVATE_EMAIL,
            license_type="LCSW",
            license_number=f"LCS{number}",
            license_state="CA",
            license_expires_on=timezone.localdate() + timedelta(days=365),
            languages="English, Korean",
            date_of_birth=PRIVATE_BIRTH_DATE,
        )
        CareTeamMember.objects.create(
            application=application, role="lead_care_manager", full_name=f"Lee Lead{number}"
        )
        return application

    return make
