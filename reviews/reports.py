"""Figures for the network managers' dashboard: where work is, how long it takes, who holds it."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import median

from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from onboarding.models import Application
from reviews.models import ReviewDecision, ReviewWork

Stage = ReviewDecision.Stage
# The median is taken over the latest reviews of each stage, so the page stays quick at any size.
MEDIAN_SAMPLE = 2000


ROW_HEIGHT = 24
BAR_START = 230
BAR_MAX = 330


@dataclass(frozen=True)
class Bar:
    """One bar of a chart: its label, its value as text, and where the SVG draws it."""

    label: str
    value: float
    text: str
    y: int
    width: int

    @property
    def text_x(self) -> int:
        return BAR_START + self.width + 6

    @property
    def text_y(self) -> int:
        return self.y + 16


def bars(pairs: list[tuple[str, float]], unit: str = "") -> list[Bar]:
    """Bars scaled so the largest value spans the chart; values are printed beside each bar."""
    top = max((value for _label, value in pairs), default=0) or 1
    return [
        Bar(
            label,
            value,
            f"{value:g}{unit}" if isinstance(value, float) else f"{value}{unit}",
            index * ROW_HEIGHT,
            round(BAR_MAX * value / top),
        )
        for index, (label, value) in enumerate(pairs)
    ]


def open_work_by_step() -> list[Bar]:
    """Open reviews per stage, plus steps waiting with applicants after a return."""
    counts = dict(
        ReviewWork.objects.filter(is_open=True)
        .values("stage")
        .annotate(n=Count("pk"))
        .values_list("stage", "n")
    )
    pairs = [(str(label), counts.get(value, 0)) for value, label in Stage.choices]
    pairs.append(
        (
            _("Returned, with the applicant"),
            Application.objects.filter(status=Application.Status.RETURNED).count(),
        )
    )
    return bars(pairs)


def median_days_per_step() -> list[Bar]:
    """Median calendar days from a step reaching the plan to its decision (recent reviews)."""
    pairs: list[tuple[str, float]] = []
    for value, label in Stage.choices:
        durations = (
            ReviewWork.objects.filter(stage=value, finished_at__isnull=False)
            .order_by("-finished_at")
            .annotate(took=F("finished_at") - F("created_at"))
            .values_list("took", flat=True)[:MEDIAN_SAMPLE]
        )
        days = [d.total_seconds() / 86400 for d in durations if d is not None]
        pairs.append((str(label), round(median(days), 1) if days else 0.0))
    return bars(pairs, _(" days"))


@dataclass(frozen=True)
class MonthDecisions:
    month: date
    approved: int
    denied: int


def decisions_per_month(months: int = 12) -> list[MonthDecisions]:
    """Final approvals and denials in each of the last ``months`` months."""
    since = (timezone.localdate().replace(day=1) - timedelta(days=31 * (months - 1))).replace(day=1)
    rows = (
        Application.objects.filter(
            status__in=[
                *Application.IN_NETWORK_STATUSES,
                Application.Status.DENIED,
            ],
            decided_at__date__gte=since,
        )
        .annotate(month=TruncMonth("decided_at"))
        .values("month")
        .annotate(
            approved=Count("pk", filter=~Q(status=Application.Status.DENIED)),
            denied=Count("pk", filter=Q(status=Application.Status.DENIED)),
        )
        .order_by("month")
    )
    return [
        MonthDecisions(
            r["month"].date() if isinstance(r["month"], datetime) else r["month"],
            r["approved"],
            r["denied"],
        )
        for r in rows
    ]


def decision_bars(months: list[MonthDecisions]) -> tuple[list[Bar], list[Bar]]:
    """Approvals and denials per month as two charts on one scale."""
    top = max((max(m.approved, m.denied) for m in months), default=0) or 1

    def scaled(pairs: list[tuple[str, int]]) -> list[Bar]:
        return [
            Bar(label, value, str(value), i * ROW_HEIGHT, round(BAR_MAX * value / top))
            for i, (label, value) in enumerate(pairs)
        ]

    return (
        scaled([(f"{m.month:%b %Y}", m.approved) for m in months]),
        scaled([(f"{m.month:%b %Y}", m.denied) for m in months]),
    )


def open_work_per_reviewer() -> list[Bar]:
    """Reviews each person holds now, and how many of them are overdue."""
    today = timezone.localdate()
    rows = (
        ReviewWork.objects.filter(is_open=True, owner__isnull=False)
        .values("owner__full_name", "owner__email")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(due_on__lt=today)))
        .order_by("-n", "owner__full_name")
    )
    return bars(
        [
            (
                f"{r['owner__full_name'] or r['owner__email']}"
                + (_(" (%(late)d overdue)") % {"late": r["late"]} if r["late"] else ""),
                r["n"],
            )
            for r in rows
        ]
    )
