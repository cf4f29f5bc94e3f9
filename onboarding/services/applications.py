"""Starting, tracking and withdrawing applications."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from disclosures.models import Disclosure
from onboarding import notifications
from onboarding.exceptions import OnboardingError
from onboarding.flows import OnboardingFlow
from onboarding.models import (
    Application,
    ApplicationEvent,
    ApplicationStep,
    CapabilityAttestation,
    CriterionAttestation,
    DataSharingProfile,
    EntityProfile,
    Organization,
)
from onboarding.reference import QualificationCriterion
from onboarding.services.access import require_authorized_official, require_member
from onboarding.services.events import event_record
from onboarding.transitions import Change, transition
from portal.models import User

Status = Application.Status
StepStatus = ApplicationStep.Status


@transaction.atomic
def application_start(*, organization: Organization, user: User) -> Application:
    """Open a new application, with an empty draft of every step, and start its onboarding flow."""
    require_member(organization, user)
    ongoing = organization.applications.exclude(status__in=Application.CLOSED_STATUSES)
    if ongoing.exists():
        raise OnboardingError(
            _("Your organization already has an application (%(ref)s). Continue that one instead.")
            % {"ref": ongoing.first().reference}  # type: ignore[union-attr]
        )
    application = Application.objects.create(organization=organization, created_by=user)
    ApplicationStep.objects.bulk_create(
        ApplicationStep(application=application, kind=kind) for kind in ApplicationStep.Kind
    )
    EntityProfile.objects.create(application=application, legal_name=organization.legal_name)
    CapabilityAttestation.objects.create(application=application)
    bulk_create_with_history(  # with history, so later changes show as changes
        [
            CriterionAttestation(application=application, criterion=criterion)
            for criterion in QualificationCriterion
        ],
        CriterionAttestation,
    )
    DataSharingProfile.objects.create(application=application)
    Disclosure.objects.create(application=application)
    OnboardingFlow.start.run(application=application)
    event_record(application=application, kind=ApplicationEvent.Kind.CREATED, actor=user)
    return application


def application_withdraw(*, application: Application, user: User, reason: str = "") -> Application:
    """Withdraw an application that has not yet had its final approval."""
    require_authorized_official(
        application.organization,
        user,
        _("Only the authorized official can withdraw the application."),
    )

    def check(change: Change) -> None:
        if change.application.is_recredentialing:
            raise OnboardingError(
                _(
                    "A recredentialing cannot be withdrawn: the provider must be recredentialed "
                    "to stay in the network. Write to the plan if you mean to leave it."
                )
            )
        if not change.application.is_open:
            raise OnboardingError(
                _("This application is %(status)s and can no longer be withdrawn.")
                % {"status": change.application.get_status_display().lower()}
            )

    def apply(change: Change) -> Application:
        withdrawn = change.application
        OnboardingFlow.instance.withdraw(withdrawn.process)
        withdrawn.status = Status.WITHDRAWN
        withdrawn.decided_at = timezone.now()
        withdrawn.decision_reason = reason.strip()
        withdrawn.save()
        withdrawn.steps.exclude(status__in=[StepStatus.APPROVED, StepStatus.DENIED]).update(
            status=StepStatus.CLOSED
        )
        event_record(
            application=withdrawn,
            kind=ApplicationEvent.Kind.WITHDRAWN,
            actor=user,
            detail=reason,
        )
        return withdrawn

    def notify(change: Change, withdrawn: Application) -> None:
        notifications.application_status_changed(withdrawn)

    return transition(application=application, check=check, apply=apply, notify=notify)
