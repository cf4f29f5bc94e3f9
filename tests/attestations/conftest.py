"""An application whose entity step is approved and whose attestation step is filled in."""

import pytest

from onboarding.flows import OnboardingFlow
from onboarding.models import Application
from portal.models import User
from reviews.models import ReviewDecision
from tests.factories import decide, fill_attestations_step, fill_entity_step, submit_entity_step


def fresh(application: Application) -> Application:
    return Application.objects.get(pk=application.pk)


@pytest.fixture
def ready(application: Application, authorized_official: User, reviewer: User) -> Application:
    """Entity approved, attestation step complete but not yet signed or submitted."""
    fill_entity_step(application, authorized_official)
    submit_entity_step(application, authorized_official)
    decide(OnboardingFlow.review_entity, application, reviewer, ReviewDecision.Outcome.APPROVE)
    fill_attestations_step(fresh(application), authorized_official)
    return fresh(application)
