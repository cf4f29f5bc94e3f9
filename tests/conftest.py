"""Fixtures shared by every test: isolated file storage, the people of an application, a packet."""

import hashlib
from collections.abc import Callable, Iterator
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from pytest_django.fixtures import Settings

from data_exchange.models import FileSpecification, SpecColumn
from data_exchange.services import sample_file_check_start
from data_exchange.specs import specifications_seed
from documents.models import WelcomePacket
from documents.services import packet_publish
from onboarding.models import Application, Membership, Organization
from onboarding.services.applications import application_start
from onboarding.services.organizations import organization_create
from portal.middleware import second_factor_record
from portal.models import User
from portal.roles import ROLE_PERMISSIONS, SCREENING_ROLE_PERMISSIONS, Role
from screening.models import ExclusionRelease, ExclusionSource
from tests.factories import (
    MembershipFactory,
    UserFactory,
    WelcomePacketFactory,
    organization_of,
    packet_item_add,
    refetch,
)

# Under CI=true a skipped test fails the run, unless another step of .ci/run is the one to run it.
pytest_plugins = ["tests.ci_skips"]

PASSWORD_ONLY_LOGIN = Client.force_login


@pytest.fixture(scope="session", autouse=True)
def plain_http() -> Iterator[None]:
    """The test client and the live server speak plain HTTP, as a web node behind the load
    balancer does; the HTTPS redirect a deployment turns on (the default whenever DATABASE_URL
    is set) is tested on its own in tests/portal/test_security_settings.py.

    Session-wide, because the live server's middleware reads the setting once, when the server
    starts for the first browser test.
    """
    with override_settings(SECURE_SSL_REDIRECT=False):
        yield


@pytest.fixture(autouse=True)
def offline_npi_registry(settings: Settings) -> None:
    """NPI lookups answer from the fixtures file on any database: with DEBUG off and a
    DATABASE_URL (the PostgreSQL run) the default registry is NPPES, a service no test starts."""
    settings.NPI_REGISTRY = "offline"


@pytest.fixture(autouse=True)
def force_login_is_a_whole_sign_in(monkeypatch: pytest.MonkeyPatch) -> None:
    """In tests, ``Client.force_login`` stands for a complete sign-in: the password and, for
    staff, the authenticator code in that same session, as ``/accounts/login/`` and
    ``/accounts/2fa/authenticate/`` would leave it.

    Tests of the second factor itself sign in through those pages, or use
    ``PASSWORD_ONLY_LOGIN`` for a session that never passed it.
    """

    def force_login(client: Client, user: User, backend: str | None = None) -> None:
        PASSWORD_ONLY_LOGIN(client, user, backend)
        session = client.session
        second_factor_record(session, user.pk)
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


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


@pytest.fixture(autouse=True)
def media_root(settings: Settings, tmp_path: Path) -> Path:
    """Store every file under the test's own folder, never in the repository's var/.

    The default storage is pointed at the folder as well, so that an environment configuring
    another backend (S3) or an explicit location cannot send test files elsewhere.
    """
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root), "base_url": None},
        },
    }
    return root


@pytest.fixture(autouse=True)
def reference_data(request: pytest.FixtureRequest) -> None:
    """Bring back the rows the data migrations seed (entity types, roles) in transactional tests.

    A transactional test (live server, concurrency, worker process) empties every table when it
    ends, so the next one would start without them. The migrations' own functions re-seed what is
    missing; they are idempotent.
    """
    marker = request.node.get_closest_marker("django_db")
    transactional = "live_server" in request.fixturenames or (
        marker is not None and marker.kwargs.get("transaction", False)
    )
    if not transactional:
        return
    request.getfixturevalue("transactional_db")
    import_module("onboarding.migrations.0002_entity_types").seed_entity_types(apps, None)
    import_module("onboarding.migrations.0018_evidencerequirement_has_expiry").mark_licences(
        apps, None
    )
    specifications_seed(FileSpecification, SpecColumn)
    specification_permissions = import_module(
        "onboarding.migrations.0010_data_sharing_specs"
    ).PLAN_ADMIN_PERMISSIONS
    Group.objects.get_or_create(name=Role.PLAN_ADMIN.value)[0].permissions.add(
        *Permission.objects.filter(
            content_type__app_label="data_exchange", codename__in=specification_permissions
        )
    )
    # Permissions come back with the flush's post_migrate signal; the groups do not.
    for role, permissions in [*ROLE_PERMISSIONS.items(), *SCREENING_ROLE_PERMISSIONS.items()]:
        group, _ = Group.objects.get_or_create(name=role.value)
        for app_label, codename in permissions:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
    audit = Permission.objects.get(content_type__app_label="portal", codename="view_audit_trail")
    for group in Group.objects.filter(name__in=[Role.NETWORK_MANAGER.value, Role.PLAN_ADMIN.value]):
        group.permissions.add(audit)


@pytest.fixture(autouse=True)
def exclusion_lists(request: pytest.FixtureRequest) -> None:
    """An active (empty) release of each exclusion list, as a running portal has.

    Without a release screening reports an error, which is never a pass, so no entity step could
    be approved. Tests about matching import their own releases, which replace these.
    """
    marker = request.node.get_closest_marker("django_db")
    transactional = "live_server" in request.fixturenames or (
        marker is not None and marker.kwargs.get("transaction", False)
    )
    uses_db = marker is not None or {"db", "transactional_db", "live_server"} & set(
        request.fixturenames
    )
    if not uses_db:
        return
    request.getfixturevalue("transactional_db" if transactional else "db")
    for source in ExclusionSource.values:
        if not ExclusionRelease.objects.filter(source=source, is_active=True).exists():
            ExclusionRelease.objects.create(
                source=source, sha256=hashlib.sha256(b"").hexdigest(), row_count=0
            )


@pytest.fixture
def authorized_official(db: None) -> User:
    """The person who created the applying organization, and so is its authorized official."""
    user = UserFactory.create(full_name="Ana Official", email="ana@sunrise.example")
    organization_create(
        user=user, legal_name="Sunrise Community Services", title="Executive Director"
    )
    return refetch(user)


@pytest.fixture
def organization(authorized_official: User) -> Organization:
    return organization_of(authorized_official)


@pytest.fixture
def preparer(organization: Organization) -> User:
    membership = MembershipFactory.create(
        organization=organization,
        role=Membership.Role.PREPARER,
        user__full_name="Pia Preparer",
        user__email="pia@sunrise.example",
    )
    return refetch(membership.user)


@pytest.fixture
def application(authorized_official: User, organization: Organization) -> Application:
    return application_start(organization=organization, user=authorized_official)


@pytest.fixture
def reviewer(db: None) -> User:
    return UserFactory.create(groups=[Role.REVIEWER.value], full_name="Rita Reviewer")


@pytest.fixture
def reviewer2(db: None) -> User:
    return UserFactory.create(groups=[Role.REVIEWER.value], full_name="Rob Reviewer")


@pytest.fixture
def manager(db: None) -> User:
    return UserFactory.create(groups=[Role.NETWORK_MANAGER.value], full_name="Mona Manager")


@pytest.fixture
def manager2(db: None) -> User:
    return UserFactory.create(groups=[Role.NETWORK_MANAGER.value], full_name="Max Manager")


@pytest.fixture
def plan_admin(db: None) -> User:
    return UserFactory.create(groups=[Role.PLAN_ADMIN.value], full_name="Ada Admin")


@pytest.fixture
def welcome_packet(db: None) -> WelcomePacket:
    """The current, published welcome packet, with one small PDF in it."""
    packet = WelcomePacketFactory.create()
    packet_item_add(packet)
    return packet_publish(packet=packet)
