"""Only superusers grant privileges in the admin site, and every account change is audited with
what changed, from what to what."""

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils.timezone import localtime

from portal.models import AuditEvent, User
from portal.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def change_form(user: User, **changes: Any) -> dict[str, Any]:
    """The admin change form of ``user`` as a browser would send it back, with ``changes``."""
    data: dict[str, Any] = {
        "email": user.email,
        "full_name": user.full_name,
        "is_active": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": f"{localtime(user.date_joined):%Y-%m-%d}",
        "date_joined_1": f"{localtime(user.date_joined):%H:%M:%S}",
        "groups": [str(pk) for pk in user.groups.values_list("pk", flat=True)],
    }
    if user.is_staff:
        data["is_staff"] = "on"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def plan_admin() -> User:
    return UserFactory.create(
        email="pat@plan.example", is_staff=True, groups=[Role.PLAN_ADMIN.value]
    )


@pytest.fixture
def superuser() -> User:
    return UserFactory.create(email="root@plan.example", is_staff=True, is_superuser=True)


def test_a_plan_administrator_cannot_make_itself_superuser_or_take_roles(
    client: Client, plan_admin: User
):
    client.force_login(plan_admin)
    every_group = [str(pk) for pk in Group.objects.values_list("pk", flat=True)]
    response = client.post(
        f"/admin/portal/user/{plan_admin.pk}/change/",
        change_form(plan_admin, is_superuser="on", groups=every_group, full_name="Pat Admin"),
    )
    assert response.status_code == 302
    plan_admin.refresh_from_db()
    assert plan_admin.full_name == "Pat Admin", "what a plan administrator may change is saved"
    assert not plan_admin.is_superuser
    assert list(plan_admin.groups.values_list("name", flat=True)) == [Role.PLAN_ADMIN.value]


def test_a_plan_administrator_cannot_make_an_applicant_staff(client: Client, plan_admin: User):
    applicant = UserFactory.create(email="ana@sunrise.example")
    client.force_login(plan_admin)
    client.post(
        f"/admin/portal/user/{applicant.pk}/change/",
        change_form(applicant, is_staff="on", is_superuser="on"),
    )
    applicant.refresh_from_db()
    assert not applicant.is_staff
    assert not applicant.is_superuser


def test_a_plan_administrator_cannot_change_a_superuser_or_anyones_password(
    client: Client, plan_admin: User, superuser: User
):
    reviewer = UserFactory.create(groups=[Role.REVIEWER.value])
    client.force_login(plan_admin)
    response = client.post(
        f"/admin/portal/user/{superuser.pk}/change/",
        change_form(superuser, email="pat+root@plan.example"),
    )
    assert response.status_code == 403
    for user in (superuser, reviewer, plan_admin):
        url = f"/admin/portal/user/{user.pk}/password/"
        assert client.get(url).status_code == 403, user.email
        new = {"password1": "another-long-pass-2026", "password2": "another-long-pass-2026"}
        assert client.post(url, new).status_code == 403, user.email
    superuser.refresh_from_db()
    assert superuser.email == "root@plan.example"
    assert superuser.check_password("correct-horse-battery")


def test_a_plan_administrator_cannot_move_a_staff_account_to_another_address(
    client: Client, plan_admin: User
):
    reviewer = UserFactory.create(email="rita@plan.example", is_staff=True)
    client.force_login(plan_admin)
    client.post(
        f"/admin/portal/user/{reviewer.pk}/change/",
        change_form(reviewer, email="rita@attacker.example"),
    )
    reviewer.refresh_from_db()
    assert reviewer.email == "rita@plan.example"


def test_a_superuser_grants_roles_and_the_audit_says_what_changed(client: Client, superuser: User):
    reviewer = UserFactory.create(
        email="rita@plan.example", full_name="Rita", groups=[Role.REVIEWER.value]
    )
    reviewer.date_joined = reviewer.date_joined.replace(microsecond=0)
    reviewer.save()
    client.force_login(superuser)
    groups = Group.objects.filter(name__in=[Role.REVIEWER.value, Role.NETWORK_MANAGER.value])
    response = client.post(
        f"/admin/portal/user/{reviewer.pk}/change/",
        change_form(
            reviewer,
            is_staff="on",
            full_name="Rita Reviewer",
            groups=[str(group.pk) for group in groups],
        ),
    )
    assert response.status_code == 302
    event = AuditEvent.objects.filter(
        action=AuditEvent.Action.ADMIN_CHANGE, object_id=str(reviewer.pk)
    ).get(summary__startswith="Account")
    assert event.actor == superuser
    assert "is_staff: False → True" in event.summary
    assert "full_name: Rita → Rita Reviewer" in event.summary
    assert "date_joined" not in event.summary, "only what changed is named"
    assert "groups: [reviewer] → [network manager, reviewer]" in event.summary


def test_a_password_set_by_a_superuser_is_audited(client: Client, superuser: User):
    reviewer = UserFactory.create(email="rita@plan.example", groups=[Role.REVIEWER.value])
    client.force_login(superuser)
    response = client.post(
        f"/admin/portal/user/{reviewer.pk}/password/",
        {
            "password1": "another-long-pass-2026",
            "password2": "another-long-pass-2026",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    reviewer.refresh_from_db()
    assert reviewer.check_password("another-long-pass-2026")
    event = AuditEvent.objects.get(action=AuditEvent.Action.PASSWORD_CHANGE)
    assert (event.actor, event.object_id) == (superuser, str(reviewer.pk))
