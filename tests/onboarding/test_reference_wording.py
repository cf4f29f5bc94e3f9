"""The plan's own words, as its public pages give them (shared/seeds/)."""

import pytest

from onboarding.models import EntityType
from onboarding.reference import CareSetting, PopulationOfFocus, QualificationCriterion


def test_criterion_4_uses_the_plans_words():
    assert str(QualificationCriterion.ACCEPT_ASSIGNED.label).startswith(
        "Ability to transition, accept, perform outreach activities and enroll ECM members"
    )


def test_criterion_2_settings_include_telephone_and_video():
    assert {CareSetting.TELEPHONIC.value, CareSetting.VIDEO.value} <= set(CareSetting.values)
    assert "telephone" in str(QualificationCriterion.IN_PERSON_CAPACITY.label)


@pytest.mark.django_db
def test_entity_type_7_keeps_its_public_hospital_wording():
    hospital = EntityType.objects.get(code="hospital")
    assert hospital.name == (
        "Hospital or hospital-based physician group or clinic (including public hospital and "
        "district and/or municipal public hospital)"
    )


@pytest.mark.parametrize(
    "population", [PopulationOfFocus.BIRTH_EQUITY_ADULTS, PopulationOfFocus.BIRTH_EQUITY_YOUTH]
)
def test_the_birth_equity_population_names_its_eligible_groups(population):
    label = str(population.label)
    assert "Black, American Indian or Alaska Native, or Pacific Islander" in label
    assert "pregnant or postpartum" in label
