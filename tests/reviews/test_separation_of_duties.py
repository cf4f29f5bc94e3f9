"""Nobody reviews an organization they belong to, or once belonged to."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from viewflow.workflow.models import Task

from onboarding.models import Membership
from onboarding.services.organizations import membership_remove
from portal.roles import Role
from tests.factories import MembershipFactory, UserFactory, refetch
from tests.reviews.conftest import MakeApplication

pytestmark = pytest.mark.django_db


def entity_review(application) -> Task:
    return Task.objects.get(process_id=application.process.pk, status="NEW", flow_task_type="HUMAN")


def test_a_former_member_who_now_works_for_the_plan_cannot_take_its_review(
    client: Client, submitted_application: MakeApplication
):
    application = submitted_application()
    official = application.organization.authorized_official
    assert official is not None
    former = MembershipFactory.create(
        organization=application.organization, role=Membership.Role.PREPARER
    ).user
    membership_remove(membership=refetch(former).membership, removed_by=official)
    former.groups.add(Group.objects.get(name=Role.NETWORK_MANAGER.value))
    client.force_login(refetch(former))
    task = entity_review(application)

    response = client.post(f"/review/tasks/{task.pk}/claim/", follow=True)

    assert "You are, or were, a member of this applicant organization" in response.content.decode()
    task.refresh_from_db()
    assert task.owner_id is None


def test_a_reviewer_with_no_tie_to_the_organization_takes_it(
    client: Client, submitted_application: MakeApplication
):
    application = submitted_application()
    client.force_login(UserFactory.create(groups=[Role.REVIEWER.value]))
    task = entity_review(application)
    assert client.post(f"/review/tasks/{task.pk}/claim/").status_code == 302
    task.refresh_from_db()
    assert task.owner_id is not None
