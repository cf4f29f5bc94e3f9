"""Plan decisions on an application: step reviews, deficiencies and final approval."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from onboarding.models.applications import Application, ApplicationStep
from onboarding.reference import ReviewReasonCode
from portal.choices import ChoiceLabels


class ReviewDecision(ChoiceLabels):
    """A reviewer's (or the network manager's) decision on one step of an application."""

    class Stage(models.TextChoices):
        ENTITY = ApplicationStep.Kind.ENTITY.value, ApplicationStep.Kind.ENTITY.label
        ATTESTATIONS = (
            ApplicationStep.Kind.ATTESTATIONS.value,
            ApplicationStep.Kind.ATTESTATIONS.label,
        )
        DATA_SHARING = (
            ApplicationStep.Kind.DATA_SHARING.value,
            ApplicationStep.Kind.DATA_SHARING.label,
        )
        FINAL = "final", _("Final approval")
        CHANGE = "change", _("Change request")

    class Outcome(models.TextChoices):
        APPROVE = "approve", _("Approve")
        RETURN = "return", _("Return for correction")
        DENY = "deny", _("Deny")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="decisions")
    stage = models.CharField(max_length=16, choices=Stage.choices)
    outcome = models.CharField(max_length=8, choices=Outcome.choices)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True)
    revision = models.PositiveIntegerField(
        default=0, help_text=_("The step's submission this decision is about.")
    )
    change_request = models.ForeignKey(
        "changes.ChangeRequest",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="decisions",
        help_text=_("For a decision on a change request (stage 'change')."),
    )
    # An approval by a network manager that sets conditions (corrective_actions' plan).
    with_conditions = models.BooleanField(default=False)
    task_id = models.BigIntegerField(null=True, blank=True)
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "onboarding_reviewdecision"  # the table it had in onboarding
        ordering = ["-decided_at"]
        get_latest_by = "decided_at"

    def __str__(self) -> str:
        return f"{self.get_stage_display()}: {self.get_outcome_display()}"

    @property
    def outcome_past_tense(self) -> str:
        if self.with_conditions:
            return str(_("approved with conditions"))
        return str(
            {
                self.Outcome.APPROVE: _("approved"),
                self.Outcome.RETURN: _("returned for correction"),
                self.Outcome.DENY: _("denied"),
            }[self.Outcome(self.outcome)]
        )


class Deficiency(ChoiceLabels):
    """One itemised problem a reviewer found in a returned step."""

    decision = models.ForeignKey(
        ReviewDecision, on_delete=models.CASCADE, related_name="deficiencies"
    )
    # A deficiency of a step, or (with no step) of a change request.
    step = models.ForeignKey(
        ApplicationStep,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deficiencies",
    )
    change_request = models.ForeignKey(
        "changes.ChangeRequest",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deficiencies",
    )
    requirement = models.CharField(
        _("requirement"),
        max_length=64,
        help_text=_("The field or item concerned (a form field name, or 'general')."),
    )
    reason_code = models.CharField(
        _("reason code"), max_length=32, choices=ReviewReasonCode.choices, blank=True
    )
    reason = models.CharField(_("reason"), max_length=200)
    comment = models.TextField(_("comment for the applicant"), blank=True)
    due_on = models.DateField(_("due date"))
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "onboarding_deficiency"  # the table it had in onboarding
        ordering = ["step", "requirement", "pk"]
        verbose_name_plural = _("deficiencies")

    def __str__(self) -> str:
        return f"{self.requirement}: {self.reason}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class AcceptedItem(models.Model):
    """An item a reviewer accepted in an item-by-item review (returned items are deficiencies)."""

    decision = models.ForeignKey(
        ReviewDecision, on_delete=models.CASCADE, related_name="accepted_items"
    )
    requirement = models.CharField(_("item"), max_length=64)
    comment = models.TextField(_("reviewer's note"), blank=True)

    class Meta:
        db_table = "onboarding_accepteditem"  # the table it had in onboarding
        ordering = ["decision", "requirement"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "requirement"], name="item_accepted_once_per_decision"
            ),
        ]

    def __str__(self) -> str:
        return self.requirement
