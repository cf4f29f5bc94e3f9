"""Applicant organizations and the people who act for them."""

import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.text import validate_single_line

if TYPE_CHECKING:
    from portal.models import User


class Organization(models.Model):
    """A prospective (or approved) ECM provider; everything an applicant sees hangs off one."""

    legal_name = models.CharField(
        _("legal name"), max_length=200, validators=[validate_single_line]
    )
    # The legal name as screening compares business names (case, punctuation and legal-form
    # suffixes ignored), so that a second account for the same organization is noticed.
    name_key = models.CharField(max_length=200, blank=True, db_index=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["legal_name"]
        verbose_name = _("organization")

    def __str__(self) -> str:
        return self.legal_name

    @property
    def authorized_official(self) -> "User | None":
        membership = self.memberships.filter(role=Membership.Role.AUTHORIZED_OFFICIAL).first()
        return membership.user if membership else None


class Membership(models.Model):
    """A person's place in an organization. A person belongs to one organization."""

    class Role(models.TextChoices):
        AUTHORIZED_OFFICIAL = "authorized_official", _("Authorized official")
        PREPARER = "preparer", _("Preparer")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    role = models.CharField(max_length=32, choices=Role.choices)
    title = models.CharField(
        _("job title"), max_length=120, blank=True, validators=[validate_single_line]
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    # Who belonged, and when: a person removed from the team stays on record (the separation of
    # duties reads it).
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=models.Q(role="authorized_official"),
                name="one_authorized_official_per_organization",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.organization})"

    @property
    def is_authorized_official(self) -> bool:
        return self.role == self.Role.AUTHORIZED_OFFICIAL


def _new_invitation_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """An invitation, sent by email, to join an organization as a preparer."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("email address"))
    token = models.CharField(max_length=64, unique=True, default=_new_invitation_token)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when it is sent, from INVITATION_VALID_DAYS: a link in an old email stops working.
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.organization}"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def is_open(self) -> bool:
        """Whether the link still lets the invited person join."""
        return self.accepted_at is None and self.revoked_at is None and not self.is_expired

    @property
    def closed_reason(self) -> str:
        """Why the link no longer works, said to the person who opens it ("" while it does)."""
        if self.accepted_at is not None:
            return str(_("This invitation has already been used."))
        if self.revoked_at is not None:
            return str(
                _("%(org)s withdrew this invitation. Ask its authorized official for a new one.")
                % {"org": self.organization}
            )
        if self.is_expired:
            return str(
                _(
                    "This invitation expired on %(date)s. Ask the authorized official of "
                    "%(org)s to send a new one."
                )
                % {
                    "date": date_format(timezone.localtime(self.expires_at)),
                    "org": self.organization,
                }
            )
        return ""
