"""Tokens, headers and providers for the API's tests."""

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone
from pytest_django.fixtures import Settings

from api.models import ApiToken
from api.tokens import IssuedToken, api_token_issue
from onboarding.models import (
    Application,
    ApplicationEvent,
    EntityProfile,
    PopulationCapacity,
    ServiceCounty,
)
from onboarding.services.organizations import organization_create
from portal.models import User
from portal.roles import Role
from tests.factories import UserFactory, refetch

EVERY_SCOPE = list(ApiToken.Scope.values)


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> None:
    """Each test counts its requests from zero (the cache is the process's memory)."""
    cache.clear()


@pytest.fixture(autouse=True)
def changes_show_at_once(settings: Settings) -> None:
    settings.API_CHANGES_SETTLE_SECONDS = 0


@pytest.fixture
def api_admin(db: None) -> User:
    """A plan administrator who may use the admin site."""
    return UserFactory.create(is_staff=True, groups=[Role.PLAN_ADMIN.value], full_name="Ada Admin")


@pytest.fixture
def issue(api_admin: User) -> Callable[..., IssuedToken]:
    def issue(
        scopes: list[str] | None = None, expires_in: timedelta = timedelta(days=30)
    ) -> IssuedToken:
        return api_token_issue(
            name="Provider data warehouse",
            scopes=EVERY_SCOPE if scopes is None else scopes,
            expires_at=timezone.now() + expires_in,
            created_by=api_admin,
        )

    return issue


@pytest.fixture
def token(issue: Callable[..., IssuedToken]) -> IssuedToken:
    return issue()


def bearer(issued: IssuedToken | str) -> dict[str, str]:
    secret = issued if isinstance(issued, str) else issued.secret
    return {"Authorization": f"Bearer {secret}"}


def roster_provider(
    number: int,
    *,
    status: str = Application.Status.ACTIVE,
    npi: str = "",
    capacity: dict[tuple[str, str], int] | None = None,
    due_on: date | None = None,
) -> Application:
    """A provider as the roster reads it once approved: its organization, entity profile,
    counties and capacity, and the final approval on its timeline. Made directly, as the
    authorization matrix does: what is read is the record after approval."""
    official = UserFactory.create(email=f"official{number}@provider{number}.example")
    organization = organization_create(
        user=official, legal_name=f"Provider {number}", title="Director"
    )
    official = refetch(official)
    application = Application.objects.create(
        organization=organization,
        status=status,
        created_by=official,
        effective_date=date(2026, 1, 1),
        recredentialing_due_on=due_on or date(2029, 1, 1),
    )
    profile = EntityProfile.objects.create(
        application=application, legal_name=f"Provider {number} Inc.", npi=npi
    )
    capacity = capacity or {("1a", "los_angeles"): 40, ("3a", "orange"): 10}
    for county in sorted({county for _, county in capacity}):
        ServiceCounty.objects.create(profile=profile, county=county)
    for (population, county), members in capacity.items():
        PopulationCapacity.objects.create(
            application=application, population=population, county=county, member_capacity=members
        )
    ApplicationEvent.objects.create(
        application=application, kind=ApplicationEvent.Kind.FINAL_APPROVED
    )
    return application


def json_of(response: Any) -> Any:
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return response.json()
