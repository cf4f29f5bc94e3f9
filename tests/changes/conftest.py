"""The provider every change-request test asks changes of."""

from datetime import timedelta

import pytest
from django.utils import timezone

from onboarding.models import Application
from tests.providers.test_credential_check import provider


@pytest.fixture
def active(application, authorized_official) -> Application:
    """An active provider whose Clinical Consultant's licence runs for another year."""
    return provider(
        application, authorized_official, expires=timezone.localdate() + timedelta(days=365)
    )
