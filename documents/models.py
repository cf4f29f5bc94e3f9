"""Uploaded evidence, the plan's welcome packets, their delivery and every download."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from onboarding.models import Application, ApplicationStep, EvidenceRequirement
from portal.choices import ChoiceLabels

# Where uploaded documents are stored in the bucket (exports and packets have their own folders).
DOCUMENTS_FOLDER = "documents/"


def document_key(instance: models.Model, filename: str) -> str:
    """A unique storage key that never contains the uploader's file name (nor anything from it)."""
    return f"{DOCUMENTS_FOLDER}{uuid.uuid4().hex}/{uuid.uuid4().hex}"


def packet_item_key(instance: models.Model, filename: str) -> str:
    return f"welcome-packets/{uuid.uuid4().hex}/{uuid.uuid4().hex}"


def welcome_letter_key(instance: models.Model, filename: str) -> str:
    return f"welcome-letters/{uuid.uuid4().hex}/{uuid.uuid4().hex}"


class StoredFile(models.Model):
    """What every stored file records about itself."""

    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        abstract = True


class Document(ChoiceLabels, StoredFile):
    """A file an applicant attached to one step of its application."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    step_kind = models.CharField(max_length=16, choices=ApplicationStep.Kind.choices)
    requirement = models.CharField(_("what this document is"), max_length=200)
    evidence_requirement = models.ForeignKey(
        EvidenceRequirement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The entity-type evidence item this document satisfies, if any."),
    )
    file = models.FileField(upload_to=document_key, max_length=255)
    # Given for a licence or certification (``EvidenceRequirement.has_expiry``).
    expires_on = models.DateField(_("expiry date"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # Sent with a change request (a renewed licence): not part of the record until the plan
    # approves the request (``changes.services.apply``).
    awaiting_approval = models.BooleanField(default=False)

    class Meta:
        ordering = ["step_kind", "requirement", "uploaded_at"]
        indexes = [models.Index(fields=["application", "step_kind"])]

    def __str__(self) -> str:
        return f"{self.requirement}: {self.original_name}"


class WelcomePacket(models.Model):
    """A published version of the plan's welcome packet; exactly one is current."""

    version = models.PositiveIntegerField(unique=True)
    title = models.CharField(max_length=200)
    notes = models.TextField(blank=True)
    is_current = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True),
                name="one_current_welcome_packet",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"


class WelcomePacketItem(StoredFile):
    """One document of a welcome packet."""

    packet = models.ForeignKey(WelcomePacket, on_delete=models.PROTECT, related_name="items")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=packet_item_key, max_length=255)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["packet", "sort_order", "title"]

    def __str__(self) -> str:
        return self.title


class PacketDelivery(models.Model):
    """One welcome packet version delivered to an approved provider, and its acknowledgement.

    The first delivery follows final approval; each version published later is delivered again
    to every active provider, which acknowledges it again. The delivery keeps what was sent: the
    version's documents at that moment and the personalised welcome letter.
    """

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="packet_deliveries"
    )
    packet = models.ForeignKey(WelcomePacket, on_delete=models.PROTECT, related_name="deliveries")
    items = models.ManyToManyField(WelcomePacketItem, related_name="+", blank=True)
    effective_date = models.DateField(_("effective date"), null=True, blank=True)
    letter = models.FileField(
        _("welcome letter"), upload_to=welcome_letter_key, max_length=255, blank=True
    )
    letter_size = models.PositiveBigIntegerField(default=0)
    delivered_at = models.DateTimeField(auto_now_add=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-delivered_at", "-pk"]
        verbose_name_plural = _("packet deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "packet"], name="packet_version_delivered_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.packet} → {self.application}"

    @property
    def letter_name(self) -> str:
        return f"Welcome letter (version {self.packet.version}).pdf"


class DownloadRecord(models.Model):
    """Who downloaded which file, when and from where. Rows are only ever added."""

    class Kind(models.TextChoices):
        DOCUMENT = "document", _("Uploaded document")
        PACKET_ITEM = "packet_item", _("Welcome packet document")
        LETTER = "letter", _("Welcome letter")
        PACKET_ZIP = "packet_zip", _("Whole welcome packet (ZIP)")

    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.DOCUMENT)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    document = models.ForeignKey(
        Document, on_delete=models.SET_NULL, null=True, blank=True, related_name="downloads"
    )
    packet_item = models.ForeignKey(
        WelcomePacketItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="downloads",
    )
    delivery = models.ForeignKey(
        PacketDelivery, on_delete=models.PROTECT, null=True, blank=True, related_name="downloads"
    )
    downloaded_at = models.DateTimeField(auto_now_add=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-downloaded_at"]

    def __str__(self) -> str:
        return f"{self.user} at {self.downloaded_at:%Y-%m-%d %H:%M}"
