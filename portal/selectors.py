"""Reads of the portal's own records: the audit trail."""

from datetime import datetime, time

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date

from portal.models import AuditEvent


def audit_events(
    *, who: str = "", action: str = "", since: str = "", until: str = ""
) -> QuerySet[AuditEvent]:
    """Audit events, newest first, narrowed by any of: part of the actor's email, an action,
    and the first and last day (as ``YYYY-MM-DD``, in the portal's time zone; a date that does
    not parse narrows nothing)."""
    events = AuditEvent.objects.all()
    if who:
        events = events.filter(actor_email__icontains=who)
    if action in AuditEvent.Action.values:
        events = events.filter(action=action)
    tz = timezone.get_current_timezone()
    if first_day := parse_date(since):
        events = events.filter(occurred_at__gte=datetime.combine(first_day, time.min, tz))
    if last_day := parse_date(until):
        events = events.filter(occurred_at__lte=datetime.combine(last_day, time.max, tz))
    return events


def audit_events_with_actors(**filters: str) -> QuerySet[AuditEvent]:
    """``audit_events`` with each event's actor read with it, for a page of the trail."""
    return audit_events(**filters).select_related("actor")
