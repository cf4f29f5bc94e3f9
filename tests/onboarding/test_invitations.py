"""Invitations to join a team expire and can be withdrawn, and the invited person is told which."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from onboarding.models import Invitation, Membership, Organization
from portal.models import AuditEvent, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TEAM = "/organization/team/"


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def invite(official: User, email: str, capture) -> Invitation:
    with capture(execute=True):
        response = signed_in(official).post(TEAM, {"email": email}, follow=True)
    assert f"Invitation sent to {email}." in response.content.decode()
    return Invitation.objects.filter(email=email).latest("pk")


def expire(invitation: Invitation) -> None:
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )


def accept(invitation: Invitation, person: User) -> str:
    url = reverse("onboarding:invitation_accept", args=[invitation.token])
    return signed_in(person).post(url, follow=True).content.decode()


def test_an_invitation_works_for_the_configured_number_of_days_and_the_email_says_until_when(
    settings, authorized_official: User, django_capture_on_commit_callbacks
):
    settings.INVITATION_VALID_DAYS = 3
    mail.outbox.clear()
    before = timezone.now()

    invitation = invite(
        authorized_official, "pat@sunrise.example", django_capture_on_commit_callbacks
    )

    assert before + timedelta(days=3) <= invitation.expires_at <= timezone.now() + timedelta(days=3)
    until = timezone.localtime(invitation.expires_at).strftime("%B %-d, %Y")
    assert f"The link works until {until}." in mail.outbox[0].body


def test_an_expired_invitation_cannot_be_accepted_and_the_person_is_told_why(
    authorized_official: User, organization: Organization, django_capture_on_commit_callbacks
):
    invitation = invite(
        authorized_official, "pat@sunrise.example", django_capture_on_commit_callbacks
    )
    expire(invitation)
    pat = UserFactory.create(email="pat@sunrise.example")

    page = signed_in(pat).get(reverse("onboarding:invitation_accept", args=[invitation.token]))
    assert "This invitation expired on" in page.content.decode()
    assert "Accept the invitation" not in page.content.decode()

    answer = accept(invitation, pat)
    assert "This invitation expired on" in answer
    assert f"Ask the authorized official of {organization.legal_name}" in answer
    assert not Membership.objects.filter(user=pat).exists()


def test_the_same_address_can_be_invited_again_only_once_the_first_invitation_expired(
    authorized_official: User, django_capture_on_commit_callbacks
):
    first = invite(authorized_official, "pat@sunrise.example", django_capture_on_commit_callbacks)
    again = signed_in(authorized_official).post(TEAM, {"email": "pat@sunrise.example"})
    assert "already waiting to be accepted" in again.content.decode()

    expire(first)
    team = signed_in(authorized_official).get(TEAM).content.decode()
    assert "Expired" in team
    assert "send a new invitation below" in team

    second = invite(authorized_official, "pat@sunrise.example", django_capture_on_commit_callbacks)
    assert second.pk != first.pk
    pat = UserFactory.create(email="pat@sunrise.example")
    assert "You have joined" in accept(second, pat)
    assert Membership.objects.get(user=pat).role == Membership.Role.PREPARER


def test_the_official_withdraws_an_invitation_and_its_link_stops_working(
    authorized_official: User, organization: Organization, django_capture_on_commit_callbacks
):
    invitation = invite(
        authorized_official, "pat@sunrise.example", django_capture_on_commit_callbacks
    )
    official = signed_in(authorized_official)
    assert "Withdraw" in official.get(TEAM).content.decode()

    response = official.post(
        reverse("onboarding:invitation_revoke", args=[invitation.pk]), follow=True
    )

    page = response.content.decode()
    assert "The invitation to pat@sunrise.example is withdrawn" in page
    assert "Invitations waiting" not in official.get(TEAM).content.decode()
    invitation.refresh_from_db()
    assert invitation.revoked_by == authorized_official
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.INVITATION_REVOKED, actor=authorized_official
    ).exists()
    pat = UserFactory.create(email="pat@sunrise.example")
    answer = accept(invitation, pat)
    assert f"{organization.legal_name} withdrew this invitation" in answer
    assert not Membership.objects.filter(user=pat).exists()

    twice = official.post(
        reverse("onboarding:invitation_revoke", args=[invitation.pk]), follow=True
    )
    assert "This invitation has already been withdrawn." in twice.content.decode()


def test_a_preparer_cannot_withdraw_an_invitation(
    authorized_official: User, preparer: User, django_capture_on_commit_callbacks
):
    invitation = invite(
        authorized_official, "pat@sunrise.example", django_capture_on_commit_callbacks
    )

    response = signed_in(preparer).post(
        reverse("onboarding:invitation_revoke", args=[invitation.pk]), follow=True
    )

    assert "Only the authorized official can withdraw invitations." in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.is_open


def test_an_accepted_invitation_is_not_withdrawn_the_person_is_removed_instead(
    authorized_official: User, django_capture_on_commit_callbacks
):
    invitation = invite(
        authorized_official, "pat@sunrise.example", django_capture_on_commit_callbacks
    )
    accept(invitation, UserFactory.create(email="pat@sunrise.example"))

    response = signed_in(authorized_official).post(
        reverse("onboarding:invitation_revoke", args=[invitation.pk]), follow=True
    )

    assert "pat@sunrise.example has already joined. Remove them" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_withdrawing_needs_a_post(authorized_official: User, django_capture_on_commit_callbacks):
    invitation = invite(
        authorized_official, "pat@sunrise.example", django_capture_on_commit_callbacks
    )
    url = reverse("onboarding:invitation_revoke", args=[invitation.pk])
    assert signed_in(authorized_official).get(url).status_code == 405
    invitation.refresh_from_db()
    assert invitation.is_open
