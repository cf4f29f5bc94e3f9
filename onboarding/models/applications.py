"""An organization's application to become an ECM provider, its steps, and its workflow process."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from onboarding.models.organizations import Organization
from portal.choices import ChoiceLabels


class Application(ChoiceLabels):
    """One application by one organization; the domain record behind an onboarding process."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        IN_REVIEW = "in_review", _("In review")
        RETURNED = "returned", _("Returned for correction")
        APPROVED = "approved", _("Approved")
        ACTIVE = "active", _("Active")
        # In the network with a corrective-action plan open (corrective_actions).
        CONDITIONAL = "conditional", _("Approved with conditions")
        DENIED = "denied", _("Denied")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        # After approval, by two network managers (providers.services.status_changes).
        SUSPENDED = "suspended", _("Suspended")
        TERMINATED = "terminated", _("Terminated")
        # A recredentialing (``renews`` set) once approved: its content is now the provider's.
        RECREDENTIALED = "recredentialed", _("Recredentialing approved")

    CLOSED_STATUSES: ClassVar[set[str]] = {
        Status.DENIED,
        Status.WITHDRAWN,
        Status.TERMINATED,
        Status.RECREDENTIALED,
    }
    # A provider in the plan's network: approved, with or without its packet acknowledged.
    IN_NETWORK_STATUSES: ClassVar[set[str]] = {Status.APPROVED, Status.ACTIVE, Status.CONDITIONAL}
    # Every provider the plan has approved, whatever became of it since (the roster lists them).
    PROVIDER_STATUSES: ClassVar[set[str]] = {
        Status.APPROVED,
        Status.ACTIVE,
        Status.CONDITIONAL,
        Status.SUSPENDED,
        Status.TERMINATED,
    }
    DECIDED_STATUSES: ClassVar[set[str]] = {
        Status.APPROVED,
        Status.ACTIVE,
        Status.CONDITIONAL,
        Status.DENIED,
        Status.WITHDRAWN,
        Status.SUSPENDED,
        Status.TERMINATED,
        Status.RECREDENTIALED,
    }

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="applications"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    effective_date = models.DateField(null=True, blank=True)
    # A provider's next recredentialing is due on this day (RECREDENTIALING_CYCLE_MONTHS after its
    # last approval: the first, or the last recredentialing's).
    recredentialing_due_on = models.DateField(null=True, blank=True, db_index=True)
    # A recredentialing: the provider whose record this application renews, step by step.
    renews = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="renewals"
    )

    class Meta:
        ordering = ["-created_at"]
        permissions = [
            ("review_application", "Can review onboarding steps"),
            ("approve_application", "Can give final approval to an application"),
        ]
        indexes = [
            models.Index(fields=["status", "-created_at"]),
            models.Index(fields=["status", "-id"], name="application_status_id"),
            models.Index(fields=["-updated_at", "-id"], name="application_updated"),
            models.Index(fields=["status", "-decided_at"], name="application_decided"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} · {self.organization}"

    def get_absolute_url(self) -> str:
        return reverse("onboarding:application_detail", kwargs={"pk": self.pk})

    @property
    def reference(self) -> str:
        return self.reference_of(self.pk)

    @staticmethod
    def reference_of(pk: int) -> str:
        return f"ECM-{pk:06d}"

    @property
    def is_recredentialing(self) -> bool:
        return self.renews_id is not None

    @property
    def is_open(self) -> bool:
        return self.status not in self.DECIDED_STATUSES

    def step(self, kind: "ApplicationStep.Kind | str") -> "ApplicationStep":
        """The step of this kind (steps are created with the application)."""
        for step in self.steps.all():
            if step.kind == kind:
                return step
        raise ApplicationStep.DoesNotExist(kind)


class ApplicationStep(ChoiceLabels):
    """The state of one applicant step of an application, as the applicant and reviewers see it."""

    class Kind(models.TextChoices):
        ENTITY = "entity", _("Entity verification")
        ATTESTATIONS = "attestations", _("Capability attestations")
        DATA_SHARING = "data_sharing", _("Data-sharing readiness")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Not submitted")
        SUBMITTED = "submitted", _("Submitted for review")
        RETURNED = "returned", _("Returned for correction")
        APPROVED = "approved", _("Approved")
        DENIED = "denied", _("Denied")
        CLOSED = "closed", _("Closed")

    EDITABLE_STATUSES: ClassVar[set[str]] = {Status.DRAFT, Status.RETURNED}

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    revision = models.PositiveIntegerField(
        default=0, help_text=_("How many times this step has been submitted.")
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["application", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["application", "kind"], name="one_step_of_each_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.application.reference} · {self.get_kind_display()}"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES and self.application.is_open

    @property
    def slug(self) -> str:
        return self.kind.replace("_", "-")


class OnboardingProcess(Process):
    """The viewflow process of one application (multi-table, so the link is a real foreign key)."""

    application: models.OneToOneField[Application, Application] = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="process"
    )

    class Meta:
        verbose_name = _("onboarding process")
