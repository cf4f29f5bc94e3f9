"""The plan staff's recredentialing list: providers by due date, filterable, and as CSV."""

from collections.abc import Iterator
from datetime import date
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from onboarding.models import Application
from portal.decorators import manager_required, staff_required
from portal.paging import page_context
from recredentialing.selectors import FILTERS, providers_for_workbench
from reviews.exports import csv_response
from reviews.services.workbench import export_record


def _due(request: HttpRequest) -> str:
    due = request.GET.get("due", "")
    return due if due in FILTERS else ""


@staff_required
def workbench(request: HttpRequest) -> HttpResponse:
    due = _due(request)
    paged = page_context(providers_for_workbench(due), request)
    return render(
        request,
        "recredentialing/workbench.html",
        {
            **paged,
            "providers": paged["page"].object_list,
            "due": due,
            "filters": FILTERS,
            "today": timezone.localdate(),
        },
    )


EXPORT_HEADER = [
    "provider",
    "organization",
    "status",
    "recredentialing_due_on",
    "overdue",
    "recredentialing_in_progress",
]


def _row(provider: Application, today: date) -> list[object]:
    due_on = provider.recredentialing_due_on
    renewal_id = getattr(provider, "renewal_id", None)  # annotated by the selector
    return [
        provider.reference,
        provider.organization.legal_name,
        provider.get_status_display(),
        due_on.isoformat() if due_on else "",
        "yes" if due_on and due_on < today else "no",
        f"ECM-{renewal_id:06d}" if renewal_id else "",
    ]


@manager_required
def workbench_export(request: HttpRequest) -> StreamingHttpResponse:
    """The providers the list's filter selects (every page), as CSV."""
    due = _due(request)
    export_record(
        user=request.user,  # type: ignore[arg-type]
        what="Recredentialing export",
        filters=urlencode({"due": due}),
    )
    today = timezone.localdate()
    rows: Iterator[list[object]] = (
        _row(provider, today)
        for provider in providers_for_workbench(due, today).iterator(chunk_size=2000)
    )
    return csv_response(EXPORT_HEADER, rows, f"recredentialing-{today:%Y%m%d}.csv")
