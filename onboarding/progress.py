"""The step-by-step progress indicator shown to applicants and staff, and what to do next."""

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from onboarding.models import Application, ApplicationStep
from reviews.models import Deficiency

if TYPE_CHECKING:
    from documents.models import PacketDelivery

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
    final_done = application.status in Application.PROVIDER_STATUSES
    all_approved = all(s.state == "done" for s in steps)
    # A provider suspended, terminated or approved with conditions keeps the steps it had done;
    # whether it acknowledged its packet, its status alone does not say.
    acknowledged = application.status == Status.ACTIVE or (
        application.status in Application.PROVIDER_STATUSES - {Status.APPROVED, Status.ACTIVE}
        and application.packet_deliveries.filter(acknowledged_at__isnull=False).exists()
    )
    steps.append(
        ProgressStep(
            str(_("Final approval")),
            "done"
            if final_done
            else ("current" if all_approved and application.is_open else "todo"),
            str(_("Approved") if final_done else _("Waiting")),
        )
    )
    if application.is_recredentialing:  # no welcome packet again
        return steps
    steps.append(
        ProgressStep(
            str(_("Welcome packet")),
            "done" if acknowledged else ("current" if final_done else "todo"),
            str(_("Acknowledged") if acknowledged else _("Waiting")),
        )
    )
    return steps


@dataclass(frozen=True)
class NextAction:
    """One thing the applicant should do now, with the page where it is done."""

    text: str
    url: str = ""
    due_on: date | None = None
    returned_items: tuple[Deficiency, ...] = ()


def next_actions(
    application: Application,
    *,
    deficiencies: dict[str, list[Deficiency]],
    delivery: "PacketDelivery | None",
    is_official: bool,
) -> list[NextAction]:
    """What is needed next, most urgent first: returned steps (what to fix, by when), then steps
    to fill in, then the welcome packet; or that the plan has the next move."""
    ordered = sorted(
        application.steps.all(), key=lambda s: ApplicationStep.Kind.values.index(s.kind)
    )
    returned, to_fill = [], []
    for step in ordered:
        url = reverse("onboarding:step", args=[application.pk, step.slug])
        name = step.get_kind_display()
        if step.status == StepStatus.RETURNED and application.is_open:
            items = tuple(deficiencies.get(step.kind, []))
            returned.append(
                NextAction(
                    str(_("Correct “%(step)s” and submit it again") % {"step": name}),
                    url,
                    due_on=min((item.due_on for item in items), default=None),
                    returned_items=items,
                )
            )
        elif step.is_editable:
            text = (
                _("Fill in “%(step)s” and submit it")
                if is_official
                else _("Fill in “%(step)s”; your authorized official submits it")
            )
            to_fill.append(NextAction(str(text % {"step": name}), url))
    actions = returned + to_fill
    if delivery is not None and delivery.acknowledged_at is None:
        actions.append(
            NextAction(
                str(_("Download and acknowledge your welcome packet")),
                reverse("documents:packet", args=[delivery.pk]),
            )
        )
    if not actions and application.status in {Status.SUBMITTED, Status.IN_REVIEW}:
        actions.append(
            NextAction(
                str(
                    _(
                        "Nothing to do now: the plan is reviewing what you submitted. We will "
                        "email you when that changes."
                    )
                )
            )
        )
    return actions
