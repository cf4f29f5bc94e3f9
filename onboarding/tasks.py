"""Sending notification emails in the background (run eagerly in the embedded default)."""

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
