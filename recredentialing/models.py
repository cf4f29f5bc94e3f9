"""One recredentialing cycle of a provider: the renewal application that carries it, and its end."""

from typing import Any, ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onboarding.models import Application
from portal.choices import ChoiceLabels


class Recredentialing(ChoiceLabels):
    """A provider's recredentialing for one due date, carried by its renewal application.

    ``copied`` maps each row the renewal was prefilled with to the provider's row it copies
    (``{"care_team": {"<renewal pk>": <provider pk>}, ...}``), so that approval updates the
    provider's own rows (and their notices and history) rather than replacing them.
    """

    class Outcome(models.TextChoices):
        OPEN = "open", _("In progress")
        APPROVED = "approved", _("Recredentialed")
        DENIED = "denied", _("Denied")
        LAPSED = "lapsed", _("Lapsed: not finished within the late period")
        CALLED_OFF = "called_off", _("Called off (the provider left the network)")

    provider = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="recredentialings"
    )
    renewal = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="recredentialing"
    )
    due_on = models.DateField(_("due date"))
    started_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.OPEN)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Approved after its due date (within the late period): the record says so.
    late = models.BooleanField(default=False)
    copied: "models.JSONField[dict[str, Any], dict[str, Any]]" = models.JSONField(default=dict)
    # The day the official was told it is overdue (once).
    overdue_told_on = models.DateField(null=True, blank=True)

    OPEN_OUTCOMES: ClassVar[set[str]] = {Outcome.OPEN}

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider"],
                condition=Q(outcome="open"),
                name="recredentialing_one_open_per_provider",
            ),
            models.UniqueConstraint(
                fields=["provider", "due_on"], name="recredentialing_once_per_due_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider.reference}: recredentialing due {self.due_on}"

    @property
    def is_open(self) -> bool:
        return self.outcome == self.Outcome.OPEN
