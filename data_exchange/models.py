"""RTF/OTF file specifications (data the plan edits) and reports of applicants' sample files."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from data_exchange.specs import ColumnFormat, FileKind
from onboarding.models.applications import Application


class FileSpecification(models.Model):
    """One version of the RTF or OTF template; samples must meet the current one of their kind."""

    kind = models.CharField(_("file"), max_length=8, choices=FileKind.choices)
    version = models.CharField(
        _("version"), max_length=32, help_text=_("For example 2025-07 (the month DHCS issued it).")
    )
    title = models.CharField(_("title"), max_length=200)
    is_current = models.BooleanField(
        _("current"),
        default=False,
        help_text=_(
            "The version applicants' sample files are checked against. Making a version current "
            "makes the previous one not current."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "onboarding_filespecification"  # the table it had in onboarding
        ordering = ["kind", "-version"]
        verbose_name = _("file specification")
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="one_spec_per_kind_version"),
            models.UniqueConstraint(
                fields=["kind"],
                condition=models.Q(is_current=True),
                name="one_current_spec_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.version}"

    @property
    def short_name(self) -> str:
        return f"{self.kind.upper()} {self.version}"


class SpecColumn(models.Model):
    """A column of a file specification: its heading, whether a value is required, its format."""

    specification = models.ForeignKey(
        FileSpecification, on_delete=models.CASCADE, related_name="columns"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("column heading"), max_length=200)
    required = models.BooleanField(_("value required on every line"), default=False)
    format = models.CharField(
        _("format"), max_length=16, choices=ColumnFormat.choices, default=ColumnFormat.TEXT
    )
    codes = models.CharField(
        _("allowed codes"),
        max_length=500,
        blank=True,
        help_text=_("For the “one of a list of codes” format: the codes, separated by commas."),
    )
    member_data = models.BooleanField(
        _("holds member data"),
        default=False,
        help_text=_("Values of this column are never repeated in a report."),
    )

    class Meta:
        db_table = "onboarding_speccolumn"  # the table it had in onboarding
        ordering = ["specification", "position", "pk"]
        verbose_name = _("column")
        constraints = [
            models.UniqueConstraint(
                fields=["specification", "name"], name="one_column_heading_per_spec"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def code_list(self) -> list[str]:
        return [code.strip() for code in self.codes.split(",") if code.strip()]


class SampleFileReport(models.Model):
    """What the check of one uploaded sample file found. The file itself is never kept."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="sample_reports"
    )
    kind = models.CharField(max_length=8, choices=FileKind.choices)
    specification = models.ForeignKey(
        FileSpecification, on_delete=models.PROTECT, related_name="reports"
    )
    file_name = models.CharField(max_length=200)
    file_format = models.CharField(max_length=8, blank=True)
    line_count = models.PositiveIntegerField(
        default=0, help_text=_("Lines of data checked, not counting the heading line.")
    )
    problem_count = models.PositiveIntegerField(default=0)
    passed = models.BooleanField(default=False)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "onboarding_samplefilereport"  # the table it had in onboarding
        ordering = ["-checked_at", "-pk"]
        indexes = [models.Index(fields=["application", "kind", "-checked_at"])]

    def __str__(self) -> str:
        outcome = _("passed") if self.passed else _("problems found")
        return f"{self.specification.short_name} · {self.file_name} · {outcome}"

    @property
    def problems_not_listed(self) -> int:
        return max(self.problem_count - len(self.problems.all()), 0)


class SampleFileProblem(models.Model):
    """One problem in a sample file, by line and column, in words the applicant can act on."""

    report = models.ForeignKey(SampleFileReport, on_delete=models.CASCADE, related_name="problems")
    line = models.PositiveIntegerField(null=True, blank=True)
    column = models.CharField(max_length=200, blank=True)
    message = models.CharField(max_length=500)

    class Meta:
        db_table = "onboarding_samplefileproblem"  # the table it had in onboarding
        ordering = ["report", "pk"]

    def __str__(self) -> str:
        return self.message


class SampleFileCheck(models.Model):
    """One sample file waiting for, or through, its check in a background job.

    The file waits in storage under a random name only until the job ends (``stored_name`` is
    emptied then); the outcome is the report, or a message saying why there is none.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting to be checked")
        RUNNING = "running", _("being checked")
        DONE = "done", _("checked")
        FAILED = "failed", _("not checked")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="sample_checks"
    )
    kind = models.CharField(max_length=8, choices=FileKind.choices)
    file_name = models.CharField(max_length=200)
    stored_name = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    report = models.OneToOneField(
        SampleFileReport,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="check_job",
    )
    failure_message = models.CharField(max_length=500, blank=True)

    class Meta:
        db_table = "onboarding_samplefilecheck"  # the table it had in onboarding
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.file_name} · {self.get_status_display()}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
