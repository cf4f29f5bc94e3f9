"""The new provider's acknowledgement of its welcome packet, which makes it active."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.exceptions import FlowLockFailed

from documents.models import PacketDelivery
from onboarding import notifications
from onboarding.exceptions import OnboardingError, TaskUnavailable
from onboarding.models import Application, ApplicationEvent
from onboarding.services.access import require_member
from onboarding.services.events import event_record
from onboarding.services.workflow import (
    ACKNOWLEDGE_NODE,
    BUSY_MESSAGE,
    complete,
    locked_activation,
    open_task,
)
from portal.models import User


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
    task = open_task(application, ACKNOWLEDGE_NODE)
    if task is None:
        return _later_version_acknowledge(delivery=delivery, user=user)
    try:
        with locked_activation(task) as activation:
            delivery = PacketDelivery.objects.select_for_update().get(pk=delivery.pk)
            delivery.acknowledged_at = timezone.now()
            delivery.acknowledged_by = user
            delivery.save()
            application = Application.objects.get(pk=application.pk)
            application.status = Application.Status.ACTIVE
            application.save(update_fields=["status", "updated_at"])
            event_record(
                application=application,
                kind=ApplicationEvent.Kind.PACKET_ACKNOWLEDGED,
                actor=user,
                detail=str(delivery.packet),
            )
            complete(activation)
            notifications.application_status_changed(application)
    except FlowLockFailed as error:
        raise TaskUnavailable(BUSY_MESSAGE) from error
    return delivery


def _later_version_acknowledge(*, delivery: PacketDelivery, user: User) -> PacketDelivery:
    if delivery.application.status != Application.Status.ACTIVE:
        raise OnboardingError(
            _("Only an active provider can acknowledge a welcome packet; this one is %(status)s.")
            % {"status": delivery.application.get_status_display()}
        )
    with transaction.atomic():
        delivery = PacketDelivery.objects.select_for_update().get(pk=delivery.pk)
        if delivery.acknowledged_at:
            raise OnboardingError(_("This welcome packet has already been acknowledged."))
        delivery.acknowledged_at = timezone.now()
        delivery.acknowledged_by = user
        delivery.save(update_fields=["acknowledged_at", "acknowledged_by"])
        event_record(
            application=delivery.application,
            kind=ApplicationEvent.Kind.PACKET_ACKNOWLEDGED,
            actor=user,
            detail=str(delivery.packet),
        )
    return delivery
