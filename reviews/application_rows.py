"""The all-applications list's rows, read as plain values rather than as models.

A page of 25 applications showed its steps and open reviews through about 130 model instances;
building them, and the template asking each for its labels, cost more than PostgreSQL took to
find the rows. Here each table gives the columns a row shows, labels come from the per-language
tables of ``portal.choices``, and the template reads plain attributes. Still a fixed number of
queries whatever the number of applications: the page, its steps, its open reviews, its flags.
"""

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone

from onboarding.models import Application, ApplicationStep
from portal.choices import choice_label
from providers.selectors import compliance_flags
from reviews.models import ReviewWork
from reviews.queues import OWNER_NAME, Page, applications_filtered, page_of

_STATUS = Application._meta.get_field("status")
_STEP_KIND = ApplicationStep._meta.get_field("kind")
_STEP_STATUS = ApplicationStep._meta.get_field("status")


@dataclass(frozen=True)
class OpenReview:
    stage: str
    owner: str  # who holds it; "" while nobody does
    due_on: date
    overdue: bool


@dataclass
class ApplicationRow:
    pk: int
    reference: str
    url: str
    organization: str
    status: str
    created_at: datetime
    steps: list[tuple[str, str]] = field(default_factory=list)  # (step, its status), in order
    open_reviews: list[OpenReview] = field(default_factory=list)
    out_of_compliance: bool = False
    possible_exclusion: bool = False


def applications_for_workbench(filters: dict[str, Any]) -> Page:
    """A page of applications with their steps, open reviews and compliance flags."""
    page = page_of(
        applications_filtered(filters).values_list(
            "pk", "status", "created_at", "organization__legal_name"
        ),
        filters.get("page"),
    )
    rows = {
        pk: ApplicationRow(
            pk=pk,
            reference=Application.reference_of(pk),
            url=reverse("reviews:application", args=[pk]),
            organization=legal_name,
            status=choice_label(_STATUS, status),
            created_at=created_at,
        )
        for pk, status, created_at, legal_name in page.rows
    }
    steps = (
        ApplicationStep.objects.filter(application_id__in=rows)
        .order_by("kind")
        .values_list("application_id", "kind", "status")
    )
    for application_id, kind, status in steps:
        rows[application_id].steps.append(
            (choice_label(_STEP_KIND, kind), choice_label(_STEP_STATUS, status))
        )
    today = timezone.localdate()
    open_work = (
        ReviewWork.objects.filter(application_id__in=rows, is_open=True)
        .select_related("owner")
        .only("application_id", "stage", "due_on", *OWNER_NAME)
    )
    for work in open_work:
        rows[work.application_id].open_reviews.append(
            OpenReview(
                stage=work.get_stage_display(),
                owner=work.owner.display_name if work.owner else "",
                due_on=work.due_on,
                overdue=work.due_on < today,
            )
        )
    flags = compliance_flags(list(rows))
    for pk in flags.out_of_compliance:
        rows[pk].out_of_compliance = True
    for pk in flags.possible_exclusion:
        rows[pk].possible_exclusion = True
    return replace(page, rows=list(rows.values()))
