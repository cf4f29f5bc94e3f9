"""The recredentialing calendar: when a provider is due, when its recredentialing opens, and
how long after the due date it may still finish (settings RECREDENTIALING_*)."""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta  # type: ignore[import-untyped]
from django.conf import settings


def due_after(approved_on: date) -> date:
    """The next due date for a provider approved (or recredentialed) on ``approved_on``."""
    return approved_on + relativedelta(months=settings.RECREDENTIALING_CYCLE_MONTHS)


def opens_on(due_on: date) -> date:
    """The day the job opens the recredentialing due on ``due_on``."""
    return due_on - timedelta(days=settings.RECREDENTIALING_START_DAYS)


def last_day(due_on: date) -> date:
    """The last day a recredentialing due on ``due_on`` may still be approved (late)."""
    return due_on + timedelta(days=settings.RECREDENTIALING_LATE_DAYS)
