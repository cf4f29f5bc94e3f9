"""Every disclosed person and organization is screened with the organization (42 CFR 455.436):
a match blocks the entity step's approval until a reviewer decides it, and the monthly
re-screening covers them too."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from disclosures.editing import Editing
from disclosures.services import Holding, party_save
from onboarding.exceptions import OnboardingError
from onboarding.flows import OnboardingFlow
from onboarding.models import Application
from reviews.models import ReviewDecision
from screening.models import ScreeningResult
from screening.selectors import screening_blockers
from screening.services.results import screen_entity, screening_result_adjudicate
from tests.factories import decide, fill_disclosure
from tests.screening.files import leie_entity, leie_file, leie_person, medi_cal_file
from tests.screening.test_engine import import_list, submit_entity
from tests.screening.test_importers import MEDI_CAL_HEADER, medi_cal_row

pytestmark = pytest.mark.django_db
Outcome = ScreeningResult.Outcome


def results_for(application: Application, name: str, check: str) -> list[ScreeningResult]:
    return list(
        ScreeningResult.objects.filter(
            application=application, is_current=True, subject=name, check_name=check
        )
    )


def reviewer_page(reviewer, application: Application) -> str:
    client = Client()
    client.force_login(reviewer)
    return client.get(f"/review/applications/{application.pk}/").content.decode()


def with_owner(application: Application, official, **person) -> None:
    fill_disclosure(application, official, officer=True, none_owners=False)
    party_save(
        editing=Editing.of_application(application),
        user=official,
        data={
            "kind": "person",
            "first_name": "Olga",
            "last_name": "Owner",
            "date_of_birth": date(1960, 1, 2),
            "ssn": "234567890",
            "home_address": "1 Hill Rd, Fresno, CA 93701",
            **person,
        },
        holding=Holding(direct_percent=Decimal("30")),
    )


def test_a_disclosed_owner_on_the_leie_with_the_same_birth_date_blocks_approval(
    application, authorized_official, reviewer
):
    import_list("leie", leie_file(leie_person("OWNER", "OLGA", dob="19600102")))
    with_owner(application, authorized_official)
    application = submit_entity(application, authorized_official)

    [match] = results_for(application, "Olga Owner", "exclusion_leie")
    assert match.outcome == Outcome.CONFIRMED_MATCH
    assert match.disclosed_party is not None
    assert match.disclosed_party.last_name == "Owner"
    assert "Confirm or dismiss the potential match on the" in " ".join(
        screening_blockers(application, "entity")
    )
    with pytest.raises(OnboardingError):
        decide(OnboardingFlow.review_entity, application, reviewer, ReviewDecision.Outcome.APPROVE)
    page = reviewer_page(reviewer, application)
    assert "Disclosed owner, officer or manager: Olga Owner" in page
    # The officer, Ana Official, is on no list.
    assert [r.outcome for r in results_for(application, "Ana Official", "exclusion_leie")] == [
        Outcome.CLEAR
    ]


def test_a_namesake_with_another_birth_date_is_not_a_match(application, authorized_official):
    import_list("leie", leie_file(leie_person("OWNER", "OLGA", dob="19700505")))
    with_owner(application, authorized_official)
    application = submit_entity(application, authorized_official)
    assert [r.outcome for r in results_for(application, "Olga Owner", "exclusion_leie")] == [
        Outcome.CLEAR
    ]


def test_a_disclosed_licence_on_the_medi_cal_list_is_found_under_another_name(
    application, authorized_official
):
    import_list(
        "medi-cal", medi_cal_file(MEDI_CAL_HEADER, medi_cal_row("DOE", "JANE", licence="A-12345"))
    )
    with_owner(application, authorized_official, licence_number="a12345")
    application = submit_entity(application, authorized_official)
    [match] = results_for(application, "Olga Owner", "exclusion_medi_cal")
    assert match.outcome == Outcome.POTENTIAL_MATCH
    assert "licence number" in match.evidence


def test_an_owning_organization_is_screened_by_name(application, authorized_official):
    import_list("leie", leie_file(leie_entity("OWNER HOLDINGS LLC", state="CA")))
    fill_disclosure(application, authorized_official, officer=True, none_owners=False)
    party_save(
        editing=Editing.of_application(application),
        user=authorized_official,
        data={
            "kind": "organization",
            "organization_name": "Owner Holdings, L.L.C.",
            "tin": "123456789",
            "business_addresses": "9 Market St, Fresno, CA 93701",
        },
        holding=Holding(direct_percent=Decimal("60")),
    )
    application = submit_entity(application, authorized_official)
    [match] = results_for(application, "Owner Holdings, L.L.C.", "exclusion_leie")
    assert match.outcome == Outcome.POTENTIAL_MATCH


def test_a_decision_stands_on_rescreening_and_a_removed_party_is_no_longer_current(
    application, authorized_official, reviewer
):
    import_list("leie", leie_file(leie_person("OWNER", "OLGA")))  # no date of birth listed
    with_owner(application, authorized_official)
    application = submit_entity(application, authorized_official)
    [match] = results_for(application, "Olga Owner", "exclusion_leie")
    assert match.outcome == Outcome.POTENTIAL_MATCH
    screening_result_adjudicate(
        result=match,
        user=reviewer,
        adjudication=ScreeningResult.Adjudication.DISMISSED,
        note="Different person: born 1960, the list's Olga Owner is a nurse in Texas.",
    )
    screen_entity(application=application, rescreen=True)
    [again] = results_for(application, "Olga Owner", "exclusion_leie")
    assert again.pk != match.pk
    assert again.adjudication == ScreeningResult.Adjudication.DISMISSED
    assert not again.is_new_match
    assert screening_blockers(application, "entity") == []

    application.disclosure.parties.filter(last_name="Owner").delete()
    screen_entity(application=application, rescreen=True)
    assert results_for(application, "Olga Owner", "exclusion_leie") == []
