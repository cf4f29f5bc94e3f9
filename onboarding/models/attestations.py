"""Capability attestations: the seven criteria, the care team, populations of focus and capacity.

Every record an applicant can change here keeps a field-level history (django-simple-history), so
that a reviewer sees exactly what changed between two submissions.
"""

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _
from encrypted_model_fields.fields import EncryptedDateField  # type: ignore[import-untyped]
from simple_history.models import HistoricalRecords

from onboarding.models.applications import Application
from onboarding.models.signatures import SignedRecord
from onboarding.reference import (
    AgreementKind,
    CareSetting,
    CareTeamRole,
    County,
    PartnerKind,
    PopulationOfFocus,
    QualificationCriterion,
)
from portal.choices import ChoiceLabels

DEFAULT_NARRATIVE_MIN_LENGTH = 50


class CriterionRule(models.Model):
    """What the plan asks for one qualification criterion; plan administrators edit these."""

    criterion = models.PositiveSmallIntegerField(
        choices=QualificationCriterion.choices, unique=True
    )
    evidence_required = models.BooleanField(
        _("evidence document required"),
        default=False,
        help_text=_("When ticked, the applicant cannot submit without uploading evidence."),
    )
    evidence_guidance = models.CharField(
        _("what evidence to upload"),
        max_length=300,
        blank=True,
        help_text=_("Shown to the applicant, e.g. 'Organization chart showing ECM leadership'."),
    )
    narrative_min_length = models.PositiveSmallIntegerField(
        _("minimum narrative length (characters)"), default=DEFAULT_NARRATIVE_MIN_LENGTH
    )

    class Meta:
        ordering = ["criterion"]

    def __str__(self) -> str:
        return self.get_criterion_display()


class CapabilityAttestation(SignedRecord):
    """The attestation step of one application, with its signature by the authorized official."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="capability_attestation"
    )
    languages_offered = models.CharField(
        _("languages offered"),
        max_length=300,
        blank=True,
        help_text=_("Separate languages with commas, e.g. English, Spanish, Korean."),
    )
    setting_street = models.BooleanField(CareSetting.STREET.label, default=False)
    setting_shelter = models.BooleanField(CareSetting.SHELTER.label, default=False)
    setting_home = models.BooleanField(CareSetting.HOME.label, default=False)
    setting_clinic = models.BooleanField(CareSetting.CLINIC.label, default=False)
    setting_hospital = models.BooleanField(CareSetting.HOSPITAL.label, default=False)
    setting_telephonic = models.BooleanField(CareSetting.TELEPHONIC.label, default=False)
    setting_video = models.BooleanField(CareSetting.VIDEO.label, default=False)
    setting_other = models.BooleanField(CareSetting.OTHER.label, default=False)
    setting_other_detail = models.CharField(
        _("other setting (describe)"), max_length=200, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at", *SignedRecord.SIGNATURE_FIELDS])

    def __str__(self) -> str:
        return f"Attestations for {self.application}"

    @property
    def total_capacity(self) -> int:
        return sum(row.member_capacity for row in self.application.capacities.all())

    @property
    def care_settings(self) -> list[str]:
        """The codes of the settings where care managers work with members."""
        return [s.value for s in CareSetting if getattr(self, f"setting_{s.value}")]

    def get_care_settings_display(self) -> list[str]:
        return [str(CareSetting(code).label) for code in self.care_settings]


class CriterionAttestation(ChoiceLabels):
    """The applicant's attestation to one of the seven qualification criteria."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="criterion_attestations"
    )
    criterion = models.PositiveSmallIntegerField(choices=QualificationCriterion.choices)
    attested = models.BooleanField(_("we attest to this criterion"), default=False)
    narrative = models.TextField(_("how your organization meets it"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["criterion"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "criterion"], name="criterion_once_per_application"
            ),
        ]

    def __str__(self) -> str:
        return self.get_criterion_display()


class CommunityPartner(ChoiceLabels):
    """A partner named for criterion 5: a hospital, primary care, behavioral health or housing."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="community_partners"
    )
    kind = models.CharField(_("kind of partner"), max_length=32, choices=PartnerKind.choices)
    organization_name = models.CharField(_("partner organization"), max_length=200)
    agreement_kind = models.CharField(
        _("kind of agreement"), max_length=32, choices=AgreementKind.choices
    )
    document = models.ForeignKey(
        "documents.Document",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agreement document (optional)"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "organization_name"]

    def __str__(self) -> str:
        return f"{self.organization_name} ({self.get_kind_display()})"


class CareTeamMember(ChoiceLabels):
    """A person on the organization's ECM care team."""

    # What the applicant fills in (the form and the service that saves it).
    APPLICANT_FIELDS: ClassVar[list[str]] = [
        "role",
        "full_name",
        "email",
        "license_type",
        "license_number",
        "license_state",
        "license_expires_on",
        "chw_certificate",
        "fte",
        "languages",
        "date_of_birth",
    ]

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="care_team")
    role = models.CharField(max_length=32, choices=CareTeamRole.choices)
    full_name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    license_type = models.CharField(_("license type"), max_length=60, blank=True)
    license_number = models.CharField(_("license number"), max_length=40, blank=True)
    license_state = models.CharField(_("license state"), max_length=2, blank=True)
    license_expires_on = models.DateField(_("license expiry date"), null=True, blank=True)
    chw_certificate = models.CharField(
        _("Community Health Worker certificate"),
        max_length=120,
        blank=True,
        help_text=_("Certificate name and number, for a Community Health Worker."),
    )
    fte = models.DecimalField(_("FTE"), max_digits=3, decimal_places=2, default=1)
    languages = models.CharField(
        _("languages spoken"),
        max_length=200,
        blank=True,
        help_text=_("Separate languages with commas."),
    )
    # Encrypted at rest, like every date of birth the portal holds (FIELD_ENCRYPTION_KEY).
    date_of_birth = EncryptedDateField(_("date of birth (only if asked)"), null=True, blank=True)
    # The date of birth stays out of the history tables: it is needed only for screening.
    history = HistoricalRecords(excluded_fields=["date_of_birth"])

    class Meta:
        ordering = ["role", "full_name"]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_role_display()})"

    @property
    def is_licensed(self) -> bool:
        return bool(self.license_number and self.license_expires_on)


class PopulationServed(ChoiceLabels):
    """A DHCS population of focus the organization serves, with its years of experience."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="populations"
    )
    population = models.CharField(max_length=4, choices=PopulationOfFocus.choices)
    years_experience = models.PositiveSmallIntegerField(_("years of experience"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["population"]
        verbose_name_plural = _("populations served")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "population"], name="population_once_per_application"
            ),
        ]

    def __str__(self) -> str:
        return self.get_population_display()


class PopulationCapacity(ChoiceLabels):
    """How many members of one population of focus the organization can serve in one county."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="capacities"
    )
    population = models.CharField(max_length=4, choices=PopulationOfFocus.choices)
    county = models.CharField(max_length=32, choices=County.choices)
    member_capacity = models.PositiveIntegerField(_("member capacity"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["population", "county"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "population", "county"],
                name="capacity_once_per_population_and_county",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.population} · {self.get_county_display()}: {self.member_capacity}"
