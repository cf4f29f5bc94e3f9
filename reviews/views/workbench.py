"""The workbench beyond one task: bulk actions, internal notes, the dashboard and exports."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from corrective_actions.selectors import open_items_by_due
from onboarding.selectors import application_for_staff, review_tasks
from portal.decorators import manager_required, staff_required
from portal.models import User
from providers.selectors import network_compliance, network_status, notice_points
from recredentialing.selectors import cycle_counts
from reviews.forms import InternalNoteForm
from reviews.models import Export
from reviews.queues import WorkbenchFilterForm
from reviews.reports import (
    decision_bars,
    decisions_per_month,
    median_days_per_step,
    open_work_by_step,
    open_work_per_reviewer,
)
from reviews.selectors import EXPORTS_SHOWN, export_of, exports_of, reassignment_reviewer
from reviews.services.exports import export_download_record, export_request
from reviews.services.workbench import internal_note_add, tasks_act

BULK_ACTIONS = {"claim", "release", "reassign"}


def _back(request: HttpRequest, default: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(default)


@staff_required
@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    """Claim, release or (managers) reassign the selected review tasks."""
    user: User = request.user  # type: ignore[assignment]
    action = request.POST.get("action", "")
    ids = [int(pk) for pk in request.POST.getlist("task") if pk.isdigit()][:200]
    if action not in BULK_ACTIONS or not ids:
        messages.error(request, _("Select at least one review and what to do with it."))
        return _back(request, "reviews:queue")
    reviewer = None
    if action == "reassign":
        reviewer = reassignment_reviewer(request.POST.get("reviewer", ""))
        if reviewer is None:
            messages.error(request, _("Choose the reviewer to hand the reviews to."))
            return _back(request, "reviews:queue")
    tasks = review_tasks(ids)
    outcome = tasks_act(tasks=tasks, user=user, action=action, reviewer=reviewer)
    if outcome.done:
        messages.success(
            request,
            _("%(n)d review(s) updated.") % {"n": outcome.done},
        )
    for problem in outcome.problems:
        messages.error(request, problem)
    return _back(request, "reviews:queue")


@staff_required
@require_POST
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for_staff(pk)
    form = InternalNoteForm(request.POST)
    if form.is_valid():
        internal_note_add(
            application=application,
            user=request.user,  # type: ignore[arg-type]
            body=form.cleaned_data["body"],
        )
        messages.success(request, _("Note added. Only plan staff can see it."))
    else:
        messages.error(request, _("Write the note before adding it."))
    return redirect("reviews:application", pk=application.pk)


@manager_required
def dashboard(request: HttpRequest) -> HttpResponse:
    approvals, denials = decision_bars(decisions_per_month())
    return render(
        request,
        "reviews/dashboard.html",
        {
            "by_step": open_work_by_step(),
            "median_days": median_days_per_step(),
            "approvals": approvals,
            "denials": denials,
            "per_reviewer": open_work_per_reviewer(),
            "compliance": network_compliance(),
            "network_status": network_status(),
            "corrective_actions": open_items_by_due(),
            "cycle": cycle_counts(),
            "compliance_horizon": max(notice_points(), default=0),
        },
    )


# An export still waiting this long after it was asked for was probably lost (its job never
# ran); the page says so instead of asking the manager to wait for ever.
EXPORT_OVERDUE_AFTER = timedelta(minutes=10)


def _application_filters(request: HttpRequest) -> str:
    """The applications list's filters in the query string, as the list's own links write
    them (an invalid value is dropped, as the list drops it)."""
    return WorkbenchFilterForm.for_applications(request.GET).query_string(page=None)


def _exports_page(filters: str) -> HttpResponse:
    url = reverse("reviews:exports")
    return redirect(f"{url}?{filters}" if filters else url)


@manager_required
@require_http_methods(["GET", "HEAD", "POST"])
def applications_export(request: HttpRequest) -> HttpResponse:
    """Ask for every application matching the list's filters (the query string) as CSV, not
    only the page shown; a background job builds it, and the page of exports follows it.

    A GET (an old link or bookmark) builds nothing and asks for nothing: it goes to the page of
    exports, whose button asks for the same filters. A redirect rather than a 405 because these
    links were followed for years, and a GET must not start work on its own.
    """
    filters = _application_filters(request)
    if request.method != "POST":
        return _exports_page(filters)
    export_request(
        user=request.user,  # type: ignore[arg-type]
        kind=Export.Kind.APPLICATIONS,
        filters=filters,
    )
    messages.success(
        request,
        _(
            "You asked for an export of applications. It is listed below, with its download "
            "once it is ready."
        ),
    )
    return redirect("reviews:exports")


@manager_required
@require_http_methods(["GET", "HEAD", "POST"])
def roster_export(request: HttpRequest) -> HttpResponse:
    """Ask for the approved provider roster (for the plan's provider-data systems) as CSV; a GET
    goes to the page of exports, as for the applications."""
    if request.method != "POST":
        return _exports_page("")
    export_request(user=request.user, kind=Export.Kind.ROSTER)  # type: ignore[arg-type]
    messages.success(
        request,
        _(
            "You asked for an export of the provider roster. It is listed below, with its "
            "download once it is ready."
        ),
    )
    return redirect("reviews:exports")


@manager_required
def exports(request: HttpRequest) -> HttpResponse:
    """The manager's own recent exports with their status; while one is being prepared the page
    reloads itself, and a ready one can be downloaded."""
    user: User = request.user  # type: ignore[assignment]
    rows = list(exports_of(user)[:EXPORTS_SHOWN])
    waiting = [export for export in rows if export.is_waiting]
    overdue = any(timezone.now() - e.requested_at > EXPORT_OVERDUE_AFTER for e in waiting)
    filters = _application_filters(request)
    response = render(
        request,
        "reviews/exports.html",
        {
            "exports": rows,
            "waiting": bool(waiting),
            "overdue": overdue,
            "filters": filters,
            "retention_days": settings.EXPORT_RETENTION_DAYS,
        },
    )
    if waiting:
        # Reloads the page as <meta http-equiv="refresh"> would, with no script (the Content
        # Security Policy allows no inline script); slower once the wait looks lost.
        response["Refresh"] = "30" if overdue else "5"
    return response


@manager_required
def export_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """One of the manager's own ready exports, streamed from storage in chunks as a download
    named as the export always was; the download is put in the audit trail."""
    user: User = request.user  # type: ignore[assignment]
    export = export_of(user, pk)
    export_download_record(export=export, user=user)
    response = FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=export.download_name,
        content_type="text/csv; charset=utf-8",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
