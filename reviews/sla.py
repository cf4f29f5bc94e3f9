"""Review deadlines in business days (settings ``REVIEW_SLA_BUSINESS_DAYS``, ``REVIEW_HOLIDAYS``).

A step's review clock runs only while the plan holds the step: from each submission to the
decision on it. While a step is returned to the applicant the clock pauses, so a resubmitted step
is due after the business days left over from its earlier rounds, not a fresh allowance.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import timezone


def holidays() -> frozenset[date]:
    return frozenset(date.fromisoformat(day) for day in settings.REVIEW_HOLIDAYS)


def is_business_day(day: date, closed: frozenset[date]) -> bool:
    return day.weekday() < 5 and day not in closed


def business_days_between(start: date, end: date, closed: frozenset[date] | None = None) -> int:
    """Business days after ``start`` up to and including ``end`` (0 when ``end`` <= ``start``)."""
    closed = holidays() if closed is None else closed
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_business_day(day, closed):
            count += 1
    return count


def add_business_days(start: date, days: int, closed: frozenset[date] | None = None) -> date:
    """The date ``days`` business days after ``start`` (``start`` itself for 0 or less)."""
    closed = holidays() if closed is None else closed
    day = start
    while days > 0:
        day += timedelta(days=1)
        if is_business_day(day, closed):
            days -= 1
    return day


def allowance(stage: str) -> int:
    return int(settings.REVIEW_SLA_BUSINESS_DAYS[stage])


@dataclass(frozen=True)
class ReviewRound:
    """One period during which the plan held a step: submitted, and decided (or still open)."""

    started: datetime
    finished: datetime | None


def local_day(moment: datetime) -> date:
    return timezone.localdate(moment)


def due_date(
    stage: str, rounds: Iterable[ReviewRound], closed: frozenset[date] | None = None
) -> date:
    """When the open (last) round of a step's review is due, the earlier rounds counted against it.

    Earlier rounds use up business days from the stage's allowance; the time between a decision
    that returned the step and its resubmission is not counted.
    """
    closed = holidays() if closed is None else closed
    rounds = sorted(rounds, key=lambda r: r.started)
    current = rounds[-1]
    used = sum(
        business_days_between(local_day(r.started), local_day(r.finished), closed)
        for r in rounds[:-1]
        if r.finished is not None
    )
    return add_business_days(local_day(current.started), allowance(stage) - used, closed)


def days_overdue(
    due_on: date, today: date | None = None, closed: frozenset[date] | None = None
) -> int:
    """Business days past the due date (0 when not overdue)."""
    return business_days_between(due_on, today or timezone.localdate(), closed)
