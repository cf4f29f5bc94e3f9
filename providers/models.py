"""What the daily credential check finds and sends, kept as the record of it."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.models import Document
from onboarding.models import Application, CareTeamMember


class CredentialNotice(models.Model):
    """One licence reaching one point before its expiry (or the expiry itself), told once.

    The licence is a care-team member's, or the organization's own (an evidence document whose
    requirement has an expiry date): exactly one of the two is set.

    The notice is the record that the provider (and, at expiry, the network managers) were told;
    its uniqueness is what makes a second run of the daily check on the same day send nothing.
    A renewed licence has a new expiry date, so its notices start again.
    """

    EXPIRED = 0  # ``days_before`` of the notice sent when the licence has run out

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="credential_notices"
    )
    care_team_member = models.ForeignKey(
        CareTeamMember,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="credential_notices",
    )
    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, null=True, blank=True, related_name="credential_notices"
    )
    expires_on = models.DateField(_("expiry date"))
    days_before = models.PositiveSmallIntegerField(
        _("days before expiry"), help_text=_("0: the licence has expired.")
    )
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["care_team_member", "expires_on", "days_before"],
                condition=Q(care_team_member__isnull=False),
                name="credential_notice_once_per_point",
            ),
            models.UniqueConstraint(
                fields=["document", "expires_on", "days_before"],
                condition=Q(document__isnull=False),
                name="document_notice_once_per_point",
            ),
            models.CheckConstraint(
                condition=Q(care_team_member__isnull=True) ^ Q(document__isnull=True),
                name="credential_notice_of_one_licence",
            ),
        ]

    def __str__(self) -> str:
        whose = self.care_team_member or self.document
        if self.days_before == self.EXPIRED:
            return f"{whose}: expired {self.expires_on}"
        return f"{whose}: {self.days_before} days before {self.expires_on}"


class ComplianceIssue(models.Model):
    """A roster rule from onboarding that no longer holds for a provider in the network.

    Open (``resolved_on`` empty) while the rule fails: the provider is out of compliance. The
    daily check closes it on the first day the approved record satisfies the rule again.
    """

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="compliance_issues"
    )
    rule = models.CharField(_("rule"), max_length=40)  # the onboarding rule's field, "care_team"
    message = models.TextField(_("what no longer holds"))
    found_on = models.DateField(_("found"))
    resolved_on = models.DateField(_("resolved"), null=True, blank=True)

    class Meta:
        ordering = ["-found_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "message"],
                condition=Q(resolved_on__isnull=True),
                name="compliance_issue_open_once",
            )
        ]
        indexes = [
            models.Index(
                fields=["application"],
                condition=Q(resolved_on__isnull=True),
                name="compliance_issue_open",
            )
        ]

    def __str__(self) -> str:
        return self.message

    @property
    def is_open(self) -> bool:
        return self.resolved_on is None


class StatusChange(models.Model):
    """A network manager's decision to suspend, terminate or reinstate a provider.

    Nothing changes until a second network manager confirms it; it then takes effect on its
    effective date (at once, or by the daily job for a later date). Rows are kept: with the
    timeline's events they are the provider's status history.
    """

    class Action(models.TextChoices):
        SUSPEND = "suspend", _("Suspend")
        TERMINATE = "terminate", _("Terminate")
        REINSTATE = "reinstate", _("Reinstate")

    class Termination(models.TextChoices):
        FOR_CAUSE = "for_cause", _("For cause")
        VOLUNTARY = "voluntary", _("Voluntary (the provider's own request)")

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Waiting for a second network manager")
        CONFIRMED = "confirmed", _("Confirmed, not in effect yet")
        IN_EFFECT = "in_effect", _("In effect")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    OPEN_STATES: ClassVar[set[str]] = {State.PROPOSED, State.CONFIRMED}

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="status_changes"
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    termination = models.CharField(
        _("kind of termination"), max_length=16, choices=Termination.choices, blank=True
    )
    reason = models.TextField(_("reason"))
    effective_on = models.DateField(_("effective date"))
    state = models.CharField(max_length=16, choices=State.choices, default=State.PROPOSED)
    # The status the provider returns to when reinstated (approved or active).
    status_before = models.CharField(max_length=16, choices=Application.Status.choices)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    took_effect_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(state__in=["proposed", "confirmed"]),
                name="status_change_one_open_per_provider",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.application} ({self.get_state_display()})"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES
