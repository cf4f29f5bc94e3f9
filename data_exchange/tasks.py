"""Checking a sample file in the background."""

from celery import shared_task
from django.conf import settings


# Celery stops the job a little after the check's own deadline has (the deadline is checked as
# the file is read, which is what bounds the embedded default, where no time limit applies).
# Not acks_late: a sample that brought a worker down must not be handed to the next one.
@shared_task(
    acks_late=False,
    soft_time_limit=settings.SAMPLE_CHECK_MAX_SECONDS + 30,
    time_limit=settings.SAMPLE_CHECK_MAX_SECONDS + 60,
)
def sample_file_check_job(check_id: int) -> str:
    """Check one queued sample file (``SampleFileCheck``); returns the check's status."""
    # Imported here because the services import this module (to queue this job).
    from data_exchange.services import sample_file_check_run

    return str(sample_file_check_run(check_id=check_id).status)
