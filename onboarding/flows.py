"""The onboarding process as the plan runs it (DESIGN.md §4). Structure only; work is in services.

Every human step is done in the portal's own pages: applicants in ``onboarding.views``, plan
staff in ``reviews.views``, and every change to a task goes through ``onboarding.transitions``.
viewflow's built-in task pages are never mounted, because they do not keep one organization
from seeing another's process (upstream issue #505), so the human nodes carry no view of their
own.
"""

from collections.abc import Callable

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.activation import Activation

from documents.services import packet_deliver
from onboarding.models import Application, ApplicationStep, OnboardingProcess
from portal.models import User
from portal.roles import FINAL_APPROVAL_PERMISSION, REVIEW_PERMISSION
from screening.models import ScreeningResult
from screening.services.results import screening_request

Kind = ApplicationStep.Kind
StepStatus = ApplicationStep.Status

# Human nodes are completed through the portal's own pages, not a view mounted by viewflow.
PORTAL_PAGE = None


def step_is(kind: Kind, status: StepStatus) -> Callable[[Activation], bool]:
    """A gateway condition: the step of this kind is now in this status (set by the decision)."""

    def condition(activation: Activation) -> bool:
        return bool(activation.process.application.step(kind).status == status)

    condition.__name__ = f"{kind}_is_{status}"
    return condition


class OnboardingFlow(flow.Flow):
    """ECM provider onboarding

    An organization proves its entity type, attests its capabilities and shows it is ready to
    exchange data; plan reviewers approve, return or deny each step; a network manager gives
    final approval; the new provider receives and acknowledges its welcome packet. The
    authorized official may withdraw the application until final approval (``withdraw``).
    """

    process_class = OnboardingProcess
    lock_impl = lock.select_for_update_lock

    start = (
        flow.StartHandle(this.start_application)
        .Annotation(title=_("Application started"))
        .Next(this.entity_profile)
    )

    # Entity-type verification
    entity_profile = (
        flow.View(PORTAL_PAGE)
        .Annotation(title=_("Entity verification"))
        .Assign(this.authorized_official)
        .Next(this.screen_entity)
    )
    screen_entity = (
        flow.Function(this.run_entity_screening)
        .Annotation(title=_("Automatic screening"))
        .Next(this.review_entity)
    )
    review_entity = (
        flow.View(PORTAL_PAGE)
        .Annotation(title=_("Review entity verification"))
        .Permission(REVIEW_PERMISSION)
        .Next(this.entity_decision)
    )
    entity_decision = (
        flow.Switch()
        .Annotation(title=_("Entity decision"))
        .Case(this.split_steps, step_is(Kind.ENTITY, StepStatus.APPROVED))
        .Case(this.entity_profile, step_is(Kind.ENTITY, StepStatus.RETURNED))
        .Default(this.denied)
    )

    # Capability attestations and data-sharing readiness run side by side.
    split_steps = (
        flow.Split()
        .Annotation(title=_("Attestations and data sharing open together"))
        .Next(this.attestations)
        .Next(this.data_sharing)
    )

    attestations = (
        flow.View(PORTAL_PAGE)
        .Annotation(title=_("Capability attestations"))
        .Assign(this.authorized_official)
        .Next(this.review_attestations)
    )
    review_attestations = (
        flow.View(PORTAL_PAGE)
        .Annotation(title=_("Review capability attestations"))
        .Permission(REVIEW_PERMISSION)
        .Next(this.attestations_decision)
    )
    attestations_decision = (
        flow.Switch()
        .Annotation(title=_("Attestations decision"))
        .Case(this.join_steps, step_is(Kind.ATTESTATIONS, StepStatus.APPROVED))
        .Case(this.attestations, step_is(Kind.ATTESTATIONS, StepStatus.RETURNED))
        .Default(this.denied)
    )

    data_sharing = (
        flow.View(PORTAL_PAGE)
        .Annotation(title=_("Data-sharing readiness"))
        .Assign(this.authorized_official)
        .Next(this.review_data_sharing)
    )
    review_data_sharing = (
        flow.View(PORTAL_PAGE)
        .Annotation(title=_("Review data-sharing readiness"))
        .Permission(REVIEW_PERMISSION)
        .Next(this.data_sharing_decision)
    )
    data_sharing_decision = (
        flow.Switch()
        .Annotation(title=_("Data-sharing decision"))
        .Case(this.join_steps, step_is(Kind.DATA_SHARING, StepStatus.APPROVED))
        .Case(this.data_sharing, step_is(Kind.DATA_SHARING, StepStatus.RETURNED))
        .Default(this.denied)
    )

    join_steps = flow.Join().Annotation(title=_("Both steps approved")).Next(this.final_approval)

    # Final approval by a network manager who reviewed none of the steps (enforced in the service).
    final_approval = (
        flow.View(PORTAL_PAGE)
        .Annotation(title=_("Final approval"))
        .Permission(FINAL_APPROVAL_PERMISSION)
        .Next(this.final_decision)
    )
    final_decision = (
        flow.If(this.is_finally_approved)
        .Annotation(title=_("Final decision"))
        .Then(this.approved_route)
        .Else(this.denied)
    )
    # A recredentialing's approval made its content the provider's record: no packet again.
    approved_route = (
        flow.If(this.is_recredentialing)
        .Annotation(title=_("Recredentialing?"))
        .Then(this.recredentialed)
        .Else(this.deliver_packet)
    )

    deliver_packet = (
        flow.Function(this.deliver_welcome_packet)
        .Annotation(title=_("Deliver welcome packet"))
        .Next(this.acknowledge_packet)
    )
    acknowledge_packet = (
        flow.View(PORTAL_PAGE)
        .Annotation(title=_("Acknowledge welcome packet"))
        .Assign(this.authorized_official)
        .Next(this.end)
    )

    end = flow.End().Annotation(title=_("Active ECM provider"))
    recredentialed = flow.End().Annotation(title=_("Recredentialed"))
    denied = flow.TerminateEnd().Annotation(title=_("Denied"))

    # Withdrawal: until final approval the authorized official may withdraw the application
    # wherever it stands. Every open task is cancelled and the process ends as cancelled.
    def withdraw(self, process: OnboardingProcess) -> None:
        self.cancel(process)

    def start_application(self, activation: Activation, application: Application) -> Activation:
        activation.process.application = application
        return activation

    def authorized_official(self, activation: Activation) -> User | None:
        return activation.process.application.organization.authorized_official

    def run_entity_screening(self, activation: Activation) -> None:
        screening_request(
            application=activation.process.application,
            subject_kind=ScreeningResult.SubjectKind.ORGANIZATION,
        )

    def is_finally_approved(self, activation: Activation) -> bool:
        status = activation.process.application.status
        return status in {*Application.IN_NETWORK_STATUSES, Application.Status.RECREDENTIALED}

    def is_recredentialing(self, activation: Activation) -> bool:
        return bool(activation.process.application.is_recredentialing)

    def deliver_welcome_packet(self, activation: Activation) -> None:
        packet_deliver(application=activation.process.application)
