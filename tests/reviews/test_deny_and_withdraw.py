"""Denial and withdrawal as people do them: through the pages, with what each side then sees."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from viewflow.workflow.models import Task

from onboarding.flows import OnboardingFlow
from onboarding.models import Application, ApplicationStep
from reviews.models import ReviewWork
from tests.reviews.conftest import MakeApplication

pytestmark = pytest.mark.django_db

NO_DEFICIENCIES = {"deficiency-TOTAL_FORMS": "0", "deficiency-INITIAL_FORMS": "0"}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def entity_review(application: Application) -> Task:
    return Task.objects.get(
        process_id=application.process.pk, flow_task=OnboardingFlow.review_entity
    )


def test_a_reviewer_denies_a_step_through_the_pages_and_the_applicant_is_told_why(
    submitted_application: MakeApplication, reviewer, django_capture_on_commit_callbacks
):
    application = submitted_application()
    task = entity_review(application)
    client = signed_in(reviewer)
    assert client.post(reverse("reviews:claim", args=[task.pk])).status_code == 302

    refused = client.post(
        reverse("reviews:decide", args=[task.pk]), {"outcome": "deny", **NO_DEFICIENCIES}
    )
    assert "Give the reason for the denial" in refused.content.decode()
    assert Application.objects.get(pk=application.pk).status != Application.Status.DENIED

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reviews:decide", args=[task.pk]),
            {"outcome": "deny", "reason": "Not a Medi-Cal enrolled entity.", **NO_DEFICIENCIES},
        )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.DENIED
    assert application.decision_reason == "Not a Medi-Cal enrolled entity."
    assert application.step(ApplicationStep.Kind.ENTITY).status == ApplicationStep.Status.DENIED
    assert not ReviewWork.objects.filter(application=application, is_open=True).exists()
    official = application.organization.authorized_official
    assert official is not None
    assert [message.to for message in mail.outbox] == [[official.email]]
    assert "Not a Medi-Cal enrolled entity." in mail.outbox[0].body

    official_page = signed_in(official).get(
        reverse("onboarding:application_detail", args=[application.pk])
    )
    assert "Not a Medi-Cal enrolled entity." in official_page.content.decode()


def test_the_official_withdraws_through_the_page_while_a_review_is_claimed(
    submitted_application: MakeApplication, reviewer, django_capture_on_commit_callbacks
):
    application = submitted_application()
    task = entity_review(application)
    signed_in(reviewer).post(reverse("reviews:claim", args=[task.pk]))
    official = application.organization.authorized_official
    assert official is not None
    client = signed_in(official)
    url = reverse("onboarding:application_withdraw", args=[application.pk])
    assert client.get(url).status_code == 200

    unconfirmed = client.post(url, {"reason": "We merged with another provider."})
    assert "This field is required." in unconfirmed.content.decode()
    assert Application.objects.get(pk=application.pk).status == Application.Status.IN_REVIEW

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"reason": "We merged with another provider.", "confirm": "on"}, follow=True
        )
    assert f"Application {application.reference} has been withdrawn." in response.content.decode()
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN
    task.refresh_from_db()
    assert task.status == "CANCELED"
    assert not ReviewWork.objects.filter(application=application, is_open=True).exists()
    assert [message.to for message in mail.outbox] == [[official.email]]

    again = client.post(url, {"reason": "Twice.", "confirm": "on"})
    assert "can no longer be withdrawn" in again.content.decode()


def test_only_the_official_may_withdraw(submitted_application: MakeApplication, reviewer):
    application = submitted_application()
    response = signed_in(reviewer).post(
        reverse("onboarding:application_withdraw", args=[application.pk]),
        {"reason": "x", "confirm": "on"},
    )
    assert response.status_code == 404  # staff have no applicant page for it
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
