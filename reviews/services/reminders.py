"""The daily nudge about overdue reviews: to the reviewers who hold them, and to managers."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils import timezone

from onboarding import notifications
from onboarding.notifications import OverdueReview
from portal.models import User
from portal.roles import FINAL_APPROVAL_PERMISSION
from reviews.models import ReviewWork
from reviews.sla import days_overdue, holidays


@dataclass(frozen=True)
class ReminderSummary:
    reviewers_emailed: int
    overdue_reviews: int
    escalated_reviews: int
    managers_emailed: int


def network_managers() -> list[User]:
    app_label, codename = FINAL_APPROVAL_PERMISSION.split(".")
    return list(
        User.objects.filter(
            groups__permissions__codename=codename,
            groups__permissions__content_type__app_label=app_label,
            is_active=True,
        )
        .distinct()
        .order_by("email")
    )


def overdue_reminders_send(*, today: date | None = None) -> ReminderSummary:
    """Email each reviewer their overdue reviews; escalate those far past due to the managers.

    Reviews nobody has claimed have no one to remind, so they are escalated as soon as they pass
    the threshold like the others.
    """
    today = today or timezone.localdate()
    closed = holidays()
    overdue = list(
        ReviewWork.objects.filter(is_open=True, due_on__lt=today)
        .select_related("application__organization", "owner")
        .order_by("due_on", "task_id")
    )
    by_owner: dict[User, list[OverdueReview]] = defaultdict(list)
    escalated = []
    for work in overdue:
        late = OverdueReview(work, days_overdue(work.due_on, today, closed))
        if work.owner is not None:
            by_owner[work.owner].append(late)
        if late.days_late >= settings.REVIEW_ESCALATION_BUSINESS_DAYS:
            escalated.append(late)
    for owner, rows in by_owner.items():
        notifications.overdue_reviews(owner, rows)
    managers = network_managers() if escalated else []
    if managers:
        notifications.overdue_escalation(managers, escalated)
    return ReminderSummary(len(by_owner), len(overdue), len(escalated), len(managers))
