"""Exclusion lists as imported: one release per source is active, its rows are what we screen."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from onboarding.models import Application, CareTeamMember
from portal.choices import ChoiceLabels


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
        db_table = "onboarding_exclusionrelease"  # the table it had in onboarding
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
        db_table = "onboarding_exclusionrecord"  # the table it had in onboarding
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


class ExclusionNumber(models.Model):
    """One licence or provider number a list row names, normalised (see numbers.py).

    A cell may list several numbers; each has its own row here, so that every one of them is
    matched exactly, through an index. Only the Medi-Cal list has such numbers.
    """

    class Kind(models.TextChoices):
        LICENCE = "licence", _("Licence number")
        PROVIDER = "provider", _("Provider number")

    # The numbers are an index over the records' cells, written and deleted only by the import,
    # in the transaction that writes and deletes the records. So the database does not check
    # their references (db_constraint=False): on PostgreSQL, checking 100,000 of them at each
    # import's commit, and that no number still named each of the previous release's 100,000
    # deleted records, took a third of the Medi-Cal list's 3-second budget.
    # The index below leads with the release, so the foreign key needs none of its own.
    release = models.ForeignKey(
        ExclusionRelease,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    # The row's first record (under its own name, not an AKA/DBA). DO_NOTHING because the import
    # deletes a release's numbers before its records: a cascade would make Django load all of
    # the records (80,000 for the LEIE) to delete them, instead of one DELETE statement.
    record = models.ForeignKey(
        ExclusionRecord, on_delete=models.DO_NOTHING, related_name="numbers", db_constraint=False
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    number = models.CharField(max_length=100)

    class Meta:
        indexes = [
            models.Index(fields=["release", "kind", "number"], name="exclusion_listed_number")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class ScreeningResult(ChoiceLabels):
    """The outcome of one automated check on an application, with its evidence.

    ``outcome`` is what the check found and never changes; a reviewer's ``adjudication`` of a
    match is recorded beside it. A new screening run marks the earlier results not current.
    """

    class Outcome(models.TextChoices):
        CLEAR = "clear", _("Clear")
        POTENTIAL_MATCH = "potential_match", _("Potential match")
        CONFIRMED_MATCH = "confirmed_match", _("Confirmed match")
        ERROR = "error", _("Error")

    class SubjectKind(models.TextChoices):
        ORGANIZATION = "organization", _("Organization")
        PERSON = "person", _("Person")

    class Adjudication(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed: this is the excluded party")
        DISMISSED = "dismissed", _("Dismissed: not the same party")

    PASSING: ClassVar[set[str]] = {Outcome.CLEAR}
    MATCHES: ClassVar[set[str]] = {Outcome.POTENTIAL_MATCH, Outcome.CONFIRMED_MATCH}

    # Indexed by ``screening_current`` (application first); the other links, mostly empty, by
    # partial indexes of the rows that have one: a monthly run inserts a few hundred thousand.
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="screening_results", db_index=False
    )
    check_name = models.CharField(_("check"), max_length=64)
    subject = models.CharField(_("what was checked"), max_length=200)
    subject_kind = models.CharField(
        max_length=16, choices=SubjectKind.choices, default=SubjectKind.ORGANIZATION
    )
    care_team_member = models.ForeignKey(
        CareTeamMember,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="screening_results",
        db_index=False,
    )
    # An owner, officer or managing employee (or an owning organization) of the disclosure: its
    # results are the organization's (subject kind "organization"), decided with the entity step.
    disclosed_party = models.ForeignKey(
        "disclosures.DisclosedParty",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="screening_results",
        db_index=False,
    )
    # A person a change request would add, screened before the request can be approved.
    change_request = models.ForeignKey(
        "changes.ChangeRequest",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="screening_results",
        db_index=False,
    )
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    evidence = models.TextField(blank=True)
    release = models.ForeignKey(
        ExclusionRelease, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    matched_line = models.PositiveIntegerField(null=True, blank=True)
    matched_row = models.TextField(
        blank=True, help_text=_("The list's row as imported, kept after the release is replaced.")
    )
    revision = models.PositiveIntegerField(default=0)
    is_current = models.BooleanField(default=True)
    is_new_match = models.BooleanField(
        default=False, help_text=_("Found by a re-screening where the last run found nothing.")
    )
    checked_at = models.DateTimeField(auto_now_add=True)
    adjudication = models.CharField(max_length=16, choices=Adjudication.choices, blank=True)
    adjudication_note = models.TextField(blank=True)
    adjudicated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    adjudicated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "onboarding_screeningresult"  # the table it had in onboarding
        ordering = ["-checked_at", "check_name", "pk"]
        indexes = [
            models.Index(fields=["application", "is_current"], name="screening_current"),
            *(
                models.Index(
                    fields=[link],
                    condition=models.Q(**{f"{link}__isnull": False}),
                    name=f"screening_{name}",
                )
                for link, name in (
                    ("care_team_member", "member"),
                    ("disclosed_party", "party"),
                    ("change_request", "change"),
                    ("adjudicated_by", "adjudicator"),
                )
            ),
        ]

    def __str__(self) -> str:
        return f"{self.check_name}: {self.get_outcome_display()}"

    @property
    def is_match(self) -> bool:
        return self.outcome in self.MATCHES

    @property
    def needs_adjudication(self) -> bool:
        return self.is_match and not self.adjudication

    @property
    def is_about_the_record(self) -> bool:
        """False for a person a pending change request would add (not on the record yet)."""
        return self.change_request_id is None or self.care_team_member_id is not None

    @property
    def is_confirmed(self) -> bool:
        """A match a reviewer confirmed (an unadjudicated match is not yet confirmed)."""
        return self.is_match and self.adjudication == self.Adjudication.CONFIRMED
