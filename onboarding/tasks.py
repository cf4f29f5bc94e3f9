"""Background jobs of the onboarding app (run eagerly in the embedded default)."""

from typing import Any

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail


@shared_task(bind=True, acks_late=True, max_retries=5)
def send_notification(self: Any, recipients: list[str], subject: str, body: str) -> int:
    """Send one notification email; a mail server that is briefly away is retried with back-off.

    SMTP errors (``smtplib.SMTPException``) and refused connections are ``OSError``s.
    """
    try:
        return send_mail(subject, body, None, recipients)
    except OSError as error:
        delay = settings.NOTIFICATION_RETRY_SECONDS * 2**self.request.retries
        raise self.retry(exc=error, countdown=delay) from error


@shared_task(acks_late=True)
def rescreen_active_providers() -> str:
    """The monthly re-screening (CELERY_BEAT_SCHEDULE); returns its one-line summary."""
    # Imported here because the services import this module (through notifications).
    from onboarding.services.screening import rescreen_active_providers as rescreen

    return str(rescreen())


@shared_task(acks_late=True)
def screen_application_job(application_id: int, subject_kind: str) -> int:
    """Screen one application's organization or care team; returns the number of results."""
    # Imported here because the services import this module (through notifications).
    from onboarding.services.screening import screening_run

    return screening_run(application_id=application_id, subject_kind=subject_kind)


@shared_task
def send_overdue_reminders() -> str:
    """The daily job (Celery beat): overdue reviews to their reviewers, escalations to managers."""
    from onboarding.services.reminders import overdue_reminders_send

    return str(overdue_reminders_send())


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
    from onboarding.data_exchange.services import sample_file_check_run

    return str(sample_file_check_run(check_id=check_id).status)
