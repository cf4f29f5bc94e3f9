"""A reviewer's approvals in few clicks, plain screening wording, and who is told what."""

import json
import re

import pytest
from django.core import mail
from django.test import Client
from viewflow.workflow.models import Task

from onboarding.flows import OnboardingFlow
from onboarding.models import Application, ApplicationStep
from portal.models import User
from reviews.models import ReviewDecision, ReviewWork
from reviews.services.decisions import DeficiencyItem, task_claim
from screening.services.exclusion_lists import exclusion_release_import
from tests.factories import VALID_NPI, decide, review_task
from tests.onboarding.test_flow_services import (
    approve_all_steps,
    approve_entity,
    submit_entity,
    submit_parallel_steps,
)
from tests.screening.files import leie_entity, leie_file

pytestmark = pytest.mark.django_db

Outcome = ReviewDecision.Outcome


def fresh(application: Application) -> Application:
    return Application.objects.get(pk=application.pk)


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def approve_from_the_queue(client: Client, task: Task) -> int:
    """Open the queue, press "Claim and review" on the task's row, then the page's approve
    button; returns the number of clicks (pages asked for by the person, not redirects)."""
    queue = client.get("/review/").content.decode()
    assert f'formaction="/review/tasks/{task.pk}/claim/"' in queue
    decide_page = client.post(f"/review/tasks/{task.pk}/claim/", follow=True)
    assert decide_page.redirect_chain == [(f"/review/tasks/{task.pk}/", 302)]
    assert 'name="approve_all"' in decide_page.content.decode()
    done = client.post(f"/review/tasks/{task.pk}/", {"approve_all": "1", **management_form()})
    assert done.status_code == 302, done.content.decode()[-2000:]
    reference = ReviewWork.objects.get(task_id=task.pk).application.reference
    landed = client.get(done["Location"]).content.decode()
    assert f"Decision recorded for {reference}." in landed
    return 2


def management_form() -> dict[str, str]:
    """The deficiency rows' bookkeeping fields, which the page always sends."""
    return {
        "deficiency-TOTAL_FORMS": "3",
        "deficiency-INITIAL_FORMS": "0",
        "deficiency-MIN_NUM_FORMS": "0",
        "deficiency-MAX_NUM_FORMS": "20",
    }


# Clicks ---------------------------------------------------------------------------------------


def test_a_clean_entity_step_is_approved_in_two_clicks_from_the_queue(
    application, authorized_official, reviewer
):
    submit_entity(application, authorized_official)
    task = review_task(application, OnboardingFlow.review_entity)

    assert approve_from_the_queue(signed_in(reviewer), task) == 2

    assert fresh(application).step("entity").status == ApplicationStep.Status.APPROVED


def test_attestations_are_approved_in_two_clicks_from_the_queue(
    application, authorized_official, reviewer
):
    approve_entity(application, authorized_official, reviewer)
    submit_parallel_steps(application, authorized_official)
    task = review_task(application, OnboardingFlow.review_attestations)

    assert approve_from_the_queue(signed_in(reviewer), task) == 2

    decision = fresh(application).decisions.get(stage="attestations")
    assert decision.outcome == Outcome.APPROVE
    assert decision.accepted_items.count() == 9


def test_final_approval_is_given_in_two_clicks_from_the_queue(
    application, authorized_official, reviewer, manager, welcome_packet
):
    approve_all_steps(application, authorized_official, reviewer)
    task = review_task(application, OnboardingFlow.final_approval)

    assert approve_from_the_queue(signed_in(manager), task) == 2

    assert fresh(application).status == Application.Status.APPROVED


# Screening wording ----------------------------------------------------------------------------


@pytest.fixture
def registry_name_differs(settings, tmp_path) -> None:
    path = tmp_path / "npi.json"
    settings.NPI_REGISTRY = "offline"
    settings.NPI_REGISTRY_FIXTURES = path
    path.write_text(
        json.dumps(
            {
                "results": [
                    {
                        "number": VALID_NPI,
                        "enumeration_type": "NPI-2",
                        "basic": {"organization_name": "SUNSET CLINIC", "status": "A"},
                    }
                ]
            }
        )
    )


def test_an_npi_name_mismatch_is_called_a_name_mismatch_not_an_excluded_party(
    application, authorized_official, reviewer, registry_name_differs
):
    submit_entity(application, authorized_official)
    task = task_claim(task=review_task(application, OnboardingFlow.review_entity), user=reviewer)

    page = signed_in(reviewer).get(f"/review/tasks/{task.pk}/").content.decode()

    assert "Name mismatch" in page
    assert "name mismatch" in page  # the blocker says what to do about it
    assert "excluded party" not in page
    assert "Dismissed: the same organization, registered under another name" in page


def test_reviewers_see_list_names_not_check_ids(application, authorized_official, reviewer):
    exclusion_release_import(
        source="leie",
        content=leie_file(leie_entity("Sunrise Community Services Inc")),
        operator="test",
    )
    submit_entity(application, authorized_official)
    task = task_claim(task=review_task(application, OnboardingFlow.review_entity), user=reviewer)

    page = signed_in(reviewer).get(f"/review/tasks/{task.pk}/").content.decode()

    assert "OIG exclusion list (LEIE)" in page
    assert "SAM.gov exclusion list" in page
    assert "NPI registry (NPPES)" in page
    for check_id in ("exclusion_leie", "exclusion_sam", "exclusion_medi_cal", "npi_registry"):
        assert check_id not in page


def test_the_cannot_be_approved_message_appears_once_after_trying_to_approve(
    application, authorized_official, reviewer
):
    exclusion_release_import(
        source="leie",
        content=leie_file(leie_entity("Sunrise Community Services Inc")),
        operator="test",
    )
    submit_entity(application, authorized_official)
    task = task_claim(task=review_task(application, OnboardingFlow.review_entity), user=reviewer)
    client = signed_in(reviewer)

    response = client.post(
        f"/review/tasks/{task.pk}/", {"outcome": "approve", "reason": "", **management_form()}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("cannot be approved") == 1
    assert "Confirm or dismiss the potential match on the OIG exclusion list (LEIE)" in page
    assert 'name="approve_all"' not in page  # no approve button while screening blocks it
    assert fresh(application).step("entity").status == ApplicationStep.Status.SUBMITTED


def test_a_dismissed_match_is_reported_by_list_name(application, authorized_official, reviewer):
    exclusion_release_import(
        source="leie",
        content=leie_file(leie_entity("Sunrise Community Services Inc")),
        operator="test",
    )
    submit_entity(application, authorized_official)
    [match] = fresh(application).screening_results.filter(check_name="exclusion_leie")
    response = signed_in(reviewer).post(
        f"/review/applications/{application.pk}/screening/{match.pk}/adjudicate/",
        {"adjudication": "dismissed", "note": "Another address."},
        follow=True,
    )
    page = response.content.decode()
    assert "OIG exclusion list (LEIE): Dismissed: not the same party." in page


# Returning: what the applicant sees, and the email ---------------------------------------------


def test_the_return_reason_says_the_applicant_sees_it_and_the_applicant_does(
    application, authorized_official, reviewer
):
    submit_entity(application, authorized_official)
    task = task_claim(task=review_task(application, OnboardingFlow.review_entity), user=reviewer)
    client = signed_in(reviewer)
    page = client.get(f"/review/tasks/{task.pk}/").content.decode()
    assert re.search(r"<label[^>]*for=\"id_deficiency-0-reason\"[^>]*>\s*Reason \(the applicant "
                     r"sees it\)", page)  # fmt: skip

    data = {
        "outcome": "return",
        "reason": "",
        **management_form(),
        "deficiency-0-requirement": "npi",
        "deficiency-0-reason": "The NPI belongs to another organization",
    }
    assert client.post(f"/review/tasks/{task.pk}/", data).status_code == 302

    applicant_page = (
        signed_in(authorized_official).get(f"/applications/{application.pk}/").content.decode()
    )
    assert "The NPI belongs to another organization" in applicant_page


def test_the_return_email_joins_reason_and_comment_as_sentences(
    application, authorized_official, reviewer, django_capture_on_commit_callbacks
):
    submit_entity(application, authorized_official)
    with django_capture_on_commit_callbacks(execute=True):
        decide(
            OnboardingFlow.review_entity,
            application,
            reviewer,
            Outcome.RETURN,
            deficiencies=[
                DeficiencyItem("npi", "Wrong NPI:", "Enter the NPI of your organization"),
                DeficiencyItem("tin", "The TIN is missing.", ""),
            ],
        )
    body = mail.outbox[-1].body
    assert "Wrong NPI. Enter the NPI of your organization." in body
    assert "The TIN is missing." in body
    assert ":." not in body
    assert ".:" not in body
    assert "::" not in body


# Who is told ----------------------------------------------------------------------------------


def test_claiming_a_submitted_step_tells_the_official_and_the_preparers_once(
    application, authorized_official, preparer, reviewer, django_capture_on_commit_callbacks
):
    submit_entity(application, authorized_official)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(reviewer).post(
            f"/review/tasks/{review_task(application, OnboardingFlow.review_entity).pk}/claim/"
        )
    assert response.status_code == 302
    assert fresh(application).status == Application.Status.IN_REVIEW
    [message] = mail.outbox
    assert sorted(message.to) == sorted([authorized_official.email, preparer.email])
    assert message.subject.endswith(f"{application.reference}: in review")
    assert "is now: In review" in message.body


def test_claiming_when_already_in_review_tells_nobody(
    application, authorized_official, reviewer, django_capture_on_commit_callbacks
):
    approve_entity(application, authorized_official, reviewer)
    submit_parallel_steps(application, authorized_official)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        task_claim(task=review_task(application, OnboardingFlow.review_attestations), user=reviewer)
    assert mail.outbox == []


def test_the_final_approval_subject_says_the_application_is_approved(
    application,
    authorized_official,
    reviewer,
    manager,
    welcome_packet,
    django_capture_on_commit_callbacks,
):
    approve_all_steps(application, authorized_official, reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        decide(OnboardingFlow.final_approval, application, manager, Outcome.APPROVE)
    subjects = [m.subject for m in mail.outbox]
    assert any(s.endswith(f"{application.reference}: Application approved") for s in subjects)
    assert not any("Final approval approved" in s for s in subjects)
