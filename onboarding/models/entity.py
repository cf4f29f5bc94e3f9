"""Entity-type verification: who the organization is, what kind of entity, and its evidence."""

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from onboarding.models.applications import Application
from onboarding.models.signatures import SignedRecord
from onboarding.reference import County
from portal.choices import ChoiceLabels


class EntityType(models.Model):
    """One of the eligible ECM entity types, editable by plan administrators."""

    code = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200, unique=True)
    requires_justification = models.BooleanField(
        default=False,
        help_text=_("The applicant must explain in writing why it qualifies (e.g. 'other')."),
    )
    is_active = models.BooleanField(default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("entity type")

    def __str__(self) -> str:
        return self.name


class EvidenceRequirement(models.Model):
    """A document an applicant of a given entity type must (or may) provide."""

    entity_type = models.ForeignKey(
        EntityType, on_delete=models.CASCADE, related_name="evidence_requirements"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    is_required = models.BooleanField(default=True)
    has_expiry = models.BooleanField(
        _("has an expiry date"),
        default=False,
        help_text=_(
            "A licence or certification: the applicant gives its expiry date on upload, and the "
            "daily credential check watches it once the provider is in the network."
        ),
    )

    class Meta:
        ordering = ["entity_type", "-is_required", "title"]

    def __str__(self) -> str:
        return f"{self.entity_type}: {self.title}"


class EntityProfile(SignedRecord):
    """The applicant's answers to the entity-verification step, and the authorized official's
    signature on them and on the ownership and control disclosure (``disclosures``)."""

    # The answers the applicant gives on the step's form (entity types and counties aside).
    APPLICANT_FIELDS: ClassVar[list[str]] = [
        "legal_name",
        "dba_name",
        "other_justification",
        "tin",
        "npi",
        "medi_cal_provider_number",
        "sos_entity_number",
        "service_address",
        "mailing_address",
        "official_name",
        "official_title",
        "contact_name",
        "contact_email",
        "contact_phone",
    ]

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="entity_profile"
    )
    legal_name = models.CharField(_("legal name"), max_length=200, blank=True)
    dba_name = models.CharField(_("doing business as (DBA)"), max_length=200, blank=True)
    entity_types = models.ManyToManyField(
        EntityType, blank=True, related_name="+", verbose_name=_("entity type(s)")
    )
    other_justification = models.TextField(
        _("why your organization qualifies"),
        blank=True,
        help_text=_("Required for 'Other qualified provider or entity approved by DHCS'."),
    )
    tin = models.CharField(_("TIN / EIN"), max_length=9, blank=True)
    npi = models.CharField(_("organizational NPI"), max_length=10, blank=True)
    medi_cal_provider_number = models.CharField(
        _("Medi-Cal provider number"), max_length=20, blank=True
    )
    sos_entity_number = models.CharField(
        _("California Secretary of State entity number"), max_length=20, blank=True
    )
    service_address = models.CharField(_("service address"), max_length=300, blank=True)
    mailing_address = models.CharField(_("mailing address"), max_length=300, blank=True)
    official_name = models.CharField(_("authorized official's name"), max_length=200, blank=True)
    official_title = models.CharField(_("authorized official's title"), max_length=120, blank=True)
    contact_name = models.CharField(_("primary contact's name"), max_length=200, blank=True)
    contact_email = models.EmailField(_("primary contact's email"), blank=True)
    contact_phone = models.CharField(_("primary contact's phone"), max_length=32, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Who changed the addresses and contacts, and when (after approval, by change requests). The
    # TIN stays out of the history tables.
    history = HistoricalRecords(
        excluded_fields=["updated_at", "tin", *SignedRecord.SIGNATURE_FIELDS]
    )

    class Meta:
        verbose_name = _("entity profile")
        # Another application with the same NPI is a likely duplicate (``possible_duplicates``).
        indexes = [models.Index(fields=["npi"], name="entity_profile_npi")]

    def __str__(self) -> str:
        return self.legal_name or str(self.application)

    @property
    def masked_tin(self) -> str:
        return f"XX-XXX{self.tin[-4:]}" if len(self.tin) == 9 else ""

    @property
    def county_codes(self) -> list[str]:
        return [row.county for row in self.counties.all()]


class ServiceCounty(ChoiceLabels):
    """A California county the organization serves."""

    profile = models.ForeignKey(EntityProfile, on_delete=models.CASCADE, related_name="counties")
    county = models.CharField(max_length=32, choices=County.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["county"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "county"], name="county_once_per_profile"),
        ]
        # Who serves a county (the directory's network coverage, the county filters).
        indexes = [models.Index(fields=["county", "profile"], name="service_county")]

    def __str__(self) -> str:
        return self.get_county_display()
