"""Creating organizations and bringing their people in, and letting them go."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onboarding import notifications
from onboarding.exceptions import NotAllowed, OnboardingError
from onboarding.models import Invitation, Membership, Organization
from onboarding.selectors import open_invitations
from portal.audit import audit_record
from portal.models import AuditEvent, User
from portal.roles import is_staff_member
from screening.normalise import normalise_business_name

STAFF_CANNOT_APPLY = _(
    "Plan staff accounts cannot apply for, or join, an applicant organization: the plan's "
    "reviewers must be independent of the organizations they review."
)


@transaction.atomic
def organization_create(*, user: User, legal_name: str, title: str = "") -> Organization:
    """Create an organization with ``user`` as its authorized official."""
    if hasattr(user, "membership"):
        raise OnboardingError(_("You already belong to an organization."))
    if is_staff_member(user):
        raise NotAllowed(STAFF_CANNOT_APPLY)
    organization = Organization(
        legal_name=legal_name.strip(), name_key=normalise_business_name(legal_name)
    )
    organization.full_clean()
    organization.save()
    membership = Membership(
        organization=organization,
        user=user,
        role=Membership.Role.AUTHORIZED_OFFICIAL,
        title=title.strip(),
    )
    membership.full_clean()
    membership.save()
    audit_record(
        action=AuditEvent.Action.ORGANIZATION_CREATED,
        actor=user,
        target=organization,
        summary=f"Organization created: {organization.legal_name}; {user.email} is its "
        "authorized official",
    )
    return organization


def _official_of(organization: Organization, user: User, action: str) -> Membership:
    membership = getattr(user, "membership", None)
    if membership is None or membership.organization_id != organization.pk:
        raise NotAllowed(_("Only members of the organization can do this."))
    if not membership.is_authorized_official:
        raise NotAllowed(action)
    return membership


@transaction.atomic
def invitation_create(*, organization: Organization, invited_by: User, email: str) -> Invitation:
    """Invite someone by email to prepare the organization's applications.

    The official is answered the same way whoever the address belongs to, so that inviting is
    no way to learn who has an account or where. Someone who cannot join (plan staff, or a member
    of another organization) is told why by email instead, and cannot accept.
    """
    _official_of(organization, invited_by, _("Only the authorized official can invite preparers."))
    email = email.strip().lower()
    if organization.memberships.filter(user__email__iexact=email).exists():
        raise OnboardingError(_("That person is already on your team."))
    if open_invitations(organization).filter(email__iexact=email).exists():
        raise OnboardingError(_("An invitation to that address is already waiting to be accepted."))
    invitation = Invitation(
        organization=organization,
        email=email,
        invited_by=invited_by,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    existing = User.objects.filter(email__iexact=email).select_related("membership").first()
    if existing is not None and (is_staff_member(existing) or hasattr(existing, "membership")):
        notifications.invitation_cannot_be_accepted(
            invitation, is_plan_staff=is_staff_member(existing)
        )
    else:
        notifications.invitation_sent(invitation)
    audit_record(
        action=AuditEvent.Action.INVITATION_SENT,
        actor=invited_by,
        target=invitation,
        summary=f"Invitation to {email} to prepare for {organization.legal_name}",
    )
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """Join the inviting organization as a preparer."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise OnboardingError(invitation.closed_reason)
    if invitation.email.lower() != user.email.lower():
        raise NotAllowed(
            _("This invitation was sent to %(email)s. Sign in with that address to accept it.")
            % {"email": invitation.email}
        )
    if is_staff_member(user):
        raise NotAllowed(STAFF_CANNOT_APPLY)
    if hasattr(user, "membership"):
        raise OnboardingError(_("You already belong to an organization."))
    membership = Membership(
        organization=invitation.organization, user=user, role=Membership.Role.PREPARER
    )
    membership.full_clean()
    membership.save()
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(
        action=AuditEvent.Action.INVITATION_ACCEPTED,
        actor=user,
        target=invitation,
        summary=f"{user.email} joined {invitation.organization.legal_name} as a preparer",
    )
    return membership


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, revoked_by: User) -> Invitation:
    """The authorized official withdraws an invitation nobody has accepted: its link stops
    working. The invited person is not emailed; opening the link tells them."""
    organization = invitation.organization
    _official_of(
        organization, revoked_by, _("Only the authorized official can withdraw invitations.")
    )
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise OnboardingError(
            _("%(email)s has already joined. Remove them from the team instead.")
            % {"email": invitation.email}
        )
    if invitation.revoked_at is not None:
        raise OnboardingError(_("This invitation has already been withdrawn."))
    invitation.revoked_at = timezone.now()
    invitation.revoked_by = revoked_by
    invitation.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(
        action=AuditEvent.Action.INVITATION_REVOKED,
        actor=revoked_by,
        target=invitation,
        summary=f"Invitation to {invitation.email} for {organization.legal_name} withdrawn",
    )
    return invitation


@transaction.atomic
def membership_remove(*, membership: Membership, removed_by: User) -> None:
    """The authorized official takes a preparer off the team; the person keeps their account.

    The membership's history (``Membership.history``) keeps that they once belonged, which the
    separation of duties still reads if the person later works for the plan.
    """
    organization = membership.organization
    _official_of(organization, removed_by, _("Only the authorized official can remove people."))
    membership = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    if membership.is_authorized_official:
        raise NotAllowed(_("The authorized official cannot be removed from the team."))
    email = membership.user.email
    membership.delete()
    audit_record(
        action=AuditEvent.Action.MEMBERSHIP_REMOVED,
        actor=removed_by,
        target=organization,
        summary=f"{email} removed from {organization.legal_name} by {removed_by.email}",
    )
