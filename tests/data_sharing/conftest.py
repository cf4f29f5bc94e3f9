"""An application whose entity step carries the NPI and TIN the sample files must match."""

from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction

from onboarding.data_exchange.services import sample_file_check_start
from onboarding.models import Application
from portal.models import User
from tests.factories import fill_entity_step


@pytest.fixture
def entity_filled(application: Application, authorized_official: User) -> Application:
    fill_entity_step(application, authorized_official)
    return Application.objects.get(pk=application.pk)


@pytest.fixture(autouse=True)
def sample_checks_start_on_commit_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Start a queued sample check as soon as it is queued on commit, as a request does.

    A request commits before it responds, so in the embedded default (eager Celery) the check
    has run when the progress page loads. A test's own transaction never commits: without this
    the check would never start. Other on-commit work (emails, screening) is left as it is.
    """
    on_commit = transaction.on_commit

    def start_sample_checks_at_once(
        func: Callable[[], Any], using: str | None = None, robust: bool = False
    ) -> None:
        if getattr(func, "func", None) is sample_file_check_start:
            func()
        else:
            on_commit(func, using, robust)

    monkeypatch.setattr(transaction, "on_commit", start_sample_checks_at_once)
