"""Applications whose entity step carries the NPI and TIN the sample files must match."""

import pytest

from onboarding.flows import OnboardingFlow
from onboarding.models import Application, ApplicationStep
from onboarding.services.steps import step_submit
from portal.models import User
from reviews.models import ReviewDecision
from tests.factories import decide, fill_entity_step, signature_of


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
    step_submit(
        application=application,
        kind=ApplicationStep.Kind.ENTITY,
        user=authorized_official,
        signature=signature_of(authorized_official),
    )
    decide(
        OnboardingFlow.review_entity,
        Application.objects.get(pk=application.pk),
        reviewer,
        ReviewDecision.Outcome.APPROVE,
    )
    return Application.objects.get(pk=application.pk)
