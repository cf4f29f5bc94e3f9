"""The daily escalation of overdue corrective actions, as a Celery beat job."""

from celery import shared_task


@shared_task(acks_late=True)
def escalate_overdue_items() -> str:
    """Tell officials, then network managers, of corrective actions open past their due date."""
    from corrective_actions.services import corrective_actions_escalate

    return str(corrective_actions_escalate())
