"""Reads about the recredentialing cycle: where each provider stands, and the workbench's lists."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onboarding.models import Application
from recredentialing.cycle import last_day
from recredentialing.models import Recredentialing

Outcome = Recredentialing.Outcome
# Providers on the cycle: in the network, or suspended (its clock runs on).
ON_THE_CYCLE = sorted({*Application.IN_NETWORK_STATUSES, Application.Status.SUSPENDED})
WINDOWS = (30, 60, 90, 120)
FILTERS = {
    "": _("Every provider on the cycle"),
    **{str(days): _("Due in the next %(days)s days") % {"days": days} for days in WINDOWS},
    "in_progress": _("In progress"),
    "overdue": _("Overdue"),
    "lapsed": _("Lapsed"),
}


def _open() -> QuerySet[Recredentialing]:
    return Recredentialing.objects.filter(provider=OuterRef("pk"), outcome=Outcome.OPEN)


def on_the_cycle() -> QuerySet[Application]:
    return Application.objects.filter(
        status__in=ON_THE_CYCLE, renews__isnull=True, recredentialing_due_on__isnull=False
    )


def providers_for_workbench(due: str, today: date | None = None) -> QuerySet[Application]:
    """Providers by due date, the earliest first, as the filter ``due`` narrows them, each with
    its open renewal (``renewal_id``) if any."""
    today = today or timezone.localdate()
    providers = on_the_cycle().annotate(
        renewal_id=Subquery(_open().values("renewal_id")[:1]),
    )
    if due in {str(days) for days in WINDOWS}:
        providers = providers.filter(
            recredentialing_due_on__gte=today,
            recredentialing_due_on__lte=today + timedelta(days=int(due)),
        )
    elif due == "in_progress":
        providers = providers.filter(Exists(_open()))
    elif due == "overdue":
        providers = providers.filter(recredentialing_due_on__lt=today)
    elif due == "lapsed":
        providers = providers.filter(
            Exists(
                Recredentialing.objects.filter(
                    provider=OuterRef("pk"),
                    outcome=Outcome.LAPSED,
                    due_on=OuterRef("recredentialing_due_on"),
                )
            )
        )
    return providers.select_related("organization").order_by("recredentialing_due_on", "pk")


@dataclass(frozen=True)
class CycleCounts:
    """The dashboard's figures: due within each window, in progress, overdue, lapsed."""

    within_30: int
    within_60: int
    within_90: int
    within_120: int
    in_progress: int
    overdue: int
    lapsed: int


def cycle_counts(today: date | None = None) -> CycleCounts:
    today = today or timezone.localdate()

    def within(days: int) -> Q:
        return Q(
            recredentialing_due_on__gte=today,
            recredentialing_due_on__lte=today + timedelta(days=days),
        )

    counts = on_the_cycle().aggregate(
        **{f"within_{days}": Count("pk", filter=within(days)) for days in WINDOWS},
        overdue=Count("pk", filter=Q(recredentialing_due_on__lt=today)),
    )
    in_progress = Recredentialing.objects.filter(outcome=Outcome.OPEN).count()
    lapsed = providers_for_workbench("lapsed", today).count()
    return CycleCounts(**counts, in_progress=in_progress, lapsed=lapsed)


@dataclass(frozen=True)
class Standing:
    """Where one provider stands on the cycle, for its record page."""

    due_on: date | None
    overdue: bool
    last_day: date | None
    current: Recredentialing | None
    history: list[Recredentialing]


def standing_of(provider: Application, today: date | None = None) -> Standing:
    today = today or timezone.localdate()
    history = list(provider.recredentialings.select_related("renewal"))
    current = next((r for r in history if r.is_open), None)
    due_on = provider.recredentialing_due_on
    return Standing(
        due_on=due_on,
        overdue=bool(due_on and due_on < today and provider.status in ON_THE_CYCLE),
        last_day=last_day(due_on) if due_on else None,
        current=current,
        history=history,
    )
