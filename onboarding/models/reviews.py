"""Plan decisions on an application: step reviews, deficiencies, final approval and screening."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from onboarding.models.applications import Application, ApplicationStep
from onboarding.models.attestations import CareTeamMember
from onboarding.models.screening import ExclusionRelease
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
    task_id = models.BigIntegerField(null=True, blank=True)
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at"]
        get_latest_by = "decided_at"

    def __str__(self) -> str:
        return f"{self.get_stage_display()}: {self.get_outcome_display()}"

    @property
    def outcome_past_tense(self) -> str:
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
    step = models.ForeignKey(ApplicationStep, on_delete=models.CASCADE, related_name="deficiencies")
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
        ordering = ["decision", "requirement"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "requirement"], name="item_accepted_once_per_decision"
            ),
        ]

    def __str__(self) -> str:
        return self.requirement


class ScreeningResult(models.Model):
    """The outcome of one automated check on an application, with its evidence.

    ``outcome`` is what the check found and never changes; a reviewer's ``adjudication`` of a
    match is recorded beside it. A new screening run marks the earlier results not current.
    """

    class Outcome(models.TextChoices):
        CLEAR = "clear", _("Clear")
        POTENTIAL_MATCH = "potential_match", _("Potential match")
        CONFIRMED_MATCH = "confirmed_match", _("Confirmed match")
        ERROR = "error", _("Error")

    class SubjectKind(models.TextChoices):
        ORGANIZATION = "organization", _("Organization")
        PERSON = "person", _("Person")

    class Adjudication(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed: this is the excluded party")
        DISMISSED = "dismissed", _("Dismissed: not the same party")

    PASSING: ClassVar[set[str]] = {Outcome.CLEAR}
    MATCHES: ClassVar[set[str]] = {Outcome.POTENTIAL_MATCH, Outcome.CONFIRMED_MATCH}

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="screening_results"
    )
    check_name = models.CharField(_("check"), max_length=64)
    subject = models.CharField(_("what was checked"), max_length=200)
    subject_kind = models.CharField(
        max_length=16, choices=SubjectKind.choices, default=SubjectKind.ORGANIZATION
    )
    care_team_member = models.ForeignKey(
        CareTeamMember,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="screening_results",
    )
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    evidence = models.TextField(blank=True)
    release = models.ForeignKey(
        ExclusionRelease, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    matched_line = models.PositiveIntegerField(null=True, blank=True)
    matched_row = models.TextField(
        blank=True, help_text=_("The list's row as imported, kept after the release is replaced.")
    )
    revision = models.PositiveIntegerField(default=0)
    is_current = models.BooleanField(default=True)
    is_new_match = models.BooleanField(
        default=False, help_text=_("Found by a re-screening where the last run found nothing.")
    )
    checked_at = models.DateTimeField(auto_now_add=True)
    adjudication = models.CharField(max_length=16, choices=Adjudication.choices, blank=True)
    adjudication_note = models.TextField(blank=True)
    adjudicated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    adjudicated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-checked_at", "check_name", "pk"]
        indexes = [models.Index(fields=["application", "is_current"], name="screening_current")]

    def __str__(self) -> str:
        return f"{self.check_name}: {self.get_outcome_display()}"

    @property
    def is_match(self) -> bool:
        return self.outcome in self.MATCHES

    @property
    def needs_adjudication(self) -> bool:
        return self.is_match and not self.adjudication

    @property
    def is_confirmed(self) -> bool:
        """A match a reviewer confirmed (an unadjudicated match is not yet confirmed)."""
        return self.is_match and self.adjudication == self.Adjudication.CONFIRMED
