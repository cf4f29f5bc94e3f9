"""Recording what happened to an application."""

from onboarding.models import Application, ApplicationEvent
from portal.audit import audit_record
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
