"""Change requests decided at the same instant, on PostgreSQL's row locks: two decisions on one
request, two reviewers claiming it, and an approval racing a suspension. Run by .ci/run."""

import os
from datetime import timedelta
from functools import partial

import pytest
from django.db import connection
from django.utils import timezone
from viewflow.workflow.models import Task

from changes.flows import ChangeRequestFlow
from changes.models import ChangeRequest
from changes.services.decisions import change_request_decide
from changes.services.requests import change_request_start, change_request_submit
from onboarding.models import Application
from onboarding.services.applications import application_start
from onboarding.services.organizations import organization_create
from portal.roles import Role
from providers.services.status_changes import status_change_confirm, status_change_propose
from reviews.models import ReviewDecision
from reviews.services.decisions import task_claim
from tests.factories import UserFactory, refetch
from tests.onboarding.test_concurrency import at_the_same_instant
from tests.providers.test_credential_check import provider

ROUNDS = int(os.environ.get("CONCURRENCY_ROUNDS", "50")) // 5
Status = ChangeRequest.Status

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (run by .ci/run)"
    ),
]


def sent_change(number: int) -> ChangeRequest:
    """A provider's request to add a Lead Care Manager, sent to the plan."""
    official = UserFactory.create(email=f"official{number}@org{number}.example")
    organization = organization_create(user=official, legal_name=f"Org {number}", title="CEO")
    official = refetch(official)
    application = application_start(organization=organization, user=official)
    active = provider(application, official, expires=timezone.localdate() + timedelta(days=365))
    change = change_request_start(
        application=active,
        user=official,
        kind="care_team",
        proposal={"action": "add", "role": "lead_care_manager", "full_name": f"New Lead {number}"},
    )
    return change_request_submit(change_request=change, user=official)


def review_task(change: ChangeRequest) -> Task:
    return Task.objects.get(process_id=change.process.pk, flow_task=ChangeRequestFlow.review)


def test_two_reviewers_claiming_at_once_leave_one_holder():
    first, second = (UserFactory.create(groups=[Role.REVIEWER.value]) for _ in range(2))
    for number in range(ROUNDS):
        task = review_task(sent_change(number))
        results = at_the_same_instant(
            partial(task_claim, task=task, user=first),
            partial(task_claim, task=task, user=second),
        )
        assert len([r for r in results if isinstance(r, Task)]) == 1, results
        task.refresh_from_db()
        assert task.owner in {first, second}


def test_two_decisions_on_one_request_record_exactly_one():
    reviewer = UserFactory.create(groups=[Role.REVIEWER.value])
    for number in range(ROUNDS):
        change = sent_change(100 + number)
        task = task_claim(task=review_task(change), user=reviewer)
        results = at_the_same_instant(
            partial(change_request_decide, task=task, user=reviewer, outcome="approve"),
            partial(change_request_decide, task=task, user=reviewer, outcome="deny", reason="No."),
        )
        assert len([r for r in results if isinstance(r, ReviewDecision)]) == 1, results
        change.refresh_from_db()
        assert ReviewDecision.objects.filter(change_request=change).count() == 1
        added = change.application.care_team.filter(full_name=f"New Lead {100 + number}")
        assert added.exists() == (change.status == Status.APPROVED)


def test_an_approval_racing_a_suspension_ends_with_one_consistent_outcome():
    reviewer = UserFactory.create(groups=[Role.REVIEWER.value])
    proposer, confirmer = (
        UserFactory.create(groups=[Role.NETWORK_MANAGER.value]) for _ in range(2)
    )
    outcomes = set()
    for number in range(ROUNDS):
        change = sent_change(200 + number)
        task = task_claim(task=review_task(change), user=reviewer)
        suspension = status_change_propose(
            application=change.application,
            user=proposer,
            action="suspend",
            reason="Audit findings",
            effective_on=timezone.localdate(),
        )
        at_the_same_instant(
            partial(change_request_decide, task=task, user=reviewer, outcome="approve"),
            partial(status_change_confirm, status_change=suspension, user=confirmer),
        )
        change.refresh_from_db()
        application = Application.objects.get(pk=change.application_id)
        assert application.status == Application.Status.SUSPENDED
        added = application.care_team.filter(full_name=f"New Lead {200 + number}").exists()
        # Applied and then suspended, or suspended and the request called off: never half.
        assert change.status in {Status.APPROVED, Status.CALLED_OFF}, change.status
        assert added == (change.status == Status.APPROVED) == (change.applied_at is not None)
        outcomes.add(change.status)
    print(f"approval vs suspension outcomes seen: {sorted(outcomes)}")
