"""Driving the onboarding flow's tasks from the portal's own pages, under the flow's lock."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.utils.translation import gettext as _
from viewflow.workflow.activation import Activation
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from onboarding.exceptions import TaskUnavailable
from onboarding.flows import OnboardingFlow
from onboarding.models import Application, ApplicationStep
from reviews.models import ReviewDecision

Kind = ApplicationStep.Kind
OPEN_STATUSES = (STATUS.NEW, STATUS.ASSIGNED)

APPLICANT_NODES = {
    Kind.ENTITY: OnboardingFlow.entity_profile,
    Kind.ATTESTATIONS: OnboardingFlow.attestations,
    Kind.DATA_SHARING: OnboardingFlow.data_sharing,
}
REVIEW_NODES = {
    ReviewDecision.Stage.ENTITY: OnboardingFlow.review_entity,
    ReviewDecision.Stage.ATTESTATIONS: OnboardingFlow.review_attestations,
    ReviewDecision.Stage.DATA_SHARING: OnboardingFlow.review_data_sharing,
    ReviewDecision.Stage.FINAL: OnboardingFlow.final_approval,
}
STAGE_BY_NODE = {node: stage for stage, node in REVIEW_NODES.items()}
ACKNOWLEDGE_NODE = OnboardingFlow.acknowledge_packet

BUSY_MESSAGE = _(
    "Someone else is working on this application at this very moment. Please try again in a moment."
)


def open_task(application: Application, node: object) -> Task | None:
    """The task of ``node`` that is waiting to be done for this application, if any."""
    return (
        Task.objects.filter(
            process_id=application.process.pk, flow_task=node, status__in=OPEN_STATUSES
        )
        .order_by("-created")
        .first()
    )


def review_is_claimed(application: Application) -> bool:
    """True while a reviewer holds one of the application's review tasks."""
    return Task.objects.filter(
        process_id=application.process.pk,
        flow_task__in=list(REVIEW_NODES.values()),
        status=STATUS.ASSIGNED,
    ).exists()


def stage_of(task: Task) -> ReviewDecision.Stage:
    return STAGE_BY_NODE[task.flow_task]


@contextmanager
def locked_activation(task: Task) -> Iterator[Activation]:
    """The task's activation under the flow's lock, re-read so a finished task is never redone.

    The lock opens its own transaction and must be the outermost one: viewflow retries a busy
    ``SELECT ... FOR UPDATE NOWAIT`` inside it, which an enclosing transaction cannot survive on
    PostgreSQL. Everything done inside the block commits or rolls back together.
    """
    try:
        with task.activation() as activation:
            if activation.task.status not in OPEN_STATUSES:
                raise TaskUnavailable(_("This step has already been completed by someone else."))
            yield activation
    except FlowLockFailed as error:
        raise TaskUnavailable(BUSY_MESSAGE) from error


def complete(activation: Activation) -> None:
    """Finish a human task and let the flow move on."""
    activation.start(None)
    activation.execute()
