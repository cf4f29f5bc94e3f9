"""The network managers' CSV exports, built by a background job into private file storage."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def export_key(instance: models.Model, filename: str) -> str:
    """A unique storage key that says nothing about what the file holds."""
    return f"exports/{uuid.uuid4().hex}/{uuid.uuid4().hex}"


class Export(models.Model):
    """One CSV export a network manager asked for, from waiting to ready (or failed).

    Every application as CSV costs a few tenths of a second of CPU per thousand applications:
    built in the web request, it held a web worker while other people waited. A background job
    builds it into the same private storage as documents instead; only the manager who asked may
    download it, and it is deleted ``EXPORT_RETENTION_DAYS`` after it was asked for.
    """

    class Kind(models.TextChoices):
        APPLICATIONS = "applications", _("Applications")
        ROSTER = "roster", _("Provider roster")

    class Status(models.TextChoices):
        WAITING = "waiting", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Could not be prepared")

    # The download's name, before its date: the names the exports have always had.
    FILE_NAMES = {Kind.APPLICATIONS: "applications", Kind.ROSTER: "ecm-provider-roster"}

    kind = models.CharField(_("what"), max_length=16, choices=Kind.choices)
    # The applications list's filters, as the query string of its links ("" for everything).
    filters = models.CharField(_("filters"), max_length=1000, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.WAITING)
    file = models.FileField(upload_to=export_key, max_length=255, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("asked by"),
    )
    requested_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    failure_message = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        indexes = [
            models.Index(fields=["requested_by", "-requested_at"], name="export_requester_recent"),
            models.Index(fields=["requested_at"], name="export_requested_at"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.get_status_display()}"

    @property
    def download_name(self) -> str:
        """``applications-20260101.csv``: the kind's name and the day it was asked for."""
        day = timezone.localdate(self.requested_at or timezone.now())
        return f"{self.FILE_NAMES[self.Kind(self.kind)]}-{day:%Y%m%d}.csv"

    @property
    def is_waiting(self) -> bool:
        return self.status == self.Status.WAITING

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY and bool(self.file)
