"""An application whose entity step is approved and whose attestation step is filled in."""

import pytest

from onboarding.flows import OnboardingFlow
from onboarding.models import Application, ApplicationStep
from onboarding.services.steps import step_submit
from portal.models import User
from reviews.models import ReviewDecision
from tests.factories import decide, fill_attestations_step, fill_entity_step, signature_of


def fresh(application: Application) -> Application:
    return Application.objects.get(pk=application.pk)


@pytest.fixture
def ready(application: Application, authorized_official: User, reviewer: User) -> Application:
    """Entity approved, attestation step complete but not yet signed or submitted."""
    fill_entity_step(application, authorized_official)
    step_submit(
        application=application,
        kind=ApplicationStep.Kind.ENTITY,
        user=authorized_official,
        signature=signature_of(authorized_official),
    )
    decide(OnboardingFlow.review_entity, application, reviewer, ReviewDecision.Outcome.APPROVE)
    fill_attestations_step(fresh(application), authorized_official)
    return fresh(application)
