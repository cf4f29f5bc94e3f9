"""Applications whose entity step carries the NPI and TIN the sample files must match."""

import pytest

from onboarding.flows import OnboardingFlow
from onboarding.models import Application
from portal.models import User
from reviews.models import ReviewDecision
from tests.factories import decide, fill_entity_step, submit_entity_step


@pytest.fixture
def entity_filled(application: Application, authorized_official: User) -> Application:
    fill_entity_step(application, authorized_official)
    return Application.objects.get(pk=application.pk)


@pytest.fixture
def entity_approved(
    application: Application, authorized_official: User, reviewer: User
) -> Application:
    """The entity step approved, so the data-sharing step can be submitted."""
    fill_entity_step(application, authorized_official)
    submit_entity_step(application, authorized_official)
    decide(
        OnboardingFlow.review_entity,
        Application.objects.get(pk=application.pk),
        reviewer,
        ReviewDecision.Outcome.APPROVE,
    )
    return Application.objects.get(pk=application.pk)
