"""The workbench beyond one task: bulk actions, internal notes, the dashboard and exports."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from corrective_actions.selectors import open_items_by_due
from onboarding.selectors import application_for_staff, review_tasks
from portal.decorators import manager_required, staff_required
from portal.models import User
from providers.selectors import network_compliance, network_status, notice_points
from recredentialing.selectors import cycle_counts
from reviews.exports import (
    APPLICATION_HEADER,
    ROSTER_HEADER,
    application_rows,
    csv_response,
    roster_applications,
    roster_rows,
)
from reviews.forms import InternalNoteForm
from reviews.queues import WorkbenchFilterForm, applications_filtered
from reviews.reports import (
    decision_bars,
    decisions_per_month,
    median_days_per_step,
    open_work_by_step,
    open_work_per_reviewer,
)
from reviews.selectors import reassignment_reviewer
from reviews.services.workbench import export_record, internal_note_add, tasks_act

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


@manager_required
def applications_export(request: HttpRequest) -> StreamingHttpResponse:
    """Every application matching the list's filters, as CSV (not only the page shown)."""
    form = WorkbenchFilterForm(
        request.GET, sorts=WorkbenchFilterForm.APPLICATION_SORTS, reviewers=True
    )
    filters = form.filters()
    filters.pop("page", None)
    export_record(
        user=request.user,  # type: ignore[arg-type]
        what="Applications export",
        filters=urlencode({k: getattr(v, "pk", v) for k, v in filters.items()}),
    )
    return csv_response(
        APPLICATION_HEADER,
        application_rows(applications_filtered(filters)),
        f"applications-{timezone.localdate():%Y%m%d}.csv",
    )


@manager_required
def roster_export(request: HttpRequest) -> StreamingHttpResponse:
    """The approved provider roster for the plan's provider-data systems."""
    export_record(user=request.user, what="Provider roster export", filters="")  # type: ignore[arg-type]
    return csv_response(
        ROSTER_HEADER,
        roster_rows(roster_applications()),
        f"ecm-provider-roster-{timezone.localdate():%Y%m%d}.csv",
    )
