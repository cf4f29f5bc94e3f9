"""Suspending, terminating and reinstating a provider: proposed by one network manager,
confirmed by another, taking effect on its date. Each goes through the one transition path
(``onboarding.transitions``), so it is serialised with every other change to the application."""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from changes.services.requests import change_requests_call_off
from corrective_actions.services import has_open_items, status_without_conditions
from onboarding.exceptions import OnboardingError
from onboarding.models import Application, ApplicationEvent
from onboarding.services.events import event_record
from onboarding.transitions import Change, transition
from portal.models import User
from portal.roles import is_network_manager
from providers import notifications
from providers.models import StatusChange
from providers.selectors import reinstatement_blockers, suspension_in_effect

Action = StatusChange.Action
State = StatusChange.State
Status = Application.Status

# Which statuses each action may start from.
ALLOWED_FROM: dict[str, set[str]] = {
    Action.SUSPEND: set(Application.IN_NETWORK_STATUSES),
    Action.TERMINATE: {*Application.IN_NETWORK_STATUSES, Status.SUSPENDED},
    Action.REINSTATE: {Status.SUSPENDED},
}
EVENTS = {
    Action.SUSPEND: ApplicationEvent.Kind.PROVIDER_SUSPENDED,
    Action.TERMINATE: ApplicationEvent.Kind.PROVIDER_TERMINATED,
    Action.REINSTATE: ApplicationEvent.Kind.PROVIDER_REINSTATED,
}


def _manager_only(user: User) -> None:
    if not is_network_manager(user):
        raise OnboardingError(_("Only network managers can change a provider's status."))


def _allowed(action: str, application: Application) -> None:
    if application.status not in ALLOWED_FROM[action]:
        raise OnboardingError(
            _("A provider that is %(status)s cannot be %(action)s.")
            % {
                "status": application.get_status_display().lower(),
                "action": {
                    Action.SUSPEND: _("suspended"),
                    Action.TERMINATE: _("terminated"),
                    Action.REINSTATE: _("reinstated"),
                }[Action(action)],
            }
        )
    if action == Action.REINSTATE and (blockers := reinstatement_blockers(application)):
        raise OnboardingError(" ".join(blockers))


def status_change_propose(
    *,
    application: Application,
    user: User,
    action: str,
    reason: str,
    effective_on: date,
    termination: str = "",
) -> StatusChange:
    """Propose a status change; nothing happens to the provider until another manager confirms."""
    _manager_only(user)
    today = timezone.localdate()
    reason = reason.strip()
    if not reason:
        raise OnboardingError(_("Give the reason: the provider is told it."))
    if action == Action.TERMINATE and termination not in StatusChange.Termination.values:
        raise OnboardingError(_("Say whether the termination is for cause or voluntary."))
    if action == Action.REINSTATE:
        effective_on = today  # a reinstatement takes effect once confirmed
    elif effective_on < today:
        raise OnboardingError(_("The effective date cannot be in the past."))

    def check(change: Change) -> None:
        if change.application.status_changes.filter(state__in=StatusChange.OPEN_STATES).exists():
            raise OnboardingError(
                _(
                    "Another change to this provider's status is already waiting. Confirm, "
                    "decline or withdraw it first."
                )
            )
        _allowed(action, change.application)

    def apply(change: Change) -> StatusChange:
        try:
            return StatusChange.objects.create(
                application=change.application,
                action=action,
                termination=termination if action == Action.TERMINATE else "",
                reason=reason,
                effective_on=effective_on,
                status_before=change.application.status,
                proposed_by=user,
            )
        except IntegrityError as error:  # the open-change constraint: checked above, kept here
            raise OnboardingError(
                _("Another change to this provider's status is waiting.")
            ) from error

    def notify(change: Change, proposed: StatusChange) -> None:
        notifications.status_change_proposed(proposed)

    return transition(application=application, check=check, apply=apply, notify=notify)


def _reread_open(status_change: StatusChange, state: str) -> StatusChange:
    """The change as it is now, under the lock, if it is still in ``state``."""
    current = StatusChange.objects.get(pk=status_change.pk)
    if current.state != state:
        raise OnboardingError(
            _("Someone else has already decided this change: it is now “%(state)s”.")
            % {"state": current.get_state_display()}
        )
    return current


def status_change_confirm(*, status_change: StatusChange, user: User) -> StatusChange:
    """The second network manager's confirmation: the change takes effect now, or is scheduled
    for its effective date."""
    _manager_only(user)
    if status_change.proposed_by_id == user.pk:
        raise OnboardingError(
            _("Another network manager must confirm this: you proposed it yourself.")
        )
    today = timezone.localdate()
    current: StatusChange

    def check(change: Change) -> None:
        nonlocal current
        current = _reread_open(status_change, State.PROPOSED)
        _allowed(current.action, change.application)

    def apply(change: Change) -> StatusChange:
        current.state = State.CONFIRMED
        current.decided_by = user
        current.decided_at = timezone.now()
        current.save(update_fields=["state", "decided_by", "decided_at"])
        if current.effective_on <= today:
            _take_effect(change.application, current, actor=user)
        return current

    def notify(change: Change, confirmed: StatusChange) -> None:
        notifications.status_change_confirmed(confirmed)

    return transition(
        application=status_change.application, check=check, apply=apply, notify=notify
    )


def status_change_decline(
    *, status_change: StatusChange, user: User, note: str = ""
) -> StatusChange:
    """Another manager declines the proposal, or its proposer withdraws it; nothing changes.
    A change already confirmed for a later date can be called off the same way before it takes
    effect, and then the provider, who was told of it, is told it will not happen."""
    _manager_only(user)
    withdrawing = status_change.proposed_by_id == user.pk
    current: StatusChange
    was_confirmed = False

    def check(change: Change) -> None:
        nonlocal current, was_confirmed
        current = StatusChange.objects.get(pk=status_change.pk)
        if not current.is_open:
            _reread_open(status_change, State.PROPOSED)
        was_confirmed = current.state == State.CONFIRMED

    def apply(change: Change) -> StatusChange:
        current.state = State.WITHDRAWN if withdrawing else State.DECLINED
        current.decided_by = user
        current.decided_at = timezone.now()
        current.decision_note = note.strip()
        current.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
        return current

    def notify(change: Change, called_off: StatusChange) -> None:
        if was_confirmed:
            notifications.status_change_called_off(called_off)

    return transition(
        application=status_change.application, check=check, apply=apply, notify=notify
    )


def _take_effect(
    application: Application, status_change: StatusChange, *, actor: User | None
) -> None:
    """Change the provider's status, and record it on its timeline (and in the audit trail)."""
    if status_change.action == Action.REINSTATE:
        suspension = suspension_in_effect(application)
        application.status = suspension.status_before if suspension else Status.ACTIVE
        if application.status == Status.CONDITIONAL and not has_open_items(application):
            # Its last corrective action was accepted while it was suspended.
            application.status = status_without_conditions(application)
    elif status_change.action == Action.SUSPEND:
        application.status = Status.SUSPENDED
    else:
        application.status = Status.TERMINATED
    application.save(update_fields=["status", "updated_at"])
    if application.status not in Application.IN_NETWORK_STATUSES:
        # Its open change requests are called off once this commits, each under its own lock.
        application_id = application.pk
        transaction.on_commit(lambda: change_requests_call_off(application_id))
    status_change.state = State.IN_EFFECT
    status_change.took_effect_at = timezone.now()
    status_change.save(update_fields=["state", "took_effect_at"])
    detail = status_change.reason
    if status_change.termination:
        detail = f"{status_change.get_termination_display()}: {detail}"
    event_record(
        application=application,
        kind=EVENTS[Action(status_change.action)],
        actor=actor,
        detail=detail,
    )


def status_changes_take_effect(*, today: date | None = None) -> int:
    """The confirmed changes whose effective date has come (the daily job); how many."""
    today = today or timezone.localdate()
    due = StatusChange.objects.filter(
        state=State.CONFIRMED, effective_on__lte=today
    ).select_related("application")
    done = 0
    for scheduled in due:

        def apply(change: Change, scheduled: StatusChange = scheduled) -> bool:
            current = StatusChange.objects.get(pk=scheduled.pk)
            if current.state != State.CONFIRMED:
                return False  # withdrawn meanwhile
            if change.application.status not in ALLOWED_FROM[current.action]:
                return False  # overtaken (a termination after a scheduled suspension)
            _take_effect(change.application, current, actor=None)
            return True

        def notify(change: Change, took_effect: bool, scheduled: StatusChange = scheduled) -> None:
            if took_effect:
                notifications.status_change_in_effect(scheduled)

        done += transition(application=scheduled.application, apply=apply, notify=notify)
    return done


def exclusion_suspension_propose(
    *, application: Application, user: User, match: str
) -> StatusChange:
    """A match on a provider in the network was just confirmed: its suspension is proposed by the
    network manager who confirmed it, and a second one confirms it, like any other."""
    return status_change_propose(
        application=application,
        user=user,
        action=Action.SUSPEND,
        reason=_("Confirmed exclusion-list match: %(match)s.") % {"match": match},
        effective_on=timezone.localdate(),
    )
