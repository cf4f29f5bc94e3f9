"""Bearer tokens of the plan's systems. Only a hash of each secret is kept."""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A read-only credential of one of the plan's systems, issued by a plan administrator.

    The secret is shown once, when the token is issued; the database keeps its SHA-256 and a
    short prefix that names the token in lists and in the audit trail. A token ends when it
    expires or is revoked; rows are never deleted, so the audit trail always names its token.
    """

    class Scope(models.TextChoices):
        APPLICATIONS_READ = "applications:read", _("Read application status")
        ROSTER_READ = "roster:read", _("Read the provider roster")
        CHANGES_READ = "changes:read", _("Read changes to providers, for incremental sync")

    name = models.CharField(
        _("name"), max_length=100, help_text=_("Which system uses it, and who looks after it.")
    )
    prefix = models.CharField(_("prefix"), max_length=16, unique=True, editable=False)
    secret_sha256 = models.CharField(max_length=64, unique=True, editable=False)
    # Space-separated, as OAuth writes scopes.
    scopes = models.CharField(_("scopes"), max_length=200)
    expires_at = models.DateTimeField(_("expires"))
    created_at = models.DateTimeField(_("issued"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("issued by"),
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def scope_list(self) -> list[str]:
        return self.scopes.split()

    def is_usable(self, now: datetime | None = None) -> bool:
        """Neither revoked nor expired."""
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now
