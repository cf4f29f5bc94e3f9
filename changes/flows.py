"""A change request as the plan reviews it. Structure only; work is in ``changes.services``.

Like onboarding, every human task is done in the portal's own pages and changed only through
``onboarding.transitions.transition``; viewflow's task pages are never mounted.
"""

from collections.abc import Callable

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.activation import Activation

from changes.models import ChangeRequest, ChangeRequestProcess
from portal.models import User
from portal.roles import REVIEW_PERMISSION

PORTAL_PAGE = None
Status = ChangeRequest.Status


def request_is(status: str) -> Callable[[Activation], bool]:
    """A gateway condition: the decision left the change request in this status."""

    def condition(activation: Activation) -> bool:
        return bool(activation.process.change_request.status == status)

    condition.__name__ = f"request_is_{status}"
    return condition


class ChangeRequestFlow(flow.Flow):
    """Change to an approved provider's record

    The authorized official sends the request (a preparer may draft it); it is screened where it
    adds people; a plan reviewer approves it (and it is applied in that same transaction),
    returns it for correction or denies it. The official may withdraw it until it is decided.
    """

    process_class = ChangeRequestProcess
    lock_impl = lock.select_for_update_lock

    start = (
        flow.StartHandle(this.start_request)
        .Annotation(title=_("Change request drafted"))
        .Next(this.prepare)
    )
    prepare = (
        flow.View(PORTAL_PAGE)
        .Annotation(title=_("Prepare the change request"))
        .Assign(this.authorized_official)
        .Next(this.review)
    )
    review = (
        flow.View(PORTAL_PAGE)
        .Annotation(title=_("Review the change request"))
        .Permission(REVIEW_PERMISSION)
        .Next(this.decision)
    )
    decision = (
        flow.Switch()
        .Annotation(title=_("Change request decision"))
        .Case(this.end, request_is(Status.APPROVED))
        .Case(this.prepare, request_is(Status.RETURNED))
        .Default(this.denied)
    )
    end = flow.End().Annotation(title=_("Applied to the record"))
    denied = flow.TerminateEnd().Annotation(title=_("Denied"))

    def withdraw(self, process: ChangeRequestProcess) -> None:
        self.cancel(process)

    def start_request(self, activation: Activation, change_request: ChangeRequest) -> Activation:
        activation.process.change_request = change_request
        return activation

    def authorized_official(self, activation: Activation) -> User | None:
        return activation.process.change_request.application.organization.authorized_official
