"""Creating organizations and bringing their people in."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onboarding import notifications
from onboarding.exceptions import NotAllowed, OnboardingError
from onboarding.models import Invitation, Membership, Organization
from portal.models import User
from portal.roles import is_plan_staff


@transaction.atomic
def organization_create(*, user: User, legal_name: str, title: str = "") -> Organization:
    """Create an organization with ``user`` as its authorized official."""
    if hasattr(user, "membership"):
        raise OnboardingError(_("You already belong to an organization."))
    if is_plan_staff(user):
        raise NotAllowed(_("Plan staff accounts cannot apply on behalf of an organization."))
    organization = Organization(legal_name=legal_name.strip())
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
    return organization


@transaction.atomic
def invitation_create(*, organization: Organization, invited_by: User, email: str) -> Invitation:
    """Invite someone by email to prepare the organization's applications."""
    membership = getattr(invited_by, "membership", None)
    if membership is None or membership.organization_id != organization.pk:
        raise NotAllowed(_("Only members of the organization can invite others."))
    if not membership.is_authorized_official:
        raise NotAllowed(_("Only the authorized official can invite preparers."))
    email = email.strip().lower()
    if Membership.objects.filter(user__email__iexact=email).exists():
        raise OnboardingError(
            _("Someone with that email address already belongs to an organization.")
        )
    if organization.invitations.filter(email__iexact=email, accepted_at__isnull=True).exists():
        raise OnboardingError(_("An invitation to that address is already waiting to be accepted."))
    invitation = Invitation(organization=organization, email=email, invited_by=invited_by)
    invitation.full_clean()
    invitation.save()
    notifications.invitation_sent(invitation)
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """Join the inviting organization as a preparer."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise OnboardingError(_("This invitation has already been used."))
    if invitation.email.lower() != user.email.lower():
        raise NotAllowed(
            _("This invitation was sent to %(email)s. Sign in with that address to accept it.")
            % {"email": invitation.email}
        )
    if hasattr(user, "membership"):
        raise OnboardingError(_("You already belong to an organization."))
    membership = Membership.objects.create(
        organization=invitation.organization, user=user, role=Membership.Role.PREPARER
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership
