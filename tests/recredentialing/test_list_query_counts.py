"""The recredentialing and corrective-action lists run the same number of queries for one row
as for five (bench/pages.py measures them at 1,000 and 100,000 applications)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from corrective_actions.models import CorrectiveActionPlan
from onboarding.models import Application, Organization
from reviews.models import ReviewDecision
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def provider(n: int, manager) -> Application:
    """A provider overdue for recredentialing, approved with one condition open."""
    official = UserFactory.create(email=f"o{n}@p{n}.example")
    organization = Organization.objects.create(legal_name=f"Provider {n}")
    application = Application.objects.create(
        organization=organization,
        created_by=official,
        status=Application.Status.CONDITIONAL,
        recredentialing_due_on=TODAY - timedelta(days=n + 1),
    )
    decision = ReviewDecision.objects.create(
        application=application, stage="final", outcome="approve", reviewer=manager
    )
    plan = CorrectiveActionPlan.objects.create(application=application, decision=decision)
    plan.items.create(
        application=application,
        finding="entity:general",
        finding_label="Entity verification: General",
        detail="Found",
        action="Fix",
        due_on=TODAY + timedelta(days=n + 5),
        responsible="Dana",
    )
    return application


@pytest.mark.parametrize(
    ("url", "rows"),
    [
        (reverse("recredentialing:workbench") + "?due=overdue", "providers"),
        (reverse("corrective_actions:workbench"), "items"),
    ],
)
def test_the_lists_run_a_fixed_number_of_queries(url, rows, manager, django_assert_num_queries):
    client = Client()
    client.force_login(manager)
    provider(0, manager)
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as one:
        response = client.get(url)
    queries = len(one)
    assert len(response.context[rows]) == 1
    for n in range(1, 5):
        provider(n, manager)
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert len(response.context[rows]) == 5
