"""Plan staff's work on an application: claiming review tasks and deciding them."""

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task

from corrective_actions.services import conditions_check, plan_create
from documents.selectors import current_welcome_packet
from onboarding import notifications
from onboarding.exceptions import NotAllowed, OnboardingError, TaskUnavailable
from onboarding.models import Application, ApplicationEvent, ApplicationStep
from onboarding.nodes import review_nodes, stage_of
from onboarding.selectors import is_or_was_member
from onboarding.services.events import event_record
from onboarding.transitions import Change, application_of, complete, transition
from portal.models import User
from recredentialing.cycle import due_after
from recredentialing.services import recredentialing_decided
from reviews.models import AcceptedItem, Deficiency, ReviewDecision
from reviews.review_items import DeficiencyItem, ItemAccepted
from reviews.selectors import reviewed_steps_of
from screening.selectors import screening_blockers

if TYPE_CHECKING:  # changes builds on reviews; named here in an annotation only
    from changes.models import ChangeRequest
    from corrective_actions.conditions import Condition

Outcome = ReviewDecision.Outcome
Stage = ReviewDecision.Stage


class ScreeningBlocked(OnboardingError):
    """An approval refused because of screening; ``blockers`` says why, one finding each."""

    def __init__(self, blockers: list[str]) -> None:
        super().__init__(" ".join([_("This step cannot be approved yet."), *blockers]))
        self.blockers = blockers


def separation_of_duties_check(task: Task, user: User) -> None:
    application = application_of(task)
    if is_or_was_member(user, application.organization_id):
        raise NotAllowed(
            _(
                "You are, or were, a member of this applicant organization, so another "
                "reviewer must review its application."
            )
        )
    if stage_of(task) == Stage.FINAL and reviewed_steps_of(application, user):
        raise NotAllowed(
            _(
                "You reviewed a step of this application, so another network manager must give "
                "its final approval."
            )
        )


def task_claim(*, task: Task, user: User) -> Task:
    """Take a review task from the queue so that it is yours to decide."""
    if task.flow_task not in review_nodes().values():
        raise NotAllowed(_("This is not a review task."))
    separation_of_duties_check(task, user)

    def check(change: Change) -> None:
        activation = change.task_activation
        if activation.task.owner_id is not None:
            raise TaskUnavailable(_("Someone else has already claimed this review."))
        if not activation.flow_task.can_assign(user, activation.task):
            raise NotAllowed(_("Your role does not allow you to take this review."))

    def apply(change: Change) -> Task:
        activation = change.task_activation
        activation.assign(user)
        event_record(
            application=change.application,
            kind=ApplicationEvent.Kind.TASK_CLAIMED,
            actor=user,
            detail=str(activation.flow_task.task_title),
        )
        return activation.task

    def notify(change: Change, task: Task) -> None:
        if change.status_changed:  # the first claim puts the application in review
            notifications.application_status_changed(change.application)

    return transition(
        application=application_of(task), task=task, check=check, apply=apply, notify=notify
    )


def task_release(*, task: Task, user: User) -> Task:
    """Put a claimed review task back in the queue."""

    def check(change: Change) -> None:
        activation = change.task_activation
        if not activation.flow_task.can_unassign(user, activation.task):
            raise NotAllowed(_("Only the reviewer who claimed this task can release it."))

    def apply(change: Change) -> Task:
        activation = change.task_activation
        activation.unassign()
        event_record(
            application=change.application,
            kind=ApplicationEvent.Kind.TASK_RELEASED,
            actor=user,
            detail=str(activation.flow_task.task_title),
        )
        return activation.task

    return transition(application=application_of(task), task=task, check=check, apply=apply)


def correction_due_date() -> date:
    return timezone.localdate() + timedelta(days=settings.RETURN_FOR_CORRECTION_DAYS)


def review_decide(
    *,
    task: Task,
    user: User,
    outcome: str,
    reason: str = "",
    deficiencies: list[DeficiencyItem] | None = None,
    accepted: list[ItemAccepted] | None = None,
    conditions: "list[Condition] | None" = None,
) -> ReviewDecision:
    """Decide a claimed review task: approve, return with itemised deficiencies, or deny.

    ``accepted`` records the items accepted in an item-by-item review (the attestation step);
    an approval cannot also return items. A final approval with ``conditions`` (a network
    manager's) approves with conditions: the corrective-action plan is recorded with it.

    Runs under the flow's lock; of two simultaneous decisions on one task exactly one is recorded,
    the other is told the task was already decided.
    """
    deficiencies = deficiencies or []
    accepted = accepted or []
    if outcome == Outcome.APPROVE and deficiencies:
        raise OnboardingError(
            _("You returned some items. Choose “Return for correction”, or accept every item.")
        )
    if outcome == Outcome.RETURN and not deficiencies:
        raise OnboardingError(_("List at least one deficiency when returning a step."))
    if outcome == Outcome.DENY and not reason.strip():
        raise OnboardingError(_("Give the reason for the denial; the applicant will see it."))
    separation_of_duties_check(task, user)
    stage = stage_of(task)
    if stage == Stage.FINAL and outcome == Outcome.RETURN:
        raise OnboardingError(_("Final approval can only approve or deny."))
    if conditions:
        if stage != Stage.FINAL or outcome != Outcome.APPROVE:
            raise OnboardingError(_("Only a final approval can set conditions."))
        conditions_check(user, conditions)
    if stage == Stage.FINAL and outcome == Outcome.APPROVE and current_welcome_packet() is None:
        raise OnboardingError(
            _(
                "No welcome packet is published yet. Ask a plan administrator to publish one, "
                "then approve."
            )
        )

    def check(change: Change) -> None:
        if change.task_activation.task.owner_id != user.pk:
            raise NotAllowed(_("Claim this review before deciding it."))
        if outcome == Outcome.APPROVE:
            blockers = screening_blockers(change.application, stage)
            if blockers:
                raise ScreeningBlocked(blockers)

    def apply(change: Change) -> ReviewDecision:
        activation = change.task_activation
        decision = _record_decision(
            change.application, stage, user, outcome, reason, deficiencies, activation.task.pk
        )
        if outcome != Outcome.DENY:
            accepted_items_record(decision, accepted)
        renewal = change.application
        if renewal.is_recredentialing and (stage == Stage.FINAL or outcome == Outcome.DENY):
            recredentialing_decided(renewal, decision, user)
        if conditions:
            plan_create(
                application=Application.objects.get(pk=renewal.renews_id or renewal.pk),
                decision=decision,
                conditions=conditions,
            )
        complete(activation)
        return decision

    def notify(change: Change, decision: ReviewDecision) -> None:
        ends_recredentialing = stage == Stage.FINAL or outcome == Outcome.DENY
        if change.application.is_recredentialing and ends_recredentialing:
            return  # recredentialing.notifications tells of its end, in its own words
        notifications.application_status_changed(change.application, decision=decision)

    return transition(
        application=application_of(task), task=task, check=check, apply=apply, notify=notify
    )


def deficiencies_record(
    decision: ReviewDecision,
    items: list[DeficiencyItem],
    *,
    step: ApplicationStep | None = None,
    change_request: "ChangeRequest | None" = None,
) -> None:
    """The decision's returned items, due for correction from today, on a step or a request."""
    due_on = correction_due_date()
    Deficiency.objects.bulk_create(
        Deficiency(
            decision=decision,
            step=step,
            change_request=change_request,
            requirement=item.requirement,
            reason_code=item.reason_code,
            reason=item.reason,
            comment=item.comment,
            due_on=due_on,
        )
        for item in items
    )


def accepted_items_record(decision: ReviewDecision, accepted: list[ItemAccepted]) -> None:
    """The items the reviewer accepted in an item-by-item review."""
    AcceptedItem.objects.bulk_create(
        AcceptedItem(decision=decision, requirement=i.requirement, comment=i.comment)
        for i in accepted
    )


def _record_decision(
    application: Application,
    stage: str,
    user: User,
    outcome: str,
    reason: str,
    deficiencies: list[DeficiencyItem],
    task_pk: int,
) -> ReviewDecision:
    now = timezone.now()
    step = None if stage == Stage.FINAL else application.step(stage)
    decision = ReviewDecision.objects.create(
        application=application,
        stage=stage,
        outcome=outcome,
        reviewer=user,
        reason=reason.strip(),
        revision=step.revision if step else 0,
        task_id=task_pk,
    )
    if step is not None:
        step.status = {
            Outcome.APPROVE: ApplicationStep.Status.APPROVED,
            Outcome.RETURN: ApplicationStep.Status.RETURNED,
            Outcome.DENY: ApplicationStep.Status.DENIED,
        }[Outcome(outcome)]
        step.save(update_fields=["status", "updated_at"])
        deficiencies_record(decision, deficiencies, step=step)
    if outcome == Outcome.DENY:
        application.status = Application.Status.DENIED
        application.decided_at = now
        application.decision_reason = reason.strip()
        application.save()
        application.steps.filter(
            status__in=[
                ApplicationStep.Status.DRAFT,
                ApplicationStep.Status.SUBMITTED,
                ApplicationStep.Status.RETURNED,
            ]
        ).update(status=ApplicationStep.Status.CLOSED)
        kind = ApplicationEvent.Kind.DENIED
    elif stage == Stage.FINAL:
        application.decided_at = now
        application.effective_date = timezone.localdate()
        if application.is_recredentialing:  # its content becomes the provider's (recredentialing)
            application.status = Application.Status.RECREDENTIALED
        else:
            application.status = Application.Status.APPROVED
            application.recredentialing_due_on = due_after(application.effective_date)
        application.save()
        kind = ApplicationEvent.Kind.FINAL_APPROVED
    elif outcome == Outcome.RETURN:
        kind = ApplicationEvent.Kind.STEP_RETURNED
    else:
        kind = ApplicationEvent.Kind.STEP_APPROVED
    event_record(
        application=application,
        kind=kind,
        actor=user,
        detail=f"{decision.get_stage_display()}: {reason.strip()}"
        if reason
        else str(decision.get_stage_display()),
    )
    return decision
