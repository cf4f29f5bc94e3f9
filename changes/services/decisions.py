"""The plan's decision on a change request: approve (and apply), return with deficiencies, deny.

Claiming, releasing and reassigning the review are the workbench's own
(``reviews.services.decisions.task_claim`` and the rest): a change request's review task is one
of the workbench's. Deciding takes the request's flow lock, then the provider's row lock, so a
suspension taking effect at the same moment and this approval end one after the other: the
change is applied and then the provider suspended, or the provider is suspended and the change
refused.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task

from changes import notifications
from changes.models import ChangeRequest
from changes.proposals import problems_of
from changes.services.apply import change_apply
from corrective_actions.conditions import Condition
from corrective_actions.services import conditions_check, plan_create
from onboarding.exceptions import NotAllowed, OnboardingError, TaskUnavailable
from onboarding.models import Application, ApplicationEvent
from onboarding.services.events import event_record
from onboarding.transitions import Change, complete, transition
from portal.models import User
from reviews.models import ReviewDecision
from reviews.services.decisions import (
    DeficiencyItem,
    ItemAccepted,
    accepted_items_record,
    deficiencies_record,
    separation_of_duties_check,
)
from screening.models import ScreeningResult
from screening.selectors import result_blockers

Outcome = ReviewDecision.Outcome
Status = ChangeRequest.Status

OUTCOME_STATUS = {
    Outcome.APPROVE: Status.APPROVED,
    Outcome.RETURN: Status.RETURNED,
    Outcome.DENY: Status.DENIED,
}


class ChangeBlocked(OnboardingError):
    """An approval refused; ``blockers`` says what must happen first, one finding each."""

    def __init__(self, blockers: list[str]) -> None:
        super().__init__(" ".join([_("This change cannot be approved yet."), *blockers]))
        self.blockers = blockers


def change_request_of(task: Task) -> ChangeRequest:
    return ChangeRequest.objects.select_related("application").get(process__pk=task.process_id)


def approval_blockers(
    change_request: ChangeRequest, current_results: list[ScreeningResult] | None = None
) -> list[str]:
    """What stands in the way of approving: screening of new people, the nominee's acceptance,
    and the record's rules as the change would leave them. ``current_results``: the request's
    current screening results, when the caller has read them already."""
    if current_results is None:
        current_results = list(change_request.screening_results.filter(is_current=True))
    blockers = result_blockers(current_results)
    if change_request.kind == ChangeRequest.Kind.OFFICIAL and change_request.accepted_at is None:
        blockers.append(
            _("The new authorized official has not accepted the role yet (the emailed link).")
        )
    return blockers + problems_of(change_request)


def change_request_decide(
    *,
    task: Task,
    user: User,
    outcome: str,
    reason: str = "",
    deficiencies: list[DeficiencyItem] | None = None,
    accepted: list[ItemAccepted] | None = None,
    conditions: list[Condition] | None = None,
) -> ReviewDecision:
    """Decide a claimed change-request review; an approval applies the change in the same
    transaction, and with ``conditions`` (a network manager's) sets a corrective-action plan.
    Of two simultaneous decisions exactly one is recorded."""
    deficiencies = deficiencies or []
    accepted = accepted or []
    if outcome == Outcome.APPROVE and deficiencies:
        raise OnboardingError(
            _("You returned some items. Choose “Return for correction”, or accept every item.")
        )
    if outcome == Outcome.RETURN and not deficiencies:
        raise OnboardingError(_("Return at least one item, saying what to correct."))
    if outcome == Outcome.DENY and not reason.strip():
        raise OnboardingError(_("Give the reason for the denial; the provider will see it."))
    if conditions:
        if outcome != Outcome.APPROVE:
            raise OnboardingError(_("Only an approval can set conditions."))
        conditions_check(user, conditions)
    separation_of_duties_check(task, user)

    def check(change: Change) -> None:
        if change.task_activation.task.owner_id != user.pk:
            raise NotAllowed(_("Claim this review before deciding it."))
        current = ChangeRequest.objects.select_for_update().get(process__pk=task.process_id)
        if current.status != Status.SUBMITTED:
            raise TaskUnavailable(_("This change request has already been decided."))
        if outcome != Outcome.APPROVE:
            return
        # The provider's row, locked: a suspension taking effect waits for us, or we for it.
        provider = Application.objects.select_for_update().get(pk=change.application.pk)
        if provider.status not in Application.IN_NETWORK_STATUSES:
            raise OnboardingError(
                _("The provider is %(status)s, so no change to its record can be approved.")
                % {"status": provider.get_status_display().lower()}
            )
        blockers = approval_blockers(current)
        if blockers:
            raise ChangeBlocked(blockers)

    def apply(change: Change) -> ReviewDecision:
        current = ChangeRequest.objects.select_related("application").get(
            process__pk=task.process_id
        )
        decision = ReviewDecision.objects.create(
            application=change.application,
            change_request=current,
            stage=ReviewDecision.Stage.CHANGE,
            outcome=outcome,
            reviewer=user,
            reason=reason.strip(),
            revision=current.revision,
            task_id=task.pk,
        )
        deficiencies_record(decision, deficiencies, change_request=current)
        if outcome != Outcome.DENY:
            accepted_items_record(decision, accepted)
        current.status = OUTCOME_STATUS[Outcome(outcome)]
        if outcome != Outcome.RETURN:
            current.decided_by = user
            current.decided_at = timezone.now()
            current.decision_reason = reason.strip()
        current.save()
        if outcome == Outcome.APPROVE:
            change_apply(current, user)
            if conditions:
                plan_create(
                    application=Application.objects.get(pk=change.application.pk),
                    decision=decision,
                    conditions=conditions,
                    change_request=current,
                )
        elif outcome == Outcome.DENY:
            current.screening_results.filter(care_team_member__isnull=True).update(is_current=False)
        event_record(
            application=change.application,
            kind=ApplicationEvent.Kind.CHANGE_DECIDED,
            actor=user,
            detail=f"{current.reference}: {decision.outcome_past_tense}",
        )
        complete(change.task_activation)
        return decision

    def notify(change: Change, decision: ReviewDecision) -> None:
        notifications.change_request_decided(decision)

    return transition(
        application=change_request_of(task).application,
        task=task,
        check=check,
        apply=apply,
        notify=notify,
    )
