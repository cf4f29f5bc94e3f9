"""Recording what happened to an application."""

from collections.abc import Mapping

from onboarding.models import Application, ApplicationEvent
from portal.audit import audit_entry, audit_record
from portal.models import AuditEvent, User


def event_record(
    *, application: Application, kind: ApplicationEvent.Kind, actor: User | None, detail: str = ""
) -> ApplicationEvent:
    """Add an event to the application's timeline, and to the audit trail."""
    event = ApplicationEvent.objects.create(
        application=application, kind=kind, actor=actor, detail=detail[:300]
    )
    audit_record(
        action=AuditEvent.Action.APPLICATION,
        actor=actor,
        target=application,
        summary=f"{application.reference} {event.get_kind_display()}: {detail}",
    )
    return event


def events_record(
    *, details: Mapping[Application, str], kind: ApplicationEvent.Kind
) -> list[ApplicationEvent]:
    """Add one event of ``kind`` by the system to each application's timeline and to the audit
    trail, as ``event_record`` does, in two inserts: a monthly job's thousands of events."""
    events = ApplicationEvent.objects.bulk_create(
        ApplicationEvent(application=application, kind=kind, actor=None, detail=detail[:300])
        for application, detail in details.items()
    )
    AuditEvent.objects.bulk_create(
        audit_entry(
            action=AuditEvent.Action.APPLICATION,
            target=application,
            summary=f"{application.reference} {ApplicationEvent.Kind(kind).label}: {detail}",
        )
        for application, detail in details.items()
    )
    return events
