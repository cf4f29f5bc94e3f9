"""Two network managers deciding one status change at the same instant, on PostgreSQL's row
locks (the process lock of the one transition path). Run by .ci/run."""

import os
from functools import partial

import pytest
from django.db import connection
from django.utils import timezone

from onboarding.models import Application, ApplicationEvent
from onboarding.services.applications import application_start
from onboarding.services.organizations import organization_create
from portal.roles import Role
from providers.models import StatusChange
from providers.services.status_changes import (
    status_change_confirm,
    status_change_decline,
    status_change_propose,
)
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


def proposed_suspension(number: int, proposer) -> StatusChange:
    official = UserFactory.create(email=f"official{number}@org{number}.example")
    organization = organization_create(user=official, legal_name=f"Org {number}", title="CEO")
    application = application_start(organization=organization, user=refetch(official))
    active = provider(application, refetch(official), expires=None)
    return status_change_propose(
        application=active,
        user=proposer,
        action="suspend",
        reason="Confirmed exclusion",
        effective_on=timezone.localdate(),
    )


def test_two_managers_confirming_at_once_suspend_the_provider_once():
    proposer, first, second = (
        UserFactory.create(groups=[Role.NETWORK_MANAGER.value]) for _ in range(3)
    )
    for number in range(ROUNDS):
        change = proposed_suspension(number, proposer)
        results = at_the_same_instant(
            partial(status_change_confirm, status_change=change, user=first),
            partial(status_change_confirm, status_change=change, user=second),
        )
        won = [r for r in results if isinstance(r, StatusChange)]
        assert len(won) == 1, results
        application = Application.objects.get(pk=change.application_id)
        assert application.status == Application.Status.SUSPENDED
        assert application.events.filter(kind=ApplicationEvent.Kind.PROVIDER_SUSPENDED).count() == 1


def test_a_confirmation_racing_a_withdrawal_ends_with_exactly_one_of_them():
    proposer, other = (UserFactory.create(groups=[Role.NETWORK_MANAGER.value]) for _ in range(2))
    for number in range(ROUNDS):
        change = proposed_suspension(1000 + number, proposer)
        at_the_same_instant(
            partial(status_change_confirm, status_change=change, user=other),
            partial(status_change_decline, status_change=change, user=proposer),
        )
        change.refresh_from_db()
        application = Application.objects.get(pk=change.application_id)
        assert change.state in {StatusChange.State.IN_EFFECT, StatusChange.State.WITHDRAWN}
        suspended = application.status == Application.Status.SUSPENDED
        assert suspended == (change.state == StatusChange.State.IN_EFFECT)
