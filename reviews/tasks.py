"""The reviewers' daily reminders of overdue reviews."""

from celery import shared_task


@shared_task
def send_overdue_reminders() -> str:
    """The daily job (Celery beat): overdue reviews to their reviewers, escalations to managers."""
    from reviews.services.reminders import overdue_reminders_send

    return str(overdue_reminders_send())
