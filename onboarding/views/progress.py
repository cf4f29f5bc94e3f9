"""The step-by-step progress indicator shown to applicants and staff."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from onboarding.models import Application, ApplicationStep

Status = Application.Status
StepStatus = ApplicationStep.Status


@dataclass(frozen=True)
class ProgressStep:
    label: str
    state: str  # done | current | attention | todo
    detail: str
    url_step: str = ""


STEP_STATE = {
    StepStatus.DRAFT: "current",
    StepStatus.SUBMITTED: "current",
    StepStatus.RETURNED: "attention",
    StepStatus.APPROVED: "done",
    StepStatus.DENIED: "attention",
    StepStatus.CLOSED: "todo",
}


def progress_of(application: Application) -> list[ProgressStep]:
    steps = [
        ProgressStep(
            str(step.get_kind_display()),
            STEP_STATE[StepStatus(step.status)],
            str(step.get_status_display()),
            step.kind,
        )
        for step in sorted(
            application.steps.all(), key=lambda s: ApplicationStep.Kind.values.index(s.kind)
        )
    ]
    final_done = application.status in {Status.APPROVED, Status.ACTIVE}
    all_approved = all(s.state == "done" for s in steps)
    steps.append(
        ProgressStep(
            str(_("Final approval")),
            "done"
            if final_done
            else ("current" if all_approved and application.is_open else "todo"),
            str(_("Approved") if final_done else _("Waiting")),
        )
    )
    steps.append(
        ProgressStep(
            str(_("Welcome packet")),
            "done"
            if application.status == Status.ACTIVE
            else ("current" if final_done else "todo"),
            str(_("Acknowledged") if application.status == Status.ACTIVE else _("Waiting")),
        )
    )
    return steps
