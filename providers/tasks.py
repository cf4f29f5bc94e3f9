"""The daily credential check, as a Celery beat job (CELERY_BEAT_SCHEDULE)."""

from celery import shared_task


@shared_task(acks_late=True)
def check_credentials() -> str:
    """Licence notices and the roster rules of every provider in the network; its summary."""
    # Imported here because the services import the notifications, which import the job module.
    from providers.services.credentials import credentials_check

    return str(credentials_check())


@shared_task(acks_late=True)
def apply_status_changes() -> str:
    """Suspensions, terminations and reinstatements confirmed for a date that has come."""
    from providers.services.status_changes import status_changes_take_effect

    return f"{status_changes_take_effect()} status change(s) took effect."
