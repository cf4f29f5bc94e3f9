"""Plan staff's work across applications: reassigning, bulk actions, notes and exports."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from onboarding.exceptions import NotAllowed, OnboardingError, TaskUnavailable
from onboarding.models import Application, ApplicationEvent
from onboarding.nodes import review_nodes
from onboarding.services.events import event_record
from onboarding.transitions import Change, application_of, transition
from portal.audit import audit_record
from portal.models import AuditEvent, User
from portal.roles import is_network_manager
from reviews.models import InternalNote
from reviews.services.decisions import (
    separation_of_duties_check,
    task_claim,
    task_release,
)


def task_reassign(*, task: Task, user: User, reviewer: User) -> Task:
    """A network manager hands a review task (claimed or not) to another reviewer."""
    if not is_network_manager(user):
        raise NotAllowed(_("Only network managers can reassign reviews."))
    if task.flow_task not in review_nodes().values():
        raise NotAllowed(_("This is not a review task."))
    separation_of_duties_check(task, reviewer)

    def check(change: Change) -> None:
        activation = change.task_activation
        if reviewer.pk == activation.task.owner_id:
            raise OnboardingError(
                _("%(name)s already holds this review.") % {"name": reviewer.display_name}
            )
        if activation.task.owner_permission and not reviewer.has_perm(
            activation.task.owner_permission
        ):
            raise NotAllowed(
                _("%(name)s's role does not allow them to take this review.")
                % {"name": reviewer.display_name}
            )

    def apply(change: Change) -> Task:
        activation = change.task_activation
        if activation.task.status == STATUS.NEW:
            activation.assign(reviewer)
        else:
            activation.reassign(user=reviewer)
        event_record(
            application=change.application,
            kind=ApplicationEvent.Kind.TASK_REASSIGNED,
            actor=user,
            detail=f"{activation.flow_task.task_title} → {reviewer.display_name}",
        )
        return activation.task

    return transition(application=application_of(task), task=task, check=check, apply=apply)


@dataclass
class BulkOutcome:
    """What a bulk action did: how many tasks it changed, and why the others were left alone."""

    done: int = 0
    problems: list[str] = field(default_factory=list)


def tasks_act(
    *, tasks: list[Task], user: User, action: str, reviewer: User | None = None
) -> BulkOutcome:
    """Claim, release or reassign several review tasks, each under its own lock.

    One task that someone else took meanwhile does not stop the rest; it is reported instead.
    """
    outcome = BulkOutcome()
    for task in tasks:
        try:
            if action == "claim":
                task_claim(task=task, user=user)
            elif action == "release":
                task_release(task=task, user=user)
            elif action == "reassign" and reviewer is not None:
                task_reassign(task=task, user=user, reviewer=reviewer)
            else:
                raise OnboardingError(_("Choose what to do with the selected reviews."))
        except (OnboardingError, TaskUnavailable) as error:
            outcome.problems.append(f"#{task.pk}: {error.message}")
        else:
            outcome.done += 1
    return outcome


@transaction.atomic
def internal_note_add(*, application: Application, user: User, body: str) -> InternalNote:
    """Keep a note about the application for plan staff only (never shown to the applicant)."""
    note = InternalNote(application=application, author=user, body=body.strip())
    note.full_clean()
    note.save()
    audit_record(
        action=AuditEvent.Action.APPLICATION,
        actor=user,
        target=application,
        summary=f"{application.reference} internal note added",
    )
    return note


def export_record(*, user: User, what: str, filters: str) -> None:
    """Put a CSV export in the audit trail: who took which data, with which filters."""
    audit_record(action=AuditEvent.Action.EXPORT, actor=user, summary=f"{what} {filters}"[:300])
