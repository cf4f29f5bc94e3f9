"""Two reviewers judging the same evidence at the same instant, on PostgreSQL's row locks: one
verdict is recorded and the provider's status follows it. Run by .ci/run."""

import os
from datetime import timedelta
from functools import partial

import pytest
from django.db import connection
from django.utils import timezone

from corrective_actions.conditions import Condition
from corrective_actions.models import CorrectiveActionItem, Evidence
from corrective_actions.services import evidence_review, evidence_submit, plan_create
from onboarding.models import Application
from onboarding.services.applications import application_start
from onboarding.services.organizations import organization_create
from portal.roles import Role
from reviews.models import ReviewDecision
from tests.factories import UserFactory, refetch
from tests.onboarding.test_concurrency import at_the_same_instant
from tests.providers.test_credential_check import provider

ROUNDS = int(os.environ.get("CONCURRENCY_ROUNDS", "50")) // 5

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (run by .ci/run)"
    ),
]


def evidence_sent(number: int, manager) -> Evidence:
    """A provider approved with one condition, whose official has sent evidence for it."""
    official = UserFactory.create(email=f"official{number}@cap{number}.example")
    organization = organization_create(user=official, legal_name=f"Cap {number}", title="CEO")
    official = refetch(official)
    application = application_start(organization=organization, user=official)
    active = provider(application, official, expires=timezone.localdate() + timedelta(days=365))
    decision = ReviewDecision.objects.create(
        application=active, stage="final", outcome="approve", reviewer=manager
    )
    due = timezone.localdate() + timedelta(days=30)
    plan = plan_create(
        application=active,
        decision=decision,
        conditions=[Condition("attestations:care_team", "Found", "Fix it", due, "Dana")],
    )
    return evidence_submit(item=plan.items.get(), user=official, note="Done.", uploads=[])


def test_two_verdicts_on_one_piece_of_evidence_record_exactly_one():
    manager = UserFactory.create(groups=[Role.NETWORK_MANAGER.value])
    first, second = (UserFactory.create(groups=[Role.REVIEWER.value]) for _ in range(2))
    for number in range(ROUNDS):
        evidence = evidence_sent(number, manager)
        results = at_the_same_instant(
            partial(evidence_review, evidence=evidence, user=first, verdict="accepted"),
            partial(
                evidence_review, evidence=evidence, user=second, verdict="returned", comment="No"
            ),
        )
        recorded = [r for r in results if isinstance(r, Evidence)]
        assert len(recorded) == 1, results
        evidence.refresh_from_db()
        item = CorrectiveActionItem.objects.get(pk=evidence.item_id)
        application = Application.objects.get(pk=item.application_id)
        if evidence.verdict == "accepted":
            assert (item.status, application.status) == ("accepted", "active")
        else:
            assert (item.status, application.status) == ("returned", "conditional")
