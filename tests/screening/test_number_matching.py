"""Matching by licence and provider number on the Medi-Cal list, so that a name written
differently cannot hide a listed number."""

from importlib import import_module

import pytest
from django.apps import apps
from django.utils import timezone

from onboarding.flows import OnboardingFlow
from onboarding.models import Application
from onboarding.services.steps import care_team_member_save
from reviews.models import ReviewDecision
from screening.matching import organization_findings, person_findings
from screening.models import ExclusionNumber, ExclusionRelease, ScreeningResult
from screening.services.results import screen_care_team
from tests.factories import decide
from tests.screening.files import leie_file, leie_person, medi_cal_file
from tests.screening.test_engine import current, import_list, submit_entity
from tests.screening.test_importers import MEDI_CAL_HEADER, medi_cal_row

Outcome = ScreeningResult.Outcome


def medi_cal_list(*rows: list[str]) -> ExclusionRelease:
    return import_list("medi-cal", medi_cal_file(MEDI_CAL_HEADER, *rows))


def screen_member(application: Application, official, reviewer, **member) -> ScreeningResult:
    """Approve the entity step, add one care-team member, screen the team: its Medi-Cal result."""
    application = submit_entity(application, official)
    decide(OnboardingFlow.review_entity, application, reviewer, ReviewDecision.Outcome.APPROVE)
    care_team_member_save(
        application=application, user=official, data={"role": "ecm_director", **member}
    )
    screen_care_team(application=application)
    return application.screening_results.get(
        is_current=True, check_name="exclusion_medi_cal", subject_kind="person"
    )


def test_a_member_named_otherwise_whose_licence_is_listed_is_a_potential_match(
    application, authorized_official, reviewer
):
    medi_cal_list(medi_cal_row("DOE", "JANE", licence="rn 123-456"))

    result = screen_member(
        application, authorized_official, reviewer, full_name="Pat Other", license_number="RN123456"
    )

    assert result.outcome == Outcome.POTENTIAL_MATCH
    assert "licence number RN123456 (the list names 'JANE DOE')" in result.evidence
    assert result.matched_line == 2


def test_a_member_whose_licence_and_name_are_listed_is_a_confirmed_match(
    application, authorized_official, reviewer
):
    medi_cal_list(medi_cal_row("DOE", "JANE", licence="RN 123456"))

    result = screen_member(
        application, authorized_official, reviewer, full_name="Jane Doe", license_number="rn-123456"
    )

    assert result.outcome == Outcome.CONFIRMED_MATCH
    assert "licence number RN123456 and name 'DOE JANE'" in result.evidence


def test_a_member_whose_licence_is_not_listed_is_clear(application, authorized_official, reviewer):
    medi_cal_list(medi_cal_row("DOE", "JANE", licence="RN123456"))

    result = screen_member(
        application, authorized_official, reviewer, full_name="Pat Other", license_number="RN654321"
    )

    assert result.outcome == Outcome.CLEAR


def test_an_organization_listed_by_its_provider_number_under_another_name_is_a_potential_match(
    application, authorized_official
):
    medi_cal_list(medi_cal_row("Dawn Health Partners", provider="zzz 123-456"))

    application = submit_entity(
        application, authorized_official, medi_cal_provider_number="ZZZ123456"
    )

    [result] = current(application, "exclusion_medi_cal")
    assert result.outcome == Outcome.POTENTIAL_MATCH
    assert "provider number ZZZ123456 (the list names 'Dawn Health Partners')" in result.evidence


def test_an_organization_whose_provider_number_and_name_are_listed_is_one_confirmed_match(
    application, authorized_official
):
    medi_cal_list(
        medi_cal_row("Dawn Health Partners", aka="Sunrise Community Services", provider="ZZZ123456")
    )

    application = submit_entity(
        application, authorized_official, medi_cal_provider_number="ZZZ123456"
    )

    [result] = current(application, "exclusion_medi_cal")
    assert result.outcome == Outcome.CONFIRMED_MATCH, "one result for the row, under the AKA"
    assert "provider number ZZZ123456 and name 'SUNRISE COMMUNITY SERVICES' in CA" in (
        result.evidence
    )


def test_an_organization_whose_provider_number_is_not_listed_is_clear(
    application, authorized_official
):
    medi_cal_list(medi_cal_row("Dawn Health Partners", provider="ZZZ123456"))

    application = submit_entity(
        application, authorized_official, medi_cal_provider_number="ZZZ999999"
    )

    assert [r.outcome for r in current(application, "exclusion_medi_cal")] == [Outcome.CLEAR]


@pytest.mark.parametrize("number", ["A11111", "b-22222", "C 33333", "d44444"])
def test_a_cell_of_several_numbers_matches_on_each(number, db):
    release = medi_cal_list(
        medi_cal_row(
            "Dawn Health Partners",
            licence="A11111; B-22222, c 33333\nD44444",
            provider="A11111; B-22222, c 33333\nD44444",
        )
    )
    today = timezone.localdate()

    person = person_findings(
        release, last_name="Other", first_name="Pat", date_of_birth=None, on=today,
        licence_numbers=[number],
    )  # fmt: skip
    organization = organization_findings(
        release, names=["Other Clinic"], state="CA", npi="", on=today, provider_numbers=[number]
    )

    assert [m.record.line_number for m in person.matches] == [2]
    assert [m.record.line_number for m in organization.matches] == [2]
    assert "A1111" not in [n.number for n in ExclusionNumber.objects.all()], "numbers are whole"


def test_a_number_of_another_kind_or_on_a_list_without_numbers_finds_nothing(db):
    medi_cal = medi_cal_list(medi_cal_row("Dawn Health Partners", licence="PHY1234"))
    leie = import_list("leie", leie_file(leie_person("DOE", "JANE")))
    today = timezone.localdate()

    for release in (medi_cal, leie):
        findings = organization_findings(
            release, names=["Other"], state="CA", npi="", on=today, provider_numbers=["PHY1234"]
        )
        assert findings.matches == []
    assert not person_findings(
        leie, last_name="Other", first_name="Pat", date_of_birth=None, on=today,
        licence_numbers=["PHY1234"],
    ).matches  # fmt: skip


def test_screening_one_subject_takes_one_query_per_list(db, django_assert_num_queries):
    release = medi_cal_list(medi_cal_row("DOE", "JANE", licence="RN123456", provider="ZZZ123456"))
    today = timezone.localdate()

    with django_assert_num_queries(1):
        person_findings(
            release, last_name="Doe", first_name="Jane", date_of_birth=None, on=today,
            licence_numbers=["RN123456"],
        )  # fmt: skip
    with django_assert_num_queries(1):
        organization_findings(
            release, names=["Dawn"], state="CA", npi="1234567893", on=today,
            provider_numbers=["ZZZ123456"],
        )  # fmt: skip


def test_the_migration_indexes_the_numbers_of_rows_imported_before_it(db):
    release = medi_cal_list(
        medi_cal_row("Dawn Health Partners", aka="Dawn Care", licence="PHY 1", provider="Z-1; Z-2")
    )
    ExclusionNumber.objects.all().delete()

    import_module("screening.migrations.0003_exclusionnumber").index_listed_numbers(apps, None)

    numbers = ExclusionNumber.objects.filter(release=release).order_by("pk")
    assert [(n.kind, n.number, n.record.business_name) for n in numbers] == [
        ("licence", "PHY1", "Dawn Health Partners"),
        ("provider", "Z1", "Dawn Health Partners"),
        ("provider", "Z2", "Dawn Health Partners"),
    ]
