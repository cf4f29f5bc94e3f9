"""Who owns, controls and manages an applicant, as it disclosed them in its entity step."""

from decimal import Decimal
from typing import ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from encrypted_model_fields.fields import (  # type: ignore[import-untyped]
    EncryptedCharField,
    EncryptedDateField,
)
from simple_history.models import HistoricalRecords

from onboarding.models import Application
from portal.choices import ChoiceLabels


class Category(models.TextChoices):
    """What the applicant must list, or answer "none" to explicitly."""

    OWNERS = "owners", _("Ownership or control interests of 5% or more")
    OFFICERS = "officers", _("Officers, directors and board members")
    MANAGING_EMPLOYEES = "managing_employees", _("Managing employees")
    FAMILY = "family", _("Family relationships among the people listed")
    OTHER_INTERESTS = "other_interests", _("Owners' interests in other providers")
    SUBCONTRACTORS = "subcontractors", _("Subcontractors you own 5% or more of")
    CONVICTIONS = "convictions", _("Convictions for health-care offences")


class Disclosure(models.Model):
    """The applicant's disclosure: one per application, its "none" answers here, its rows below.

    The authorized official signs it with the entity step (the entity profile holds the
    signature); changing a row voids that signature like any other signed answer.
    """

    # The application's, or a change of ownership request's (its disclosure after the change).
    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, null=True, blank=True, related_name="disclosure"
    )
    change_request = models.OneToOneField(
        "changes.ChangeRequest",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="disclosure",
    )
    none_owners = models.BooleanField(
        _("No person or organization holds 5% or more of us, directly or indirectly"),
        default=False,
    )
    none_officers = models.BooleanField(
        _("We have no officers, directors or board members"), default=False
    )
    none_managing_employees = models.BooleanField(_("We have no managing employees"), default=False)
    none_family = models.BooleanField(
        _("None of the people listed are related (spouse, parent, child or sibling)"),
        default=False,
    )
    none_other_interests = models.BooleanField(
        _("No owner holds 5% or more of another Medi-Cal or Medicare provider"), default=False
    )
    none_subcontractors = models.BooleanField(
        _("We own less than 5% of every subcontractor (or have none)"), default=False
    )
    none_convictions = models.BooleanField(
        _(
            "No owner, officer, director, agent or managing employee has ever been convicted of "
            "a crime related to Medicare, Medicaid (Medi-Cal), CHIP or the Title XX services"
        ),
        default=False,
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    NONE_FIELDS: ClassVar[dict[str, str]] = {c.value: f"none_{c.value}" for c in Category}

    class Meta:
        verbose_name = _("ownership and control disclosure")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(application__isnull=False, change_request__isnull=True)
                | models.Q(application__isnull=True, change_request__isnull=False),
                name="disclosure_of_application_or_change",
            )
        ]
        permissions = [
            ("reveal_identifiers", "Can reveal a disclosed person's SSN and date of birth"),
            ("export_disclosures", "Can export ownership and control disclosures"),
        ]

    def __str__(self) -> str:
        return f"Disclosure of {self.application}"

    @property
    def reference(self) -> str:
        """The reference of the application or change request it belongs to."""
        owner = self.application or self.change_request
        return owner.reference if owner is not None else ""

    def says_none(self, category: str) -> bool:
        return bool(getattr(self, self.NONE_FIELDS[category]))


class DisclosedParty(ChoiceLabels):
    """A person or organization named in a disclosure, with every role it has there.

    A date of birth and an SSN are encrypted at rest (``FIELD_ENCRYPTION_KEY``) and leave the
    database only through ``masked_ssn`` and ``birth_year``, or a staff reveal that is audited.
    """

    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        ORGANIZATION = "organization", _("Organization")

    class Position(models.TextChoices):
        OFFICER = "officer", _("Officer")
        DIRECTOR = "director", _("Director")
        BOARD_MEMBER = "board_member", _("Board member")
        PARTNER = "partner", _("Partner")

    PERSON_FIELDS: ClassVar[list[str]] = [
        "first_name",
        "middle_name",
        "last_name",
        "date_of_birth",
        "ssn",
        "home_address",
        "licence_number",
    ]
    ORGANIZATION_FIELDS: ClassVar[list[str]] = [
        "organization_name",
        "tin",
        "business_addresses",
        "provider_share",
    ]
    ROLE_FIELDS: ClassVar[list[str]] = ["position", "title", "is_managing_employee"]

    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="parties")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    middle_name = models.CharField(_("middle name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    date_of_birth = EncryptedDateField(_("date of birth"), null=True, blank=True)
    ssn = EncryptedCharField(_("Social Security number"), max_length=9, blank=True)
    home_address = models.CharField(_("home address"), max_length=300, blank=True)
    licence_number = models.CharField(
        _("professional licence number"),
        max_length=40,
        blank=True,
        help_text=_("If the person holds one: it is checked against the Medi-Cal list too."),
    )
    organization_name = models.CharField(_("organization's name"), max_length=200, blank=True)
    tin = models.CharField(_("TIN / EIN"), max_length=9, blank=True)
    business_addresses = models.TextField(
        _("addresses"),
        blank=True,
        help_text=_("The main address, every business location and any P.O. box, one per line."),
    )
    provider_share = models.DecimalField(
        _("percentage you own of it"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
        help_text=_("Only for a subcontractor you own part of."),
    )
    position = models.CharField(
        _("officer, director or board position"),
        max_length=16,
        choices=Position.choices,
        blank=True,
    )
    title = models.CharField(_("title"), max_length=120, blank=True)
    is_managing_employee = models.BooleanField(
        _("managing employee"),
        default=False,
        help_text=_(
            "A general manager, business manager, administrator or director who runs the "
            "day-to-day operations, or anyone else with operational or managerial control."
        ),
    )
    history = HistoricalRecords(excluded_fields=["date_of_birth", "ssn"])

    class Meta:
        ordering = ["kind", "last_name", "first_name", "organization_name", "pk"]
        verbose_name = _("disclosed person or organization")

    def __str__(self) -> str:
        return self.name

    @property
    def is_person(self) -> bool:
        return self.kind == self.Kind.PERSON

    @property
    def name(self) -> str:
        if not self.is_person:
            return self.organization_name
        return " ".join(p for p in (self.first_name, self.middle_name, self.last_name) if p)

    @property
    def is_subcontractor(self) -> bool:
        return self.provider_share is not None

    @property
    def masked_ssn(self) -> str:
        """The last four digits only: how an SSN is shown, to applicants and staff alike."""
        return f"•••-••-{self.ssn[-4:]}" if len(self.ssn or "") == 9 else ""

    @property
    def birth_year(self) -> str:
        """How a date of birth is shown: the year, enough to tell two namesakes apart."""
        return f"••/••/{self.date_of_birth:%Y}" if self.date_of_birth else ""

    @property
    def masked_tin(self) -> str:
        return f"XX-XXX{self.tin[-4:]}" if len(self.tin) == 9 else ""


class OwnershipInterest(models.Model):
    """``holder`` holds ``percent`` of ``held_in`` (empty: of the applicant itself).

    A holder's share of the applicant is the sum, over its interests, of the percentage times
    the share of the applicant that ``held_in`` has (``ownership.shares``).
    """

    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="interests")
    holder = models.ForeignKey(DisclosedParty, on_delete=models.CASCADE, related_name="interests")
    held_in = models.ForeignKey(
        DisclosedParty,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="owners",
        help_text=_("Empty: the applicant organization itself."),
    )
    percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["holder", "held_in"], name="one_interest_per_holder_and_entity"
            ),
            models.UniqueConstraint(
                fields=["holder"],
                condition=models.Q(held_in__isnull=True),
                name="one_direct_interest_per_holder",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.holder} holds {self.percent}% of {self.held_in or 'the applicant'}"


class FamilyRelationship(models.Model):
    """Two disclosed people who are spouses, parent and child, or siblings (455.104(b)(2))."""

    class Relationship(models.TextChoices):
        SPOUSE = "spouse", _("spouse of")
        PARENT = "parent", _("parent of")
        CHILD = "child", _("child of")
        SIBLING = "sibling", _("sibling of")

    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="family")
    person = models.ForeignKey(DisclosedParty, on_delete=models.CASCADE, related_name="+")
    relationship = models.CharField(max_length=16, choices=Relationship.choices)
    relative = models.ForeignKey(DisclosedParty, on_delete=models.CASCADE, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.person} {self.get_relationship_display()} {self.relative}"


class OtherInterest(models.Model):
    """Another provider (a "disclosing entity") an owner also holds 5% or more of."""

    disclosure = models.ForeignKey(
        Disclosure, on_delete=models.CASCADE, related_name="other_interests"
    )
    holder = models.ForeignKey(DisclosedParty, on_delete=models.CASCADE, related_name="+")
    provider_name = models.CharField(_("provider's name"), max_length=200)
    provider_identifier = models.CharField(
        _("its NPI or TIN"), max_length=20, blank=True, help_text=_("If you know it.")
    )
    percent = models.DecimalField(
        _("percentage held"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.holder}: {self.percent}% of {self.provider_name}"


class Conviction(models.Model):
    """A disclosed person's conviction of a crime related to a health-care program (455.106)."""

    class Program(models.TextChoices):
        MEDICARE = "medicare", _("Medicare")
        MEDICAID = "medicaid", _("Medicaid (Medi-Cal)")
        CHIP = "chip", _("CHIP")
        TITLE_XX = "title_xx", _("Title XX social services")
        OTHER = "other", _("Another health-care program or offence")

    # The programs whose offences 455.416(b) names as grounds to deny or terminate.
    LISTED: ClassVar[set[str]] = {Program.MEDICARE, Program.MEDICAID, Program.CHIP}

    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="convictions")
    party = models.ForeignKey(DisclosedParty, on_delete=models.CASCADE, related_name="convictions")
    program = models.CharField(_("program the offence related to"), max_length=16, choices=Program)
    convicted_on = models.DateField(_("date of conviction"))
    court = models.CharField(_("court and case number"), max_length=200, blank=True)
    details = models.TextField(_("what the conviction was for"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-convicted_on", "pk"]

    def __str__(self) -> str:
        return f"{self.party}: {self.get_program_display()} ({self.convicted_on:%Y-%m-%d})"


class KeyCheck(models.Model):
    """A known value encrypted with the field key when the database was set up (``keys.py``)."""

    value = EncryptedCharField(max_length=64)

    class Meta:
        db_table = "disclosures_keycheck"

    def __str__(self) -> str:
        return "field-encryption key check"
