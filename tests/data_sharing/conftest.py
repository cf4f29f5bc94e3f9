"""An application whose entity step carries the NPI and TIN the sample files must match."""

import pytest

from onboarding.models import Application
from portal.models import User
from tests.factories import fill_entity_step


@pytest.fixture
def entity_filled(application: Application, authorized_official: User) -> Application:
    fill_entity_step(application, authorized_official)
    return Application.objects.get(pk=application.pk)
