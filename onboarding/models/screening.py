"""Exclusion lists as imported: one release per source is active, its rows are what we screen."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ExclusionSource(models.TextChoices):
    LEIE = "leie", _("OIG LEIE (List of Excluded Individuals/Entities)")
    SAM = "sam", _("SAM.gov exclusions")
    MEDI_CAL = "medi-cal", _("Medi-Cal Suspended and Ineligible Provider List")


class ExclusionRelease(models.Model):
    """One imported file of an exclusion list. Exactly one release per source is active."""

    source = models.CharField(max_length=16, choices=ExclusionSource.choices)
    file_name = models.CharField(max_length=255, blank=True)
    sha256 = models.CharField(_("file SHA-256"), max_length=64)
    row_count = models.PositiveIntegerField()
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when imported from the command line."),
    )
    imported_by_name = models.CharField(
        max_length=200, blank=True, help_text=_("Who ran the import (user or operating account).")
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-imported_at", "-pk"]
        get_latest_by = "imported_at"
        verbose_name = _("exclusion list release")
        constraints = [
            models.UniqueConstraint(
                fields=["source"], condition=Q(is_active=True), name="one_active_release_per_source"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} · {self.imported_at:%Y-%m-%d} · {self.sha256[:12]}"


class ExclusionRecord(models.Model):
    """One row of an active exclusion list release, with the fields screening matches on."""

    class Kind(models.TextChoices):
        ENTITY = "entity", _("Entity")
        INDIVIDUAL = "individual", _("Individual")

    # Every index below leads with the release, so the foreign key needs none of its own.
    release = models.ForeignKey(
        ExclusionRelease, on_delete=models.CASCADE, related_name="records", db_index=False
    )
    line_number = models.PositiveIntegerField()
    kind = models.CharField(max_length=16, choices=Kind.choices)
    business_name = models.CharField(max_length=300, blank=True)
    normalised_name = models.CharField(
        max_length=300, blank=True, help_text=_("Business name as matched: see normalise.py.")
    )
    last_name = models.CharField(max_length=100, blank=True)
    first_name = models.CharField(max_length=100, blank=True)
    middle_name = models.CharField(max_length=100, blank=True)
    person_key = models.CharField(max_length=200, blank=True)
    npi = models.CharField(max_length=10, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    address = models.CharField(max_length=300, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=32, blank=True)
    zip_code = models.CharField(max_length=16, blank=True)
    exclusion_type = models.CharField(max_length=100, blank=True)
    excluded_on = models.DateField(null=True, blank=True)
    reinstated_on = models.DateField(null=True, blank=True)
    license_number = models.CharField(max_length=100, blank=True)
    provider_number = models.CharField(max_length=100, blank=True)
    raw = models.TextField(help_text=_("The row as it appears in the file."))

    class Meta:
        ordering = ["release", "line_number"]
        indexes = [
            models.Index(
                fields=["release", "normalised_name", "state"], name="exclusion_name_state"
            ),
            models.Index(fields=["release", "npi"], name="exclusion_npi"),
            models.Index(fields=["release", "person_key"], name="exclusion_person"),
        ]

    def __str__(self) -> str:
        return f"{self.release.get_source_display()} line {self.line_number}"

    @property
    def display_name(self) -> str:
        person = " ".join(p for p in (self.first_name, self.middle_name, self.last_name) if p)
        return self.business_name or person
