"""Screening the people a disclosure names: the same queries however many they are, and the
same results whether applications are screened one by one or many together (the monthly job)."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from disclosures.editing import Editing
from disclosures.services import Holding, party_save
from onboarding.models import Application
from onboarding.services.applications import application_start
from onboarding.services.organizations import organization_create
from portal.models import User
from screening.models import ExclusionSource, ScreeningResult
from screening.services.results import screen_entities, screen_entity, screening_result_adjudicate
from tests.factories import UserFactory, fill_disclosure, fill_entity_step, organization_of
from tests.screening.files import leie_file, leie_person, medi_cal_file
from tests.screening.test_engine import import_list
from tests.screening.test_importers import MEDI_CAL_HEADER, medi_cal_row

pytestmark = pytest.mark.django_db
Outcome = ScreeningResult.Outcome

SURNAMES = ["Abbott", "Baker", "Castro", "Diaz", "Evans", "Flores"]
SURNAMES += ["Green", "Hughes", "Ito", "Jones", "Khan", "Lee"]


def disclose(
    application: Application, official: User, people: list[dict[str, object]]
) -> Application:
    """Owners of 5% each, and the entity step filled in."""
    fill_disclosure(application, official, none_owners=False)
    for person in people:
        party_save(
            editing=Editing.of_application(application),
            user=official,
            data={"kind": "person", "ssn": "234567890", "home_address": "1 Hill Rd", **person},
            holding=Holding(direct_percent=Decimal("5")),
        )
    fill_entity_step(application, official, upload_evidence=False)
    return Application.objects.get(pk=application.pk)


def owners(surnames: list[str], **answers: dict[str, object]) -> list[dict[str, object]]:
    """People called Pat, born on 1 January 1970 unless ``answers`` (by surname) say otherwise."""
    return [
        {"first_name": "Pat", "last_name": surname, "date_of_birth": date(1970, 1, 1)}
        | answers.get(surname, {})
        for surname in surnames
    ]


def another_application() -> tuple[Application, User]:
    official = UserFactory.create()
    organization_create(user=official, legal_name="Dawn Health Partners", title="Director")
    return application_start(organization=organization_of(official), user=official), official


def current(application: Application) -> list[tuple]:
    return list(
        application.screening_results.filter(is_current=True)
        .order_by("pk")
        .values_list(
            "subject", "check_name", "outcome", "evidence", "disclosed_party", "adjudication"
        )
    )


def lists_listing_abbott_and_a_licence() -> None:
    import_list("leie", leie_file(leie_person("ABBOTT", "PAT", dob="19700101")))
    import_list(
        "medi-cal", medi_cal_file(MEDI_CAL_HEADER, medi_cal_row("DOE", "JANE", licence="RN 1234"))
    )


def test_screening_takes_the_same_queries_for_two_disclosed_people_as_for_twelve(
    application, authorized_official
):
    lists_listing_abbott_and_a_licence()
    application = disclose(application, authorized_official, owners(SURNAMES[:2]))
    screen_entity(application=application)
    with CaptureQueriesContext(connection) as two:
        screen_entity(application=application, rescreen=True)

    application = disclose(
        application, authorized_official, owners(SURNAMES[2:], Lee={"licence_number": "rn1234"})
    )
    screen_entity(application=application)
    with CaptureQueriesContext(connection) as twelve:
        results = screen_entity(application=application, rescreen=True)

    assert len(twelve) == len(two)
    list_lookups = [q for q in twelve if '"onboarding_exclusionrecord"' in q["sql"]]
    assert len(list_lookups) == 2 * len(ExclusionSource.values), "organizations, then people"
    matches = {(r.subject, r.check_name, r.outcome) for r in results if r.is_match}
    assert matches == {
        ("Pat Abbott", "exclusion_leie", Outcome.CONFIRMED_MATCH),
        ("Pat Lee", "exclusion_medi_cal", Outcome.POTENTIAL_MATCH),
    }
    assert len([r for r in results if r.disclosed_party_id]) == 12 * len(ExclusionSource.values)


def test_applications_screened_together_have_the_results_each_has_alone(
    application, authorized_official, reviewer
):
    lists_listing_abbott_and_a_licence()
    first = disclose(application, authorized_official, owners(SURNAMES[:6]))
    other, official = another_application()
    namesake: dict[str, dict[str, object]] = {
        "Abbott": {"date_of_birth": date(1980, 5, 5)},
        "Lee": {"licence_number": "RN-1234"},
    }
    second = disclose(other, official, owners(["Abbott", "Lee", "Ito"], **namesake))
    screen_entity(application=first)
    screen_entity(application=second)
    [match] = first.screening_results.filter(is_current=True, outcome=Outcome.CONFIRMED_MATCH)
    screening_result_adjudicate(
        result=match, user=reviewer, adjudication="confirmed", note="The same person."
    )
    alone = [current(first), current(second)]

    together = screen_entities(applications=[first, second], rescreen=True)

    assert [current(first), current(second)] == alone
    assert not [r for results in together.values() for r in results if r.is_new_match]
    assert {r.subject for r in together[second.pk] if r.is_match} == {"Pat Lee"}
