"""The new provider's acknowledgement of its welcome packet, which makes it active."""

from django.utils import timezone
from django.utils.translation import gettext as _

from documents.models import PacketDelivery
from onboarding import notifications
from onboarding.exceptions import OnboardingError
from onboarding.models import Application, ApplicationEvent
from onboarding.nodes import ACKNOWLEDGE_NODE
from onboarding.selectors import open_task
from onboarding.services.access import require_member
from onboarding.services.events import event_record
from onboarding.transitions import Change, complete, transition
from portal.models import User

# Who may acknowledge a later packet version (the first one finishes the flow's last task).
ACKNOWLEDGING_STATUSES = {Application.Status.ACTIVE, Application.Status.CONDITIONAL}


def packet_acknowledge(*, delivery: PacketDelivery, user: User) -> PacketDelivery:
    """Acknowledge receipt of a delivered packet version.

    The first acknowledgement completes the workflow and makes the application active; a later
    version delivered to an active provider is acknowledged on its own.
    """
    application = delivery.application
    require_member(application.organization, user)
    if not delivery.downloads.filter(
        user__membership__organization=application.organization
    ).exists():
        raise OnboardingError(
            _("Please download the welcome packet documents before acknowledging.")
        )
    if delivery.acknowledged_at:
        raise OnboardingError(_("This welcome packet has already been acknowledged."))
    # The first acknowledgement finishes the flow's last task; a later version has no task.
    task = open_task(application, ACKNOWLEDGE_NODE)

    def check(change: Change) -> None:
        if task is None and change.application.status not in ACKNOWLEDGING_STATUSES:
            raise OnboardingError(
                _(
                    "Only an active provider can acknowledge a welcome packet; "
                    "this one is %(status)s."
                )
                % {"status": change.application.get_status_display()}
            )
        if PacketDelivery.objects.get(pk=delivery.pk).acknowledged_at:
            raise OnboardingError(_("This welcome packet has already been acknowledged."))

    def apply(change: Change) -> PacketDelivery:
        acknowledged = PacketDelivery.objects.select_for_update().get(pk=delivery.pk)
        acknowledged.acknowledged_at = timezone.now()
        acknowledged.acknowledged_by = user
        acknowledged.save(update_fields=["acknowledged_at", "acknowledged_by"])
        event_record(
            application=change.application,
            kind=ApplicationEvent.Kind.PACKET_ACKNOWLEDGED,
            actor=user,
            detail=str(acknowledged.packet),
        )
        if task is not None:
            # Approved with conditions stays so until its corrective actions are accepted.
            if change.application.status == Application.Status.APPROVED:
                change.application.status = Application.Status.ACTIVE
                change.application.save(update_fields=["status", "updated_at"])
            complete(change.task_activation)
        return acknowledged

    def notify(change: Change, acknowledged: PacketDelivery) -> None:
        if change.status_changed:
            notifications.application_status_changed(change.application)

    return transition(application=application, task=task, check=check, apply=apply, notify=notify)
