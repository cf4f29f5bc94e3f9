"""Starting, tracking and withdrawing applications."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history
from viewflow.workflow.exceptions import FlowLockFailed, FlowRuntimeError

from onboarding import notifications
from onboarding.exceptions import OnboardingError, TaskUnavailable
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
from onboarding.services.workflow import BUSY_MESSAGE, review_is_claimed
from portal.models import User
from reviews.services.review_work import review_work_refresh

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
    OnboardingFlow.start.run(application=application)
    event_record(application=application, kind=ApplicationEvent.Kind.CREATED, actor=user)
    return application


def application_refresh_status(application: Application) -> Application:
    """Recompute the status people see from the state of the steps (decided statuses are final).

    The workbench's copy of the review tasks is brought up to date on the way.
    """
    review_work_refresh(application)
    if application.status in Application.DECIDED_STATUSES:
        return application
    steps = dict(
        ApplicationStep.objects.filter(application=application).values_list("kind", "status")
    )
    if StepStatus.RETURNED in steps.values():
        status = Status.RETURNED
    elif steps[ApplicationStep.Kind.ENTITY] == StepStatus.DRAFT:
        status = Status.DRAFT
    elif StepStatus.APPROVED in steps.values() or review_is_claimed(application):
        status = Status.IN_REVIEW
    else:
        status = Status.SUBMITTED
    if status != application.status:
        application.status = status
        application.save(update_fields=["status", "updated_at"])
    return application


def application_withdraw(*, application: Application, user: User, reason: str = "") -> Application:
    """Withdraw an application that has not yet had its final approval."""
    require_authorized_official(
        application.organization,
        user,
        _("Only the authorized official can withdraw the application."),
    )
    try:
        # The flow's lock opens the transaction; nothing may wrap it (see services.workflow).
        with OnboardingFlow.lock(application.process.pk):
            application = Application.objects.select_for_update().get(pk=application.pk)
            if not application.is_open:
                raise OnboardingError(
                    _("This application is %(status)s and can no longer be withdrawn.")
                    % {"status": application.get_status_display().lower()}
                )
            OnboardingFlow.instance.cancel(application.process)
            review_work_refresh(application)
            application.status = Status.WITHDRAWN
            application.decided_at = timezone.now()
            application.decision_reason = reason.strip()
            application.save()
            application.steps.exclude(status__in=[StepStatus.APPROVED, StepStatus.DENIED]).update(
                status=StepStatus.CLOSED
            )
            event_record(
                application=application,
                kind=ApplicationEvent.Kind.WITHDRAWN,
                actor=user,
                detail=reason,
            )
            notifications.application_status_changed(application)
    except FlowLockFailed as error:
        raise TaskUnavailable(BUSY_MESSAGE) from error
    except FlowRuntimeError as error:
        raise TaskUnavailable(BUSY_MESSAGE) from error
    return application
