"""The one path every change to an application's process takes.

Submitting a step, claiming, releasing, reassigning and deciding a review, withdrawing and
acknowledging the welcome packet all call ``transition``. In order, it:

1. locks the process (viewflow's ``SELECT ... FOR UPDATE NOWAIT``, retried; the lock opens the
   transaction, so nothing may wrap it) and re-reads the application and the task under the lock,
   refusing a task that was done meanwhile; then runs the caller's ``check``;
2. runs the caller's ``apply``, which changes the records and completes, assigns or cancels the
   task through the activation it is given;
3. brings the workbench's copy of the review tasks (``ReviewWork``) and the application's status
   up to date;
4. queues the rendering of the record's sections for the reviewers' first look
   (``reviews.record_warming``) and runs the caller's ``notify``, whose e-mails are sent once the
   transaction commits (``onboarding.notifications`` queues them with ``transaction.on_commit``).

Everything in steps 1 to 4 commits or rolls back together. A process someone else holds is
refused with ``TaskUnavailable`` and a message saying to try again.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

from django.utils.translation import gettext as _
from viewflow.workflow.activation import Activation
from viewflow.workflow.exceptions import FlowLockFailed, FlowRuntimeError
from viewflow.workflow.models import Task

from onboarding.exceptions import TaskUnavailable
from onboarding.flows import OnboardingFlow
from onboarding.models import Application, ApplicationStep
from onboarding.nodes import OPEN_STATUSES
from onboarding.selectors import review_is_claimed
from reviews.record_warming import record_changed
from reviews.services.review_work import review_work_refresh

T = TypeVar("T")

BUSY_MESSAGE = _(
    "Someone else is working on this application at this very moment. Please try again in a moment."
)


@dataclass
class Change:
    """What ``check``, ``apply`` and ``notify`` are given: the application read under the lock,
    the task's activation (None for a change to the whole process), and the status before."""

    application: Application
    activation: Activation | None
    status_before: str

    @property
    def status_changed(self) -> bool:
        return self.application.status != self.status_before

    @property
    def task_activation(self) -> Activation:
        """The task's activation, for a change made to a task."""
        if self.activation is None:
            raise TypeError("This change is made to the whole process, not to a task.")
        return self.activation


def application_of(task: Task) -> Application:
    return task.process.coerced.application


def _nothing(change: Change) -> None:
    return None


def transition(
    *,
    application: Application,
    apply: Callable[[Change], T],
    task: Task | None = None,
    check: Callable[[Change], None] = _nothing,
    notify: Callable[[Change, T], None] | None = None,
) -> T:
    """Make one change to ``application``'s process; see the module docstring for the order."""
    with _locked(application, task) as activation:
        current = Application.objects.get(pk=application.pk)  # the process lock serialises
        change = Change(current, activation, current.status)
        check(change)
        result = apply(change)
        _bring_up_to_date(change.application)
        record_changed(application_pk=application.pk)
        if notify is not None:
            notify(change, result)
    return result


@contextmanager
def _locked(application: Application, task: Task | None) -> Iterator[Activation | None]:
    try:
        if task is None:
            with OnboardingFlow.lock(application.process.pk):
                yield None
        else:
            with task.activation() as activation:
                if activation.task.status not in OPEN_STATUSES:
                    raise TaskUnavailable(
                        _("This step has already been completed by someone else.")
                    )
                yield activation
    except FlowLockFailed as error:  # viewflow's lock, after its retries
        raise TaskUnavailable(BUSY_MESSAGE) from error
    except FlowRuntimeError as error:  # withdrawing while another request has a task started
        raise TaskUnavailable(BUSY_MESSAGE) from error


def complete(activation: Activation) -> None:
    """Finish a human task and let the flow move on."""
    activation.start(None)
    activation.execute()


def _bring_up_to_date(application: Application) -> None:
    """ReviewWork from the flow's review tasks, then the status people see from the steps
    (decided statuses are final)."""
    review_work_refresh(application)
    if application.status in Application.DECIDED_STATUSES:
        return
    status = _status_from_steps(application)
    if status != application.status:
        application.status = status
        application.save(update_fields=["status", "updated_at"])


def _status_from_steps(application: Application) -> str:
    Status, StepStatus = Application.Status, ApplicationStep.Status
    steps = dict(
        ApplicationStep.objects.filter(application=application).values_list("kind", "status")
    )
    if StepStatus.RETURNED in steps.values():
        return Status.RETURNED
    if steps[ApplicationStep.Kind.ENTITY] == StepStatus.DRAFT:
        return Status.DRAFT
    if StepStatus.APPROVED in steps.values() or review_is_claimed(application):
        return Status.IN_REVIEW
    return Status.SUBMITTED
