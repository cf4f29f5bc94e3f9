"""What the reviewer workbench lists: open review work with its due date, and internal notes."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from onboarding.models.applications import Application
from portal.choices import ChoiceLabels
from reviews.models.decisions import ReviewDecision


class ReviewWork(ChoiceLabels):
    """One review task of the onboarding flow, as the queues sort and filter it.

    viewflow's task table stays the source of truth; this row copies what the queues need
    (stage, holder, open or not, due date) into indexed columns of our own, so that listing
    work among 100,000 applications never scans viewflow's unindexed columns. It is rewritten
    from the tasks by ``services.workbench.review_work_refresh`` after every change.
    """

    task = models.OneToOneField(
        "viewflow.Task", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="review_work"
    )
    stage = models.CharField(max_length=16, choices=ReviewDecision.Stage.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewer"),
    )
    is_open = models.BooleanField(default=True)
    created_at = models.DateTimeField(_("waiting since"))
    finished_at = models.DateTimeField(null=True, blank=True)
    due_on = models.DateField(_("due date"))

    class Meta:
        db_table = "onboarding_reviewwork"  # the table it had in onboarding
        ordering = ["due_on", "task"]
        verbose_name = _("review work")
        verbose_name_plural = _("review work")
        indexes = [
            models.Index(
                fields=["due_on", "task"],
                condition=models.Q(is_open=True),
                name="review_work_open_due",
            ),
            models.Index(
                fields=["created_at", "task"],
                condition=models.Q(is_open=True),
                name="review_work_open_created",
            ),
            models.Index(
                fields=["owner", "due_on"],
                condition=models.Q(is_open=True),
                name="review_work_open_owner",
            ),
            models.Index(fields=["application", "stage"], name="review_work_application"),
            models.Index(fields=["stage", "finished_at"], name="review_work_stage_finished"),
        ]

    def __str__(self) -> str:
        return f"{self.application.reference} · {self.get_stage_display()}"


class InternalNote(models.Model):
    """A note plan staff keep about an application. Applicants never see these."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="internal_notes"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("note"), max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "onboarding_internalnote"  # the table it had in onboarding
        ordering = ["-created_at", "-pk"]
        verbose_name = _("internal note")

    def __str__(self) -> str:
        return f"{self.application.reference}: {self.body[:40]}"
