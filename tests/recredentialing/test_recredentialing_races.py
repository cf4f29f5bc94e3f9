"""Two network managers deciding the same recredentialing at the same instant, on PostgreSQL's
row locks: one holds its final approval, and of two decisions exactly one is recorded, with the
record renewed only if it was the approval. Run by .ci/run."""

import os
from datetime import timedelta
from functools import partial

import pytest
from django.db import connection
from django.utils import timezone
from viewflow.workflow.models import Task

from onboarding.flows import OnboardingFlow
from onboarding.models import Application, ApplicationStep
from onboarding.selectors import open_task
from onboarding.services.applications import application_start
from onboarding.services.organizations import organization_create
from onboarding.services.steps import step_submit
from portal.roles import Role
from recredentialing.models import Recredentialing
from recredentialing.services import recredentialing_start
from reviews.models import ReviewDecision
from reviews.services.decisions import review_decide, task_claim
from tests.factories import (
    UserFactory,
    WelcomePacketFactory,
    decide,
    packet_item_add,
    refetch,
    signature_of,
)
from tests.onboarding.test_concurrency import at_the_same_instant
from tests.onboarding.test_flow_services import approve_all_steps, fresh

ROUNDS = max(2, int(os.environ.get("CONCURRENCY_ROUNDS", "50")) // 10)
Kind = ApplicationStep.Kind
Outcome = ReviewDecision.Outcome

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (run by .ci/run)"
    ),
]


def renewal_at_final_approval(number: int, reviewer, manager) -> Application:
    """A provider approved through the flow, whose recredentialing waits for final approval."""
    official = UserFactory.create(
        email=f"official{number}@recred{number}.example", full_name="Ana Official"
    )
    organization = organization_create(user=official, legal_name=f"Recred {number}", title="CEO")
    official = refetch(official)
    application = application_start(organization=organization, user=official)
    approve_all_steps(application, official, reviewer)
    decide(OnboardingFlow.final_approval, application, manager, Outcome.APPROVE)
    provider = fresh(application)
    Application.objects.filter(pk=provider.pk).update(
        recredentialing_due_on=timezone.localdate() + timedelta(days=60)
    )
    renewal = recredentialing_start(fresh(provider)).renewal
    step_submit(
        application=fresh(renewal),
        kind=Kind.ENTITY,
        user=official,
        signature=signature_of(official),
    )
    decide(OnboardingFlow.review_entity, renewal, reviewer, Outcome.APPROVE)
    for kind in (Kind.ATTESTATIONS, Kind.DATA_SHARING):
        step_submit(
            application=fresh(renewal), kind=kind, user=official, signature=signature_of(official)
        )
    decide(OnboardingFlow.review_attestations, renewal, reviewer, Outcome.APPROVE)
    decide(OnboardingFlow.review_data_sharing, renewal, reviewer, Outcome.APPROVE)
    return fresh(renewal)


def test_two_managers_deciding_one_recredentialing_end_with_one_outcome():
    packet = WelcomePacketFactory.create(version=1, is_current=True)
    packet_item_add(packet)
    reviewer = UserFactory.create(groups=[Role.REVIEWER.value])
    first_approver = UserFactory.create(groups=[Role.NETWORK_MANAGER.value])
    first, second = (UserFactory.create(groups=[Role.NETWORK_MANAGER.value]) for _ in range(2))
    for number in range(ROUNDS):
        renewal = renewal_at_final_approval(number, reviewer, first_approver)
        task = open_task(renewal, OnboardingFlow.final_approval)
        assert task is not None
        claims = at_the_same_instant(
            partial(task_claim, task=task, user=first),
            partial(task_claim, task=task, user=second),
        )
        held = [c for c in claims if isinstance(c, Task)]
        assert len(held) == 1, claims
        holder = first if held[0].owner_id == first.pk else second
        results = at_the_same_instant(
            partial(review_decide, task=held[0], user=holder, outcome=Outcome.APPROVE),
            partial(review_decide, task=held[0], user=holder, outcome=Outcome.DENY, reason="No."),
        )
        decisions = ReviewDecision.objects.filter(application=renewal, stage="final")
        assert decisions.count() == 1, results
        recredentialing = Recredentialing.objects.get(renewal=renewal)
        provider = fresh(recredentialing.provider)
        if decisions.get().outcome == Outcome.APPROVE:
            assert recredentialing.outcome == "approved"
            assert fresh(renewal).status == Application.Status.RECREDENTIALED
            due_on = provider.recredentialing_due_on
            assert due_on is not None
            assert due_on > timezone.localdate() + timedelta(days=900)
        else:
            assert recredentialing.outcome == "denied"
            assert fresh(renewal).status == Application.Status.DENIED
            assert provider.recredentialing_due_on == timezone.localdate() + timedelta(days=60)
