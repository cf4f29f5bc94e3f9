"""The authorized official's e-signature on a step, kept on the record holding the step's answers.

The fields stay out of the step's field-level history (``SIGNATURE_FIELDS``): a signature is
recorded by the signing and voiding events, and the history shows what the applicant changed.
"""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SignedRecord(models.Model):
    """Who signed the step's content, as what, when, from where, and the SHA-256 of that content.

    Voiding clears ``signed_at`` and ``signed_by`` and keeps the rest, so the page can say a
    signature was given and then voided by a change.
    """

    SIGNATURE_FIELDS: ClassVar[list[str]] = [
        "signed_by",
        "signed_at",
        "signed_ip",
        "signed_user_agent",
        "content_sha256",
        "attestation_version",
        "signer_name",
        "signer_title",
    ]

    signer_name = models.CharField(_("signed by (full name)"), max_length=200, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=120, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    attestation_version = models.CharField(
        _("version of the attestation text signed"), max_length=32, blank=True
    )
    signed_ip = models.GenericIPAddressField(_("signer's IP address"), null=True, blank=True)
    signed_user_agent = models.CharField(_("signer's browser"), max_length=400, blank=True)
    content_sha256 = models.CharField(_("SHA-256 of the signed content"), max_length=64, blank=True)

    class Meta:
        abstract = True

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None

    @property
    def is_voided(self) -> bool:
        """Signed once, then voided by a change to what was signed."""
        return self.signed_at is None and bool(self.content_sha256)
