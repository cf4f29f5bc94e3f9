"""Scoped reads of corrective actions: a provider's own, and the plan staff's workbench list."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from corrective_actions.models import CorrectiveActionItem, CorrectiveActionPlan, Evidence
from onboarding.models import Application

Status = CorrectiveActionItem.Status


def plans_of(application: Application) -> list[CorrectiveActionPlan]:
    """The provider's plans, newest first, each with its items and who set them."""
    return list(
        application.corrective_action_plans.select_related(
            "decision__reviewer", "change_request"
        ).prefetch_related("items")
    )


def item_of(application: Application, item_pk: int) -> CorrectiveActionItem:
    """One item of the provider ``application`` (already scoped to the viewer); else a 404."""
    return get_object_or_404(
        CorrectiveActionItem.objects.select_related("plan__decision__reviewer", "accepted_by"),
        application=application,
        pk=item_pk,
    )


def evidence_of(item: CorrectiveActionItem) -> list[Evidence]:
    return list(
        item.evidence.select_related("submitted_by", "reviewed_by").prefetch_related("documents")
    )


def evidence_waiting(item: CorrectiveActionItem) -> Evidence | None:
    """The evidence a reviewer has still to judge, if the item waits for one."""
    if item.status != Status.SUBMITTED:
        return None
    return item.evidence.filter(verdict="").first()


@dataclass(frozen=True)
class ItemFilters:
    """The workbench list's filters, from its query string."""

    status: str = ""  # an item status, or "" for every open item
    overdue: bool = False
    due_within: int | None = None  # days from today
    provider: str = ""  # part of the organization's name, or its ECM reference

    @classmethod
    def from_query(cls, query: "dict[str, str]") -> "ItemFilters":
        status = query.get("status", "")
        try:
            due_within = int(query.get("due_within", "")) if query.get("due_within") else None
        except ValueError:
            due_within = None
        return cls(
            status=status if status in Status.values else "",
            overdue=query.get("overdue") == "1",
            due_within=due_within if due_within in DUE_WITHIN_DAYS else None,
            provider=query.get("provider", "").strip()[:100],
        )


DUE_WITHIN_DAYS = (7, 30, 60, 90)


def items_for_workbench(
    filters: ItemFilters, today: date | None = None
) -> QuerySet[CorrectiveActionItem]:
    """Corrective-action items by due date, the earliest first, as the filters narrow them."""
    today = today or timezone.localdate()
    items = CorrectiveActionItem.objects.select_related("application__organization", "plan")
    if filters.status:
        items = items.filter(status=filters.status)
    else:
        items = items.filter(status__in=CorrectiveActionItem.OPEN_STATUSES)
    if filters.overdue:
        items = items.filter(due_on__lt=today)
    if filters.due_within is not None:
        items = items.filter(due_on__lte=today + timedelta(days=filters.due_within))
    if filters.provider:
        reference = filters.provider.upper().removeprefix("ECM-")
        by_reference = Q(application_id=int(reference)) if reference.isdigit() else Q()
        items = items.filter(
            Q(application__organization__legal_name__icontains=filters.provider) | by_reference
        )
    return items.order_by("due_on", "pk")


@dataclass(frozen=True)
class OpenItemsByDue:
    """The dashboard's count of open items: overdue, and due in the next 7, 30 and 90 days."""

    overdue: int
    within_7: int
    within_30: int
    within_90: int
    waiting_review: int


def open_items_by_due(today: date | None = None) -> OpenItemsByDue:
    today = today or timezone.localdate()
    counts = CorrectiveActionItem.objects.filter(
        status__in=CorrectiveActionItem.OPEN_STATUSES
    ).aggregate(
        overdue=Count("pk", filter=Q(due_on__lt=today)),
        within_7=Count("pk", filter=Q(due_on__gte=today, due_on__lte=today + timedelta(days=7))),
        within_30=Count("pk", filter=Q(due_on__gte=today, due_on__lte=today + timedelta(days=30))),
        within_90=Count("pk", filter=Q(due_on__gte=today, due_on__lte=today + timedelta(days=90))),
        waiting_review=Count("pk", filter=Q(status=Status.SUBMITTED)),
    )
    return OpenItemsByDue(**counts)
