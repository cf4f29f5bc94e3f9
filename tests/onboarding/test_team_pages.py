"""The authorized official invites a preparer, who signs up and joins the organization."""

import re

import pytest
from django.core import mail
from django.test import Client

from onboarding.models import Membership
from portal.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-demo-passphrase-2026"


def link_in_last_email(pattern: str) -> str:
    match = re.search(pattern, str(mail.outbox[-1].body))
    assert match, mail.outbox[-1].body
    return match.group(1)


def test_invited_preparer_signs_up_and_joins_the_organization(
    client, authorized_official, django_capture_on_commit_callbacks
):
    client.force_login(authorized_official)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/organization/team/", {"email": "Pia@Sunrise.example"})
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["pia@sunrise.example"]
    invitation_path = link_in_last_email(r"http://127\.0\.0\.1:8000(/invitations/[^\s]+/)")

    invitee = Client()
    response = invitee.post(
        "/accounts/signup/",
        {
            "full_name": "Pia Preparer",
            "email": "pia@sunrise.example",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    invitee.post(link_in_last_email(r"http://testserver(/accounts/confirm-email/[^\s]+)"))
    assert "Accept the invitation" in invitee.get(invitation_path).content.decode()
    assert invitee.post(invitation_path).status_code == 302

    membership = Membership.objects.get(user__email="pia@sunrise.example")
    assert membership.organization == authorized_official.membership.organization
    assert membership.role == Membership.Role.PREPARER
    page = client.get("/organization/team/").content.decode()
    assert "pia@sunrise.example" in page
    assert "Invitations waiting" not in page


def test_invitation_cannot_be_accepted_with_another_address(client, authorized_official):
    client.force_login(authorized_official)
    client.post("/organization/team/", {"email": "pia@sunrise.example"})
    invitation = authorized_official.membership.organization.invitations.get()
    stranger = User.objects.create_user("someone@else.example", PASSWORD)
    other = Client()
    other.force_login(stranger)
    response = other.post(f"/invitations/{invitation.token}/", follow=True)
    assert "This invitation was sent to pia@sunrise.example" in response.content.decode()
    assert not Membership.objects.filter(user=stranger).exists()


def test_only_the_authorized_official_can_invite(client, preparer):
    client.force_login(preparer)
    response = client.post("/organization/team/", {"email": "new@sunrise.example"})
    assert response.status_code == 200
    assert "Only the authorized official can invite preparers." in response.content.decode()
    assert not preparer.membership.organization.invitations.exists()


def test_unknown_invitation_token_is_404(client, authorized_official):
    client.force_login(authorized_official)
    assert client.get("/invitations/not-a-real-token/").status_code == 404
