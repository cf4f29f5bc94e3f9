"""Who may change what: the checks every applicant-side write starts with."""

from django.utils.translation import gettext as _

from onboarding.exceptions import NotAllowed, OnboardingError
from onboarding.models import Application, ApplicationStep, Organization
from portal.models import User


def require_member(organization: Organization, user: User) -> None:
    membership = getattr(user, "membership", None)
    if membership is None or membership.organization_id != organization.pk:
        raise NotAllowed(_("Only members of the organization can do this."))


def require_authorized_official(organization: Organization, user: User, message: str) -> None:
    require_member(organization, user)
    if not user.membership.is_authorized_official:
        raise NotAllowed(message)


def editable_step(application: Application, kind: str, user: User) -> ApplicationStep:
    """The step, if ``user`` may change it now; otherwise a message saying why not."""
    require_member(application.organization, user)
    step = application.step(kind)
    if not application.is_open:
        raise OnboardingError(_("This application is closed and can no longer be changed."))
    if not step.is_editable:
        raise OnboardingError(
            _(
                "This section has been submitted and can no longer be changed "
                "while it is %(status)s."
            )
            % {"status": step.get_status_display().lower()}
        )
    return step
