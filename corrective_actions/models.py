"""A corrective-action plan: the conditions of an approval, and the provider's evidence for each."""

from datetime import date
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.models import Document
from onboarding.models import Application
from portal.choices import ChoiceLabels
from reviews.models import ReviewDecision


class CorrectiveActionPlan(models.Model):
    """The conditions a network manager set when approving with conditions: one per decision.

    The decision is a final approval, or the decision on a change request (``change_request``).
    ``completed_at`` is set when the last of its items is accepted.
    """

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="corrective_action_plans"
    )
    decision = models.OneToOneField(
        ReviewDecision, on_delete=models.PROTECT, related_name="corrective_action_plan"
    )
    change_request = models.ForeignKey(
        "changes.ChangeRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrective_action_plans",
    )
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.reference} · {self.application.reference}"

    @property
    def reference(self) -> str:
        return f"CAP-{self.pk:06d}"


class CorrectiveActionItem(ChoiceLabels):
    """One condition: what was found, what must be done, by when, and by whom at the provider."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for evidence")
        SUBMITTED = "submitted", _("Evidence sent, waiting for review")
        RETURNED = "returned", _("Evidence returned")
        ACCEPTED = "accepted", _("Accepted")
        CLOSED = "closed", _("Closed (provider no longer in the network)")

    OPEN_STATUSES: ClassVar[set[str]] = {Status.OPEN, Status.SUBMITTED, Status.RETURNED}
    # What the provider can send evidence for.
    AWAITING_PROVIDER: ClassVar[set[str]] = {Status.OPEN, Status.RETURNED}

    plan = models.ForeignKey(CorrectiveActionPlan, on_delete=models.PROTECT, related_name="items")
    # Denormalised from the plan: the lists and the daily job filter items by provider.
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="corrective_action_items"
    )
    finding = models.CharField(_("finding"), max_length=80)  # a review item, "entity:npi"
    finding_label = models.CharField(_("rule or criterion"), max_length=200)
    detail = models.TextField(_("what was found"))
    action = models.TextField(_("corrective action required"))
    due_on = models.DateField(_("due date"))
    responsible = models.CharField(_("responsible person"), max_length=200)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(
                fields=["due_on", "id"],
                condition=Q(status__in=["open", "submitted", "returned"]),
                name="cap_item_open_by_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.finding_label}"

    @property
    def reference(self) -> str:
        return f"CAP-{self.plan_id:06d}-{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def awaits_provider(self) -> bool:
        return self.status in self.AWAITING_PROVIDER

    def is_overdue(self, today: date | None = None) -> bool:
        return self.is_open and self.due_on < (today or timezone.localdate())

    def get_absolute_url(self) -> str:
        return reverse(
            "corrective_actions:item", kwargs={"pk": self.application_id, "item_pk": self.pk}
        )


class Evidence(ChoiceLabels):
    """What the provider sent for one item (a note and documents), and the reviewer's verdict."""

    class Verdict(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned")

    item = models.ForeignKey(
        CorrectiveActionItem, on_delete=models.PROTECT, related_name="evidence"
    )
    note = models.TextField(_("what was done"))
    documents = models.ManyToManyField(Document, blank=True, related_name="+")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    verdict = models.CharField(max_length=16, choices=Verdict.choices, blank=True)
    comment = models.TextField(_("reviewer's comment"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return f"{self.item.reference}: evidence of {self.submitted_at:%Y-%m-%d}"


class EscalationNotice(models.Model):
    """An overdue item told to someone, once: its uniqueness makes a second run send nothing.

    A due date moved later starts the escalation again (the date is part of the key).
    """

    class Level(models.TextChoices):
        OFFICIAL = "official", _("Authorized official")
        MANAGERS = "managers", _("Network managers")

    item = models.ForeignKey(
        CorrectiveActionItem, on_delete=models.CASCADE, related_name="escalations"
    )
    level = models.CharField(max_length=16, choices=Level.choices)
    due_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "level", "due_on"], name="cap_escalation_once_per_level"
            )
        ]

    def __str__(self) -> str:
        return f"{self.item.reference}: {self.get_level_display()}"
