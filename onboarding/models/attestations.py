"""Capability attestations: the seven criteria, the care team, populations of focus and capacity."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from onboarding.models.applications import Application
from onboarding.reference import CareTeamRole, County, PopulationOfFocus, QualificationCriterion


class CapabilityAttestation(models.Model):
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
    signer_name = models.CharField(_("signed by (full name)"), max_length=200, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=120, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Attestations for {self.application}"

    @property
    def total_capacity(self) -> int:
        return sum(row.member_capacity for row in self.application.capacities.all())


class CriterionAttestation(models.Model):
    """The applicant's attestation to one of the seven qualification criteria."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="criterion_attestations"
    )
    criterion = models.PositiveSmallIntegerField(choices=QualificationCriterion.choices)
    attested = models.BooleanField(_("we attest to this criterion"), default=False)
    narrative = models.TextField(_("how your organization meets it"), blank=True)

    class Meta:
        ordering = ["criterion"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "criterion"], name="criterion_once_per_application"
            ),
        ]

    def __str__(self) -> str:
        return self.get_criterion_display()


class CareTeamMember(models.Model):
    """A person on the organization's ECM care team."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="care_team")
    role = models.CharField(max_length=32, choices=CareTeamRole.choices)
    full_name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    license_type = models.CharField(_("license type"), max_length=60, blank=True)
    license_number = models.CharField(_("license number"), max_length=40, blank=True)
    license_state = models.CharField(_("license state"), max_length=2, blank=True)
    license_expires_on = models.DateField(_("license expiry date"), null=True, blank=True)
    fte = models.DecimalField(_("FTE"), max_digits=3, decimal_places=2, default=1)

    class Meta:
        ordering = ["role", "full_name"]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_role_display()})"


class PopulationCapacity(models.Model):
    """How many members of one population of focus the organization can serve in one county."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="capacities"
    )
    population = models.CharField(max_length=4, choices=PopulationOfFocus.choices)
    county = models.CharField(max_length=32, choices=County.choices)
    years_experience = models.PositiveSmallIntegerField(_("years of experience"), default=0)
    member_capacity = models.PositiveIntegerField(_("member capacity"))

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
