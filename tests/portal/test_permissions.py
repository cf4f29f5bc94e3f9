"""A person's permissions, direct and through their role, read in one query."""

import pytest
from django.contrib.auth.models import Group, Permission

from portal.models import User
from portal.roles import FINAL_APPROVAL_PERMISSION, REVIEW_PERMISSION, is_staff_member
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def fresh(user: User) -> User:
    """The user as the next request loads it (permissions are cached per object)."""
    return User.objects.get(pk=user.pk)


def test_role_and_direct_permissions_are_read_together_in_one_query(django_assert_num_queries):
    person = User.objects.create_user("rita@plan.example", PASSWORD)
    person.groups.add(Group.objects.get(name="reviewer"))
    person.user_permissions.add(Permission.objects.get(codename="view_user"))
    person = fresh(person)

    with django_assert_num_queries(1):
        assert person.has_perm(REVIEW_PERMISSION)
        assert person.has_perm("portal.view_user")
        assert not person.has_perm(FINAL_APPROVAL_PERMISSION)
        assert is_staff_member(person)


def test_applicants_hold_no_permission_and_are_not_staff():
    applicant = fresh(User.objects.create_user("ann@provider.example", PASSWORD))

    assert applicant.get_all_permissions() == set()
    assert not is_staff_member(applicant)


def test_inactive_people_hold_no_permission_whatever_their_role():
    person = User.objects.create_user("rita@plan.example", PASSWORD, is_active=False)
    person.groups.add(Group.objects.get(name="network manager"))

    assert not fresh(person).has_perm(FINAL_APPROVAL_PERMISSION)


def test_superusers_hold_every_permission():
    admin = fresh(User.objects.create_superuser("root@plan.example", PASSWORD))

    assert admin.get_all_permissions() == {
        f"{app_label}.{codename}"
        for app_label, codename in Permission.objects.values_list(
            "content_type__app_label", "codename"
        )
    }
