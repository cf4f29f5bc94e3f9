"""Two people acting on one task at the same instant, on PostgreSQL's real row locks.

SQLite has no SELECT ... FOR UPDATE (viewflow's lock silently degrades there), so these run
only when the suite runs on PostgreSQL (.ci/run does).
"""

import os
import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections
from django.test import Client
from viewflow.workflow.models import Task

from disclosures.models import Disclosure
from onboarding.attestation_text import ATTESTATION_VERSION
from onboarding.flows import OnboardingFlow
from onboarding.models import Application
from onboarding.services.applications import application_start
from onboarding.services.organizations import organization_create
from onboarding.services.steps import step_submit
from portal.models import User
from portal.roles import Role
from reviews.models import ReviewDecision
from tests.factories import UserFactory, fill_entity_step, refetch, signature_of

ROUNDS = int(os.environ.get("CONCURRENCY_ROUNDS", "50"))

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (run by .ci/run)"
    ),
]


def at_the_same_instant(*actions: Callable[[], object]) -> list[object]:
    """Run the actions in threads released together; return each result (or exception)."""
    barrier = threading.Barrier(len(actions))
    results: list[object] = [None] * len(actions)

    def run(index: int, action: Callable[[], object]) -> None:
        barrier.wait()
        try:
            results[index] = action()
        except Exception as error:
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def submitted_application(number: int) -> Application:
    official = UserFactory.create(email=f"official{number}@org{number}.example")
    organization_create(user=official, legal_name=f"Organization {number}", title="Director")
    official = refetch(official)
    application = application_start(organization=official.membership.organization, user=official)
    fill_entity_step(application, official)
    step_submit(
        application=application, kind="entity", user=official, signature=signature_of(official)
    )
    return application


def client_for(user: User) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def decision_form() -> dict[str, str]:
    return {
        "outcome": "approve",
        "reason": "",
        "deficiency-TOTAL_FORMS": "0",
        "deficiency-INITIAL_FORMS": "0",
    }


def test_two_reviewers_racing_for_one_review_make_exactly_one_transition():
    first = UserFactory.create(groups=[Role.REVIEWER.value])
    second = UserFactory.create(groups=[Role.REVIEWER.value])
    for number in range(ROUNDS):
        application = submitted_application(number)
        task = Task.objects.get(
            process_id=application.process.pk, flow_task=OnboardingFlow.review_entity
        )

        def claim_and_decide(user: User, task_pk: int = task.pk) -> tuple[int, int]:
            client = client_for(user)
            claimed = client.post(f"/review/tasks/{task_pk}/claim/")
            decided = client.post(f"/review/tasks/{task_pk}/", decision_form())
            return claimed.status_code, decided.status_code

        results = at_the_same_instant(
            lambda: claim_and_decide(first), lambda: claim_and_decide(second)
        )
        codes = [code for result in results if isinstance(result, tuple) for code in result]
        assert len(codes) == 4, results
        assert all(code < 500 for code in codes), results
        assert ReviewDecision.objects.filter(application=application).count() == 1
        assert (
            Task.objects.filter(
                process_id=application.process.pk,
                flow_task=OnboardingFlow.review_entity,
                status="DONE",
            ).count()
            == 1
        )
        assert (
            Task.objects.filter(
                process_id=application.process.pk,
                flow_task__in=[OnboardingFlow.attestations, OnboardingFlow.data_sharing],
            ).count()
            == 2
        )


def test_a_double_clicked_decision_is_recorded_once():
    reviewer = UserFactory.create(groups=[Role.REVIEWER.value])
    for number in range(ROUNDS):
        application = submitted_application(number)
        task = Task.objects.get(
            process_id=application.process.pk, flow_task=OnboardingFlow.review_entity
        )
        client = client_for(reviewer)
        client.post(f"/review/tasks/{task.pk}/claim/")

        def decide(task_pk: int = task.pk) -> int:
            return (
                client_for(reviewer).post(f"/review/tasks/{task_pk}/", decision_form()).status_code
            )

        results = at_the_same_instant(decide, decide)
        assert all(isinstance(code, int) and code < 500 for code in results), results
        assert ReviewDecision.objects.filter(application=application).count() == 1


def test_a_double_clicked_submission_creates_one_submission():
    for number in range(ROUNDS):
        official = UserFactory.create(email=f"double{number}@org.example")
        organization_create(user=official, legal_name=f"Double {number}", title="Director")
        official = refetch(official)
        application = application_start(
            organization=official.membership.organization, user=official
        )
        fill_entity_step(application, official)

        def submit(user: User = official, pk: int = application.pk) -> int:
            client = client_for(user)
            page = client.get(f"/applications/{pk}/entity/")
            assert page.status_code == 200
            data = {
                "action": "submit",
                **_entity_form_data(Application.objects.get(pk=pk)),
                **_signed_by(user),
            }
            return client.post(f"/applications/{pk}/entity/", data).status_code

        results = at_the_same_instant(submit, submit)
        assert all(isinstance(code, int) and code < 500 for code in results), results
        step = Application.objects.get(pk=application.pk).step("entity")
        assert step.revision == 1
        assert (
            Task.objects.filter(
                process_id=application.process.pk, flow_task=OnboardingFlow.review_entity
            ).count()
            == 1
        )


def _entity_form_data(application: Application) -> dict[str, object]:
    profile = application.entity_profile
    return {
        "legal_name": profile.legal_name,
        "tin": profile.tin,
        "npi": profile.npi,
        "service_address": profile.service_address,
        "official_name": profile.official_name,
        "official_title": profile.official_title,
        "contact_name": profile.contact_name,
        "contact_email": profile.contact_email,
        "entity_types": [t.pk for t in profile.entity_types.all()],
        "counties": profile.county_codes,
        # fill_entity_step answered every category of the disclosure "none".
        **dict.fromkeys(Disclosure.NONE_FIELDS.values(), "on"),
    }


def _signed_by(user: User) -> dict[str, str]:
    signature = signature_of(user)
    return {
        "signature-version": ATTESTATION_VERSION,
        "signature-full_name": signature.full_name,
        "signature-title": signature.title,
        "signature-confirm": "on",
    }
