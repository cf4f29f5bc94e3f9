"""Who may join an organization, what inviting tells the official, and the audit of it all."""

import pytest
from django.core import mail
from django.test import Client

from onboarding.models import Invitation, Membership, Organization
from portal.models import AuditEvent, User
from portal.roles import Role
from tests.factories import MembershipFactory, UserFactory, refetch

pytestmark = pytest.mark.django_db


def invite(client: Client, official: User, email: str, capture) -> None:
    client.force_login(official)
    with capture(execute=True):
        client.post("/organization/team/", {"email": email})


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.NETWORK_MANAGER, Role.PLAN_ADMIN])
def test_plan_staff_cannot_join_an_organization_by_invitation(
    client: Client, authorized_official: User, django_capture_on_commit_callbacks, role: Role
):
    staff = UserFactory.create(email="mona@plan.example", groups=[role.value])
    invite(client, authorized_official, staff.email, django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get(email=staff.email)

    staff_client = Client()
    staff_client.force_login(staff)
    response = staff_client.post(f"/invitations/{invitation.token}/", follow=True)

    assert "Plan staff accounts cannot apply for, or join" in response.content.decode()
    assert not Membership.objects.filter(user=staff).exists()
    assert invitation.is_open


def test_plan_staff_cannot_create_an_organization(client: Client):
    admin = UserFactory.create(is_staff=True, groups=[Role.PLAN_ADMIN.value])
    client.force_login(admin)
    client.post("/organization/new/", {"legal_name": "Shadow Org", "title": "Director"})
    assert not Organization.objects.filter(legal_name="Shadow Org").exists()


def test_inviting_answers_the_same_whoever_owns_the_address(
    client: Client, authorized_official: User, django_capture_on_commit_callbacks
):
    elsewhere = UserFactory.create(email="busy@other.example")
    other_official = UserFactory.create(email="boss@other.example")
    from onboarding.services.organizations import organization_create

    organization_create(user=other_official, legal_name="Other Org", title="CEO")
    MembershipFactory.create(
        organization=refetch(other_official).membership.organization,
        user=elsewhere,
        role=Membership.Role.PREPARER,
    )
    staff = UserFactory.create(email="rita@plan.example", groups=[Role.REVIEWER.value])

    answers = set()
    client.force_login(authorized_official)
    for email in ("nobody@new.example", elsewhere.email, staff.email):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/organization/team/", {"email": email}, follow=True)
        said = [str(message).replace(email, "ADDRESS") for message in response.context["messages"]]
        answers.add((response.redirect_chain[0], tuple(said)))
    assert answers == {(("/organization/team/", 302), ("Invitation sent to ADDRESS.",))}
    assert Invitation.objects.count() == 3, "each waits on the team page alike"

    told = {message.to[0]: str(message.body) for message in mail.outbox}
    assert "/invitations/" in told["nobody@new.example"]
    assert "already belongs to another organization" in told[elsewhere.email]
    assert "/invitations/" not in told[elsewhere.email]
    assert "staff account" in told[staff.email]
    assert "/invitations/" not in told[staff.email]


def test_a_name_with_a_line_break_is_refused_and_no_email_subject_breaks(
    client: Client, django_capture_on_commit_callbacks
):
    person = UserFactory.create(email="ana@sunrise.example")
    client.force_login(person)
    response = client.post(
        "/organization/new/",
        {"legal_name": "Sunrise\r\nBcc: victim@example.com", "title": "Director"},
    )
    assert response.status_code == 200
    assert "Please type this on one line" in response.content.decode()
    assert not Organization.objects.exists()


def test_email_subjects_are_one_line_whatever_is_stored(
    client: Client, authorized_official: User, django_capture_on_commit_callbacks
):
    """A name stored before names were checked still cannot break an email header."""
    Organization.objects.update(legal_name="Sunrise\r\nBcc: victim@example.com")
    invite(
        client,
        refetch(authorized_official),
        "pia@sunrise.example",
        django_capture_on_commit_callbacks,
    )
    subject = mail.outbox[-1].subject
    assert subject.endswith("help Sunrise Bcc: victim@example.com apply as an ECM provider")
    assert "\n" not in subject


def test_joining_and_leaving_the_team_is_audited(
    client: Client, authorized_official: User, django_capture_on_commit_callbacks
):
    organization = authorized_official.membership.organization
    invite(client, authorized_official, "pia@sunrise.example", django_capture_on_commit_callbacks)
    pia = UserFactory.create(email="pia@sunrise.example")
    invitee = Client()
    invitee.force_login(pia)
    invitee.post(f"/invitations/{Invitation.objects.get().token}/")
    membership = Membership.objects.get(user=pia)

    page = client.get(f"/organization/team/{membership.pk}/remove/").content.decode()
    assert f"Remove {pia.display_name} from the team?" in page
    assert client.post(f"/organization/team/{membership.pk}/remove/").status_code == 302

    assert not Membership.objects.filter(user=pia).exists()
    assert Membership.history.filter(user_id=pia.pk, organization_id=organization.pk).exists()
    actions = list(
        AuditEvent.objects.order_by("pk").values_list("action", "actor__email", "summary")
    )
    kinds = [action for action, _actor, _summary in actions]
    assert AuditEvent.Action.ORGANIZATION_CREATED in kinds
    assert (
        AuditEvent.Action.INVITATION_SENT,
        authorized_official.email,
        "Invitation to pia@sunrise.example to prepare for Sunrise Community Services",
    ) in actions
    assert (
        AuditEvent.Action.INVITATION_ACCEPTED,
        pia.email,
        "pia@sunrise.example joined Sunrise Community Services as a preparer",
    ) in actions
    assert (
        AuditEvent.Action.MEMBERSHIP_REMOVED,
        authorized_official.email,
        "pia@sunrise.example removed from Sunrise Community Services by "
        + authorized_official.email,
    ) in actions


def test_a_preparer_cannot_remove_anyone(client: Client, authorized_official: User, preparer: User):
    official_membership = authorized_official.membership
    client.force_login(preparer)
    client.post(f"/organization/team/{official_membership.pk}/remove/")
    client.post(f"/organization/team/{preparer.membership.pk}/remove/")
    assert Membership.objects.filter(user=authorized_official).exists()
    assert Membership.objects.filter(user=preparer).exists()


def test_another_organizations_member_is_not_found(client: Client, authorized_official: User):
    other = UserFactory.create(email="boss@other.example")
    from onboarding.services.organizations import organization_create

    organization_create(user=other, legal_name="Other Org", title="CEO")
    client.force_login(authorized_official)
    foreign = refetch(other).membership
    assert client.get(f"/organization/team/{foreign.pk}/remove/").status_code == 404
    assert client.post(f"/organization/team/{foreign.pk}/remove/").status_code == 404
    assert Membership.objects.filter(pk=foreign.pk).exists()
