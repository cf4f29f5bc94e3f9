"""The daily recredentialing job, as a Celery beat job."""

from celery import shared_task


@shared_task(acks_late=True)
def recredentialing_daily() -> str:
    """Open recredentialings coming due, tell who is overdue, let the late ones lapse."""
    from recredentialing.services import recredentialing_daily as run

    return str(run())
