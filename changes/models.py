"""A provider's requests to change its approved record, and the flow process of each."""

import secrets
from datetime import date, timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from onboarding.models import Application
from portal.choices import ChoiceLabels


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class ChangeRequest(ChoiceLabels):
    """One change an approved provider asks the plan to make to its record.

    ``proposal`` holds what is asked, as the kind's form cleaned it (dates as ISO strings); it
    never holds a date of birth or an SSN. ``before`` and ``after`` are written when the change
    is applied, in the same transaction, and are never changed afterwards.
    """

    class Kind(models.TextChoices):
        CARE_TEAM = "care_team", _("Care team")
        CAPACITY = "capacity", _("Populations, counties and capacity")
        LOCATIONS = "locations", _("Service locations")
        LICENCE = "licence", _("The organization's licence or certification")
        OFFICIAL = "official", _("Authorized official (hand-over)")
        CONTACT = "contact", _("Contact details")
        OWNERSHIP = "ownership", _("Ownership or control")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Waiting for the plan's review")
        RETURNED = "returned", _("Returned for correction")
        APPROVED = "approved", _("Approved and applied")
        APPLIED = "applied", _("Applied at once and recorded")
        DENIED = "denied", _("Denied")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        CALLED_OFF = "called_off", _("Called off: the provider left the network")

    OPEN_STATUSES: ClassVar[set[str]] = {Status.DRAFT, Status.SUBMITTED, Status.RETURNED}
    EDITABLE_STATUSES: ClassVar[set[str]] = {Status.DRAFT, Status.RETURNED}
    # Low risk: applied as soon as the official sends it, with a record only (README explains).
    IMMEDIATE_KINDS: ClassVar[set[str]] = {Kind.CONTACT}

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="change_requests"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    summary = models.CharField(_("what is asked"), max_length=300, blank=True)
    proposal = models.JSONField(default=dict, blank=True)
    document = models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("A copy of the renewed licence, for a licence renewal."),
    )
    revision = models.PositiveIntegerField(
        default=0, help_text=_("How many times this request has been submitted.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    first_submitted_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When it was first sent: when the change was reported.")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    # Hand-over of the authorized official: the person named accepts through an emailed link.
    nominee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acceptance_token = models.CharField(max_length=64, unique=True, default=_new_token)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["application", "status"], name="change_request_application"),
            models.Index(fields=["status", "-submitted_at"], name="change_request_status"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} · {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("changes:detail", kwargs={"pk": self.application_id, "change_pk": self.pk})

    @property
    def reference(self) -> str:
        return f"CR-{self.pk:06d}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES

    @property
    def applies_at_once(self) -> bool:
        return self.kind in self.IMMEDIATE_KINDS

    def proposed(self, key: str, default: Any = "") -> Any:
        return self.proposal.get(key, default)

    @property
    def changed_on(self) -> date | None:
        """The day a change of ownership or control took effect, as the provider gives it."""
        value = self.proposed("changed_on") if self.kind == self.Kind.OWNERSHIP else ""
        return date.fromisoformat(value) if value else None

    @property
    def report_by(self) -> date | None:
        """The last day to report a change of ownership or control to the plan (42 CFR
        455.104(c): within 35 days of the change; ``OWNERSHIP_CHANGE_REPORT_DAYS``)."""
        changed_on = self.changed_on
        if changed_on is None:
            return None
        return changed_on + timedelta(days=settings.OWNERSHIP_CHANGE_REPORT_DAYS)

    @property
    def days_late(self) -> int:
        """How many days after ``report_by`` it was sent (or, not sent yet, today is); 0 if on
        time or not a change of ownership."""
        report_by = self.report_by
        if report_by is None:
            return 0
        sent = self.first_submitted_at
        reported = timezone.localdate(sent) if sent else None
        return max(0, ((reported or timezone.localdate()) - report_by).days)


class ChangeRequestProcess(Process):
    """The viewflow process of one change request."""

    change_request: models.OneToOneField[ChangeRequest, ChangeRequest] = models.OneToOneField(
        ChangeRequest, on_delete=models.PROTECT, related_name="process"
    )

    class Meta:
        verbose_name = _("change request process")

    @property
    def application(self) -> Application:
        """The provider's application: the one ``onboarding.transitions`` locks and refreshes."""
        return self.change_request.application
