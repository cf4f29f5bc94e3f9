"""The all-applications list's rows: read as plain values, rendered once for each version of
the rows.

A page of 25 applications showed its steps and open reviews through about 130 model instances;
building them, and the template asking each for its labels, cost more than PostgreSQL took to
find the rows. Here each table gives the columns a row shows, labels come from the per-language
tables of ``portal.choices``, and the template reads plain attributes.

On PostgreSQL the rendered rows are kept in the cache under a stamp of the rows they show
(``ROWS_SHOWN``, stamped by their row versions as the record's sections are,
``reviews.record_version``), so a page whose rows have not changed is not read or rendered again;
a change to any of them, by any path, is shown at once. ``tests/reviews/test_application_rows.py``
fails if the rows read a table the stamp does not cover.
"""

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, NamedTuple

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from onboarding.models import Application, ApplicationStep, Organization
from portal.choices import choice_label
from portal.models import User
from providers.models import ComplianceIssue
from providers.selectors import compliance_flags
from reviews.models import ReviewWork
from reviews.queues import OWNER_NAME, Page, applications_filtered, page_of
from reviews.record_version import Rows, RowsStamp, named_by
from reviews.rendering_cache import kept, rendering_digest
from screening.models import ScreeningResult

_STATUS = Application._meta.get_field("status")
_STEP_KIND = ApplicationStep._meta.get_field("kind")
_STEP_STATUS = ApplicationStep._meta.get_field("status")

# What the rows show, for the applications whose ids are $1 (an array).
_CHOSEN = "t.application_id = ANY($1)"
ROWS_SHOWN: tuple[Rows, ...] = (
    Rows(Application, "t.id = ANY($1)"),
    named_by(Organization, Application, "organization", "id = ANY($1)"),
    Rows(ApplicationStep, _CHOSEN),
    Rows(ReviewWork, _CHOSEN),
    # Who holds a review: their names only (their rows change at every sign-in).
    named_by(User, ReviewWork, "owner", "application_id = ANY($1)", shown=User.NAME_FIELDS),
    Rows(ComplianceIssue, _CHOSEN),
    Rows(ScreeningResult, _CHOSEN),
)
rows_version = RowsStamp("application_rows", ROWS_SHOWN, "bigint[]")


class Found(NamedTuple):
    """An application of the page, as the list's query finds it."""

    pk: int
    status: str
    created_at: datetime
    organization: str

    @property
    def reference(self) -> str:
        return Application.reference_of(self.pk)


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


def applications_found(filters: dict[str, Any]) -> Page:
    """A page of the applications matching ``filters`` (its rows are ``Found``)."""
    found = applications_filtered(filters).values_list(
        "pk", "status", "created_at", "organization__legal_name"
    )
    page = page_of(found, filters.get("page"))
    return replace(page, rows=[Found(*row) for row in page.rows])


def rendered_rows(found: list[Found]) -> SafeString:
    """The table rows of a page of applications: from the cache when these rows, as they are
    now, were rendered before; else read and rendered (a fixed number of queries)."""
    version = rows_version([a.pk for a in found]) if found else None
    html = kept(
        None if version is None else _key(found, version),
        lambda: render_to_string(
            "reviews/_application_rows.html", {"rows": application_rows(found)}
        ),
    )
    return mark_safe(html)  # noqa: S308  (rendered by our template)


def _key(found: list[Found], version: str) -> str:
    """The rows' stamp, and what else their rendering depends on (the order of the rows)."""
    return f"application-rows:{version}:{rendering_digest(*(str(a.pk) for a in found))}"


def application_rows(found: list[Found]) -> list[ApplicationRow]:
    """The rows of a page of applications, with their steps, open reviews and compliance flags:
    four queries whatever the page."""
    rows = {
        a.pk: ApplicationRow(
            pk=a.pk,
            reference=a.reference,
            url=reverse("reviews:application", args=[a.pk]),
            organization=a.organization,
            status=choice_label(_STATUS, a.status),
            created_at=a.created_at,
        )
        for a in found
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
        .order_by("due_on", "task_id")  # the model's order, without joining viewflow's task
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
    return list(rows.values())
