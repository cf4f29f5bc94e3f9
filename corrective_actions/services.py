"""Corrective-action plans: set with an approval, worked off by the provider, escalated when late.

``plan_create`` runs inside the decision that approves with conditions (the final approval or a
change request's decision), so the approval and its conditions are recorded together or not at
all. The provider's status follows its open items: "Approved with conditions" while any is open,
and back to what it would otherwise be (active, or approved until its packet is acknowledged)
once a reviewer has accepted the last one.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from corrective_actions import notifications
from corrective_actions.conditions import Condition, finding_label
from corrective_actions.models import (
    CorrectiveActionItem,
    CorrectiveActionPlan,
    EscalationNotice,
    Evidence,
)
from documents.models import Document
from documents.services import evidence_document_upload
from onboarding.exceptions import NotAllowed, OnboardingError
from onboarding.models import Application, ApplicationEvent, ApplicationStep
from onboarding.nodes import ACKNOWLEDGE_NODE
from onboarding.selectors import is_or_was_member, open_task
from onboarding.services.access import require_member
from onboarding.services.events import event_record
from portal.models import User
from portal.roles import FINAL_APPROVAL_PERMISSION, REVIEW_PERMISSION
from reviews.models import ReviewDecision

if TYPE_CHECKING:  # changes builds on corrective actions; named in an annotation only
    from changes.models import ChangeRequest

Status = CorrectiveActionItem.Status
Verdict = Evidence.Verdict
Level = EscalationNotice.Level


def conditions_check(user: User, conditions: list[Condition]) -> None:
    """Refuse conditions that a service should never store, whatever form they came from."""
    if not user.has_perm(FINAL_APPROVAL_PERMISSION):
        raise NotAllowed(_("Only a network manager can approve with conditions."))
    if not conditions:
        raise OnboardingError(
            _("List at least one condition, or choose “Approve” without conditions.")
        )
    today = timezone.localdate()
    for condition in conditions:
        if not finding_label(condition.finding):
            raise OnboardingError(_("Choose each condition's rule or criterion from the list."))
        if not condition.detail or not condition.action:
            raise OnboardingError(_("Every condition needs its finding and the action required."))
        if condition.due_on <= today:
            raise OnboardingError(_("The due date of every condition must be in the future."))


def plan_create(
    *,
    application: Application,
    decision: ReviewDecision,
    conditions: list[Condition],
    change_request: "ChangeRequest | None" = None,
) -> CorrectiveActionPlan:
    """The plan of an approval with conditions, inside that decision's transaction; the provider
    is "Approved with conditions" from now until every item is accepted."""
    conditions_check(decision.reviewer, conditions)
    plan = CorrectiveActionPlan.objects.create(
        application=application, decision=decision, change_request=change_request
    )
    CorrectiveActionItem.objects.bulk_create(
        CorrectiveActionItem(
            plan=plan,
            application=application,
            finding=c.finding,
            finding_label=c.finding_label[:200],
            detail=c.detail,
            action=c.action,
            due_on=c.due_on,
            responsible=c.responsible,
        )
        for c in conditions
    )
    decision.with_conditions = True
    decision.save(update_fields=["with_conditions"])
    application.status = Application.Status.CONDITIONAL
    application.save(update_fields=["status", "updated_at"])
    event_record(
        application=application,
        kind=ApplicationEvent.Kind.CONDITIONS_SET,
        actor=decision.reviewer,
        detail=_("%(ref)s: %(n)s item(s), the first due %(due)s")
        % {
            "ref": plan.reference,
            "n": len(conditions),
            "due": min(c.due_on for c in conditions).isoformat(),
        },
    )
    notifications.plan_issued(plan)
    return plan


def _step_kind(item: CorrectiveActionItem) -> str:
    kind = item.finding.partition(":")[0]
    return kind if kind in ApplicationStep.Kind.values else ApplicationStep.Kind.ENTITY


def evidence_submit(
    *, item: CorrectiveActionItem, user: User, note: str, uploads: list[UploadedFile]
) -> Evidence:
    """The provider's evidence for one item: a note and its documents, for a reviewer to judge.

    A refused file, or an item no longer waiting for evidence, leaves nothing behind: the
    documents already stored for this submission are deleted again.
    """
    application = item.application
    require_member(application.organization, user)
    if not note.strip():
        raise OnboardingError(_("Describe what you did to correct this."))
    stored: list[Document] = []
    try:
        with transaction.atomic():
            current = CorrectiveActionItem.objects.select_for_update().get(pk=item.pk)
            if not current.awaits_provider:
                raise OnboardingError(
                    _("This item is %(status)s, so it takes no evidence now.")
                    % {"status": current.get_status_display().lower()}
                )
            attempt = current.evidence.count() + 1
            label = _("Corrective action %(ref)s, evidence %(n)s") % {
                "ref": current.reference,
                "n": attempt,
            }
            for upload in uploads:
                stored.append(
                    evidence_document_upload(
                        application=application,
                        user=user,
                        upload=upload,
                        label=label,
                        step_kind=_step_kind(current),
                    )
                )
            evidence = Evidence.objects.create(item=current, note=note.strip(), submitted_by=user)
            evidence.documents.set(stored)
            current.status = Status.SUBMITTED
            current.save(update_fields=["status"])
            event_record(
                application=application,
                kind=ApplicationEvent.Kind.EVIDENCE_SENT,
                actor=user,
                detail=f"{current.reference}: {current.finding_label}",
            )
    except Exception:
        for document in stored:
            document.file.delete(save=False)
        raise
    return evidence


def evidence_review(*, evidence: Evidence, user: User, verdict: str, comment: str = "") -> Evidence:
    """A reviewer accepts the evidence for an item, or returns it with a comment.

    Accepting the last open item of the provider lifts its conditions. The provider's row is
    locked first, so a suspension taking effect at the same moment and this end one after the
    other.
    """
    if not user.has_perm(REVIEW_PERMISSION):
        raise NotAllowed(_("Only plan reviewers can review corrective-action evidence."))
    if verdict not in Verdict.values:
        raise OnboardingError(_("Accept the evidence or return it."))
    if verdict == Verdict.RETURNED and not comment.strip():
        raise OnboardingError(_("Say what is missing, so the provider can fix it."))
    application = evidence.item.application
    if is_or_was_member(user, application.organization_id):
        raise NotAllowed(
            _(
                "You are, or were, a member of this provider, so another reviewer must review "
                "its evidence."
            )
        )
    with transaction.atomic():
        provider = Application.objects.select_for_update().get(pk=application.pk)
        item = CorrectiveActionItem.objects.select_for_update().get(pk=evidence.item_id)
        current = Evidence.objects.get(pk=evidence.pk)
        if item.status != Status.SUBMITTED or current.verdict:
            raise OnboardingError(_("This evidence has already been reviewed."))
        now = timezone.now()
        current.verdict = verdict
        current.comment = comment.strip()
        current.reviewed_by = user
        current.reviewed_at = now
        current.save(update_fields=["verdict", "comment", "reviewed_by", "reviewed_at"])
        if verdict == Verdict.ACCEPTED:
            item.status = Status.ACCEPTED
            item.accepted_at = now
            item.accepted_by = user
        else:
            item.status = Status.RETURNED
        item.save(update_fields=["status", "accepted_at", "accepted_by"])
        event_record(
            application=provider,
            kind=ApplicationEvent.Kind.EVIDENCE_REVIEWED,
            actor=user,
            detail=f"{item.reference}: {current.get_verdict_display()}",
        )
        notifications.evidence_reviewed(item, current)
        if verdict == Verdict.ACCEPTED:
            _plan_complete_if_done(item.plan_id, now)
            conditions_lift_if_met(provider, actor=user)
    return current


def _plan_complete_if_done(plan_id: int, now: datetime) -> None:
    items = CorrectiveActionItem.objects.filter(plan_id=plan_id)
    if not items.filter(status__in=CorrectiveActionItem.OPEN_STATUSES).exists():
        CorrectiveActionPlan.objects.filter(pk=plan_id, completed_at__isnull=True).update(
            completed_at=now
        )


def status_without_conditions(application: Application) -> str:
    """What an in-network provider's status is with no conditions: approved while its first
    welcome packet waits to be acknowledged (the flow's last task), active otherwise."""
    if open_task(application, ACKNOWLEDGE_NODE) is not None:
        return Application.Status.APPROVED
    return Application.Status.ACTIVE


def has_open_items(application: Application) -> bool:
    return application.corrective_action_items.filter(
        status__in=CorrectiveActionItem.OPEN_STATUSES
    ).exists()


def conditions_lift_if_met(application: Application, *, actor: User | None) -> bool:
    """Make a provider approved with conditions active again once no item is open (the caller
    holds its row lock); True if its status changed."""
    if application.status != Application.Status.CONDITIONAL or has_open_items(application):
        return False
    application.status = status_without_conditions(application)
    application.save(update_fields=["status", "updated_at"])
    event_record(application=application, kind=ApplicationEvent.Kind.CONDITIONS_MET, actor=actor)
    notifications.conditions_met(application)
    return True


@dataclass(frozen=True)
class EscalationSummary:
    to_officials: int
    to_managers: int
    closed: int

    def __str__(self) -> str:
        return (
            f"{self.to_officials} overdue item(s) told to officials, {self.to_managers} to "
            f"network managers, {self.closed} closed with their provider."
        )


def _told(level: str) -> Exists:
    """Escalated to ``level`` for the item's current due date already."""
    return Exists(
        EscalationNotice.objects.filter(item=OuterRef("pk"), level=level, due_on=OuterRef("due_on"))
    )


def _told_once(item: CorrectiveActionItem, level: str) -> bool:
    """Record that ``item`` was escalated to ``level`` at its current due date; False if it
    already was (by an earlier run, or a run at the same moment)."""
    try:
        with transaction.atomic():
            EscalationNotice.objects.create(item=item, level=level, due_on=item.due_on)
    except IntegrityError:
        return False
    return True


def corrective_actions_escalate(today: date | None = None) -> EscalationSummary:
    """The daily job: escalate items still open after their due date, once per level.

    The day after the due date, the provider's authorized official is told; after
    ``CAP_ESCALATE_TO_MANAGERS_DAYS`` more days, the network managers. Items of a provider that
    has left the network (terminated) are closed; a suspended provider's items wait.
    """
    today = today or timezone.localdate()
    open_items = CorrectiveActionItem.objects.filter(status__in=CorrectiveActionItem.OPEN_STATUSES)
    closed = open_items.filter(application__status=Application.Status.TERMINATED).update(
        status=Status.CLOSED
    )
    overdue = open_items.filter(
        due_on__lt=today, application__status__in=Application.IN_NETWORK_STATUSES
    ).select_related("application__organization", "plan")
    managers_after = timedelta(days=settings.CAP_ESCALATE_TO_MANAGERS_DAYS)
    to_officials: dict[int, list[CorrectiveActionItem]] = {}
    to_managers: list[CorrectiveActionItem] = []
    with transaction.atomic():
        for item in overdue.filter(~_told(Level.OFFICIAL)):
            if _told_once(item, Level.OFFICIAL):
                to_officials.setdefault(item.application_id, []).append(item)
        for item in overdue.filter(~_told(Level.MANAGERS), due_on__lt=today - managers_after):
            if _told_once(item, Level.MANAGERS):
                to_managers.append(item)
        for items in to_officials.values():
            event_record(
                application=items[0].application,
                kind=ApplicationEvent.Kind.CONDITION_OVERDUE,
                actor=None,
                detail=", ".join(i.reference for i in items),
            )
            notifications.overdue_to_official(items[0].application, items, today)
        if to_managers:
            notifications.overdue_to_managers(to_managers, today)
    return EscalationSummary(
        to_officials=sum(len(items) for items in to_officials.values()),
        to_managers=len(to_managers),
        closed=closed,
    )
