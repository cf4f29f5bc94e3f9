"""The application's timeline: every transition, who did it and when."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from onboarding.models.applications import Application


class ApplicationEvent(models.Model):
    """Something that happened to an application. Rows are only ever added."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Application started")
        DRAFT_SAVED = "draft_saved", _("Draft saved")
        STEP_SUBMITTED = "step_submitted", _("Step submitted")
        SCREENED = "screened", _("Screening run")
        TASK_CLAIMED = "task_claimed", _("Review claimed")
        TASK_RELEASED = "task_released", _("Review released")
        STEP_APPROVED = "step_approved", _("Step approved")
        STEP_RETURNED = "step_returned", _("Step returned for correction")
        DENIED = "denied", _("Application denied")
        FINAL_APPROVED = "final_approved", _("Final approval given")
        PACKET_DELIVERED = "packet_delivered", _("Welcome packet delivered")
        PACKET_DOWNLOADED = "packet_downloaded", _("Welcome packet document downloaded")
        PACKET_ACKNOWLEDGED = "packet_acknowledged", _("Welcome packet acknowledged")
        DOCUMENT_UPLOADED = "document_uploaded", _("Document uploaded")
        DOCUMENT_REMOVED = "document_removed", _("Document removed")
        SAMPLE_FILE_CHECKED = "sample_file_checked", _("Sample data file checked")
        WITHDRAWN = "withdrawn", _("Application withdrawn")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    detail = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.created_at:%Y-%m-%d %H:%M})"
