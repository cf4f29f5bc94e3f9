"""The application's timeline: every transition, who did it and when."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from onboarding.models.applications import Application
from portal.choices import ChoiceLabels


class ApplicationEvent(ChoiceLabels):
    """Something that happened to an application. Rows are only ever added."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Application started")
        DRAFT_SAVED = "draft_saved", _("Draft saved")
        STEP_SUBMITTED = "step_submitted", _("Step submitted")
        SIGNED = "signed", _("Attestation signed")
        SIGNATURE_VOIDED = "signature_voided", _("Signature voided by a change")
        SCREENED = "screened", _("Screening run")
        SCREENING_ADJUDICATED = "screening_adjudicated", _("Screening match adjudicated")
        NEW_EXCLUSION_MATCH = "new_exclusion_match", _("Re-screening found a new match")
        TASK_CLAIMED = "task_claimed", _("Review claimed")
        TASK_RELEASED = "task_released", _("Review released")
        TASK_REASSIGNED = "task_reassigned", _("Review reassigned")
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
        PROVIDER_SUSPENDED = "provider_suspended", _("Provider suspended")
        PROVIDER_TERMINATED = "provider_terminated", _("Provider terminated")
        PROVIDER_REINSTATED = "provider_reinstated", _("Provider reinstated")
        CHANGE_SUBMITTED = "change_submitted", _("Change request sent")
        CHANGE_DECIDED = "change_decided", _("Change request decided")
        CHANGE_APPLIED = "change_applied", _("Change applied to the record")
        CHANGE_CLOSED = "change_closed", _("Change request withdrawn or called off")
        HANDOVER_ACCEPTED = "handover_accepted", _("New authorized official accepted")
        CONDITIONS_SET = "conditions_set", _("Approved with conditions (corrective-action plan)")
        EVIDENCE_SENT = "evidence_sent", _("Corrective-action evidence sent")
        EVIDENCE_REVIEWED = "evidence_reviewed", _("Corrective-action evidence reviewed")
        CONDITIONS_MET = "conditions_met", _("Every corrective action accepted")
        CONDITION_OVERDUE = "condition_overdue", _("Corrective action overdue, escalated")
        RECREDENTIALING_STARTED = "recred_started", _("Recredentialing opened")
        RECREDENTIALING_OVERDUE = "recred_overdue", _("Recredentialing overdue")
        RECREDENTIALED = "recredentialed", _("Recredentialed")
        RECREDENTIALING_ENDED = "recred_ended", _("Recredentialing denied, lapsed or called off")

    # Screening findings are the plan's to weigh; applicants' pages do not list these events.
    STAFF_ONLY_KINDS: ClassVar[set[str]] = {
        Kind.SCREENED,
        Kind.SCREENING_ADJUDICATED,
        Kind.NEW_EXCLUSION_MATCH,
    }

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
