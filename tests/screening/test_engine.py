"""The screening engine on a submitted entity step, and the reviewer's adjudication of it."""

import json
import re

import pytest
from django.test import Client
from viewflow.workflow.models import Task

from onboarding.exceptions import OnboardingError
from onboarding.flows import OnboardingFlow
from onboarding.models import Application, ApplicationStep
from onboarding.services.steps import care_team_member_save, step_submit
from reviews.models import ReviewDecision
from reviews.services.decisions import review_decide, task_claim
from screening.models import ExclusionRelease, ScreeningResult
from screening.selectors import screening_blockers
from screening.services.exclusion_lists import exclusion_release_import
from screening.services.results import screen_care_team, screening_result_adjudicate
from screening.tasks import screen_application_job
from tests.factories import VALID_NPI, decide, fill_entity_step, review_task, signature_of
from tests.screening.files import leie_entity, leie_file, leie_person, sam_file

Outcome = ScreeningResult.Outcome
APPROVE = ReviewDecision.Outcome.APPROVE
DENY = ReviewDecision.Outcome.DENY


def import_list(source: str, content: bytes) -> ExclusionRelease:
    return exclusion_release_import(source=source, content=content, operator="test").release


def submit_entity(application: Application, official, **overrides) -> Application:
    fill_entity_step(application, official, **overrides)
    step_submit(
        application=Application.objects.get(pk=application.pk),
        kind=ApplicationStep.Kind.ENTITY,
        user=official,
        signature=signature_of(official),
    )
    return Application.objects.get(pk=application.pk)


def current(application: Application, check_name: str) -> list[ScreeningResult]:
    """The current results of ``check_name`` about the organization itself (its disclosed
    people are screened too: ``tests/disclosures/test_screening.py``)."""
    return list(
        application.screening_results.filter(
            is_current=True, check_name=check_name, disclosed_party=None
        ).order_by("pk")
    )


def claim_entity_review(application: Application, reviewer):
    return task_claim(task=review_task(application, OnboardingFlow.review_entity), user=reviewer)


def test_organization_listed_by_name_and_state_is_a_potential_match_with_its_evidence(
    application, authorized_official
):
    release = import_list(
        "leie",
        leie_file(leie_person("DOE", "JANE"), leie_entity("SUNRISE COMMUNITY SERVICES, INC.")),
    )

    application = submit_entity(application, authorized_official)

    [result] = current(application, "exclusion_leie")
    assert result.outcome == Outcome.POTENTIAL_MATCH
    assert result.release == release
    assert result.matched_line == 3
    assert "SUNRISE COMMUNITY SERVICES, INC." in result.matched_row
    assert f"release #{release.pk}" in result.evidence
    assert "line 3" in result.evidence
    assert [r.outcome for r in current(application, "exclusion_sam")] == [Outcome.CLEAR]
    assert [r.outcome for r in current(application, "npi_registry")] == [Outcome.CLEAR]


def test_the_same_name_in_another_state_is_not_a_match(application, authorized_official):
    import_list("leie", leie_file(leie_entity("Sunrise Community Services", state="TX")))

    application = submit_entity(application, authorized_official)

    assert [r.outcome for r in current(application, "exclusion_leie")] == [Outcome.CLEAR]


def test_npi_and_name_on_the_list_is_a_confirmed_match(application, authorized_official):
    import_list("sam", sam_file({"Classification": "Firm", "Name": "SUNRISE COMMUNITY SERVICES",
                                 "State / Province": "CA", "NPI": VALID_NPI}))  # fmt: skip

    application = submit_entity(application, authorized_official)

    [result] = current(application, "exclusion_sam")
    assert result.outcome == Outcome.CONFIRMED_MATCH
    assert "NPI 1234567893 and name" in result.evidence


def test_a_reinstated_row_is_not_a_match_and_the_evidence_says_so(application, authorized_official):
    import_list("leie", leie_file(leie_entity("Sunrise Community Services", REINDATE="20210601")))

    application = submit_entity(application, authorized_official)

    [result] = current(application, "exclusion_leie")
    assert result.outcome == Outcome.CLEAR
    assert "ended on 2021-06-01" in result.evidence


def test_a_list_never_imported_is_an_error_and_an_error_is_never_a_pass(
    application, authorized_official, reviewer
):
    ExclusionRelease.objects.filter(source="medi-cal").delete()
    application = submit_entity(application, authorized_official)
    [result] = current(application, "exclusion_medi_cal")
    assert result.outcome == Outcome.ERROR
    task = claim_entity_review(application, reviewer)

    with pytest.raises(OnboardingError) as error:
        review_decide(task=task, user=reviewer, outcome=APPROVE)

    assert "an error is never a pass" in error.value.message
    assert application.step("entity").status == ApplicationStep.Status.SUBMITTED


def test_a_potential_match_blocks_approval_until_a_reviewer_dismisses_it_with_a_note(
    application, authorized_official, reviewer
):
    import_list("leie", leie_file(leie_entity("Sunrise Community Services Inc")))
    application = submit_entity(application, authorized_official)
    [match] = current(application, "exclusion_leie")
    task = claim_entity_review(application, reviewer)
    with pytest.raises(OnboardingError) as error:
        review_decide(task=task, user=reviewer, outcome=APPROVE)
    assert "Confirm or dismiss the potential match" in error.value.message
    with pytest.raises(OnboardingError):
        screening_result_adjudicate(result=match, user=reviewer, adjudication="dismissed", note="")

    screening_result_adjudicate(
        result=match, user=reviewer, adjudication="dismissed", note="Different EIN and address."
    )
    review_decide(task=task, user=reviewer, outcome=APPROVE)

    match.refresh_from_db()
    assert (match.adjudication, match.adjudicated_by) == ("dismissed", reviewer)
    assert match.adjudication_note == "Different EIN and address."
    assert application.step("entity").status == ApplicationStep.Status.APPROVED
    assert application.events.filter(kind="screening_adjudicated").exists()


def test_a_confirmed_match_leads_to_denial_with_the_reason(
    application, authorized_official, reviewer
):
    import_list("leie", leie_file(leie_entity("Sunrise Community Services Inc")))
    application = submit_entity(application, authorized_official)
    [match] = current(application, "exclusion_leie")
    task = claim_entity_review(application, reviewer)
    client = Client()
    client.force_login(reviewer)

    response = client.post(
        f"/review/applications/{application.pk}/screening/{match.pk}/adjudicate/",
        {"adjudication": "confirmed", "note": "Same address and officers.", "task": task.pk},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/review/tasks/{task.pk}/"
    with pytest.raises(OnboardingError) as error:
        review_decide(task=task, user=reviewer, outcome=APPROVE)
    assert "confirmed match: deny" in error.value.message
    page = client.get(f"/review/tasks/{task.pk}/").content.decode()
    assert re.search(r'value="deny"\s+id="id_outcome_2" required checked', page), "deny chosen"
    assert "is on the OIG exclusion list (LEIE)" in page

    decision = review_decide(
        task=task, user=reviewer, outcome=DENY, reason="Listed on the OIG LEIE (line 2)."
    )

    assert decision.outcome == DENY
    assert Application.objects.get(pk=application.pk).status == Application.Status.DENIED


def test_adjudication_without_a_note_is_refused_with_a_message(
    application, authorized_official, reviewer
):
    import_list("leie", leie_file(leie_entity("Sunrise Community Services")))
    application = submit_entity(application, authorized_official)
    [match] = current(application, "exclusion_leie")
    client = Client()
    client.force_login(reviewer)

    response = client.post(
        f"/review/applications/{application.pk}/screening/{match.pk}/adjudicate/",
        {"adjudication": "dismissed"},
        follow=True,
    )

    assert "Write a note saying why" in response.content.decode()
    match.refresh_from_db()
    assert match.adjudication == ""


def test_review_page_shows_every_result_with_its_evidence(
    application, authorized_official, reviewer
):
    import_list("leie", leie_file(leie_entity("Sunrise Community Services")))
    application = submit_entity(application, authorized_official)
    client = Client()
    client.force_login(reviewer)

    page = client.get(f"/review/applications/{application.pk}/").content.decode()

    assert page.count('class="border-top py-2 screening-result"') == len(
        application.screening_results.filter(is_current=True)
    )
    assert "Potential match" in page
    assert "Adjudicate this match" in page
    assert "SUNRISE COMMUNITY SERVICES" in page


def test_care_team_members_are_screened_by_name_and_date_of_birth_where_known(
    application, authorized_official, reviewer
):
    import_list("leie", leie_file(leie_person("LEAD", "LEE", dob="19800101"),
                                  leie_person("DIRECTOR", "DANA")))  # fmt: skip
    application = submit_entity(application, authorized_official)
    decide(OnboardingFlow.review_entity, application, reviewer, APPROVE)
    for role, name in (("lead_care_manager", "Lee Lead"), ("ecm_director", "Dana Director"),
                       ("lead_care_manager", "Pat Clear")):  # fmt: skip
        care_team_member_save(
            application=application,
            user=authorized_official,
            data={"role": role, "full_name": name},
        )

    screen_care_team(application=application)

    by_person = {
        r.subject: r.outcome
        for r in application.screening_results.filter(
            is_current=True, check_name="exclusion_leie", subject_kind="person"
        )
    }
    assert by_person == {
        "Lee Lead": Outcome.POTENTIAL_MATCH,  # the list knows a date of birth; we do not
        "Dana Director": Outcome.POTENTIAL_MATCH,
        "Pat Clear": Outcome.CLEAR,
    }


@pytest.fixture
def registry_file(settings, tmp_path):
    path = tmp_path / "npi.json"
    settings.NPI_REGISTRY = "offline"
    settings.NPI_REGISTRY_FIXTURES = path
    return path


def registry(path, *results) -> None:
    path.write_text(json.dumps({"results": list(results)}))


def test_an_npi_the_registry_does_not_know_is_an_error(
    application, authorized_official, registry_file
):
    registry(registry_file)

    application = submit_entity(application, authorized_official)

    [result] = current(application, "npi_registry")
    assert result.outcome == Outcome.ERROR
    assert "no record of NPI 1234567893" in result.evidence


def test_an_npi_registered_to_another_name_is_a_potential_match(
    application, authorized_official, registry_file
):
    registry(
        registry_file,
        {
            "number": VALID_NPI,
            "enumeration_type": "NPI-2",
            "basic": {"organization_name": "SUNSET CLINIC", "status": "A"},
        },
    )

    application = submit_entity(application, authorized_official)

    [result] = current(application, "npi_registry")
    assert result.outcome == Outcome.POTENTIAL_MATCH
    assert "SUNSET CLINIC" in result.evidence


def test_rerun_after_an_import_makes_the_earlier_results_history(
    application, authorized_official, reviewer
):
    ExclusionRelease.objects.filter(source="sam").delete()
    application = submit_entity(application, authorized_official)
    import_list("sam", sam_file({"Classification": "Firm", "Name": "Unrelated Clinic"}))
    client = Client()
    client.force_login(reviewer)

    client.post(f"/review/applications/{application.pk}/screening/run/")

    assert [r.outcome for r in current(application, "exclusion_sam")] == [Outcome.CLEAR]
    assert application.screening_results.filter(
        is_current=False, check_name="exclusion_sam", outcome=Outcome.ERROR
    ).exists()
    task = claim_entity_review(application, reviewer)
    review_decide(task=task, user=reviewer, outcome=APPROVE)
    assert Task.objects.filter(process_id=application.process.pk).exists()


def test_applicants_do_not_see_screening_findings_in_their_history(
    client, application, authorized_official
):
    import_list("leie", leie_file(leie_entity("Sunrise Community Services")))
    application = submit_entity(application, authorized_official)
    assert application.events.filter(kind="screened").exists()
    client.force_login(authorized_official)

    page = client.get(f"/applications/{application.pk}/").content.decode()

    assert "Potential match" not in page
    assert "Screening run" not in page


def test_with_a_broker_screening_is_a_background_job_and_approval_waits_for_it(
    application, authorized_official, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        application = submit_entity(application, authorized_official)

    assert len(callbacks) >= 1, "the job is sent once the submission commits"
    assert not application.screening_results.exists()
    assert screening_blockers(application, "entity") == [
        "The organization has not been screened yet. Run screening."
    ]

    screen_application_job.apply(args=(application.pk, "organization"))

    assert screening_blockers(application, "entity") == []
    assert application.screening_results.filter(is_current=True).count() == 5
