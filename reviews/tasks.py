"""The reviewers' daily reminders of overdue reviews, the network managers' CSV exports, and the
records' parts rendered before a reviewer's first look."""

from typing import Any

from celery import shared_task
from celery.signals import worker_ready
from django.conf import settings

from documents.tasks import STORAGE_ERRORS

# A storage that is briefly away is tried again after about 1, 2 and 4 minutes; after that the
# export is marked failed, and the manager asks again.
EXPORT_RETRIES = 3


@shared_task
def send_overdue_reminders() -> str:
    """The daily job (Celery beat): overdue reviews to their reviewers, escalations to managers."""
    from reviews.services.reminders import overdue_reminders_send

    return str(overdue_reminders_send())


@shared_task(bind=True, acks_late=True, max_retries=EXPORT_RETRIES)
def build_export(self: Any, export_id: int) -> str:
    """Build one export a network manager asked for (``Export``); returns its status.

    Late acknowledgement: a worker stopped while building hands the export, still waiting, to
    the next one.
    """
    # Imported here because the services import this module (to queue this job).
    from reviews.services.exports import export_build

    # Run eagerly (the embedded default) there is no worker to try again later, and the manager's
    # request waits for the outcome: the first failure is the last.
    last_try = self.request.is_eager or self.request.retries >= EXPORT_RETRIES
    try:
        export = export_build(export_id=export_id, raise_storage_errors=not last_try)
    except STORAGE_ERRORS as error:
        raise self.retry(exc=error, countdown=60 * 2**self.request.retries) from error
    return str(export.status) if export is not None else "deleted"


@shared_task(acks_late=True)
def delete_expired_exports() -> int:
    """The daily job (Celery beat): exports past ``EXPORT_RETENTION_DAYS``, file and record."""
    from reviews.services.exports import exports_delete_expired

    return exports_delete_expired()


@shared_task(acks_late=True)
def fail_lost_exports() -> int:
    """Every 15 minutes (Celery beat): exports whose job was lost are ended as failed."""
    from reviews.services.exports import exports_fail_lost

    return exports_fail_lost()


@shared_task(acks_late=True)
def warm_record(application_id: int) -> int:
    """Render a record's parts once a write to it commits (``reviews.record_warming``)."""
    from reviews.record_sections import record_warm

    return record_warm(application_pk=application_id)


@shared_task(acks_late=True)
def warm_records_awaiting_review() -> int:
    """The nightly job (Celery beat), and a worker's first once started: the parts of the
    records awaiting review not in the cache for the day and the code as they are, those due
    soonest first (at most ``RECORD_WARM_PER_NIGHT``)."""
    from reviews.record_sections import records_awaiting_review_warm

    return records_awaiting_review_warm()


@worker_ready.connect
def render_after_a_deploy(**kwargs: Any) -> None:
    """A worker that starts, as after a deploy, queues the nightly rendering: the code's version
    is in every rendering's key, so a deploy leaves no record rendered. (A restart without a
    deploy finds them cached: a stamp and a cache read per record.)"""
    if settings.RECORD_WARMING:
        warm_records_awaiting_review.delay()
