"""Corrective-action pages: the provider's plan and items (its people send evidence, reviewers
judge it on the same page), and the plan staff's list of open items with its CSV export."""

from collections.abc import Iterator
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from corrective_actions.forms import EvidenceForm, EvidenceReviewForm
from corrective_actions.models import CorrectiveActionItem
from corrective_actions.selectors import (
    DUE_WITHIN_DAYS,
    ItemFilters,
    evidence_of,
    evidence_waiting,
    item_of,
    items_for_workbench,
    plans_of,
)
from corrective_actions.services import evidence_review, evidence_submit
from onboarding.exceptions import OnboardingError
from portal.decorators import manager_required, staff_required
from portal.models import User
from portal.paging import page_context
from providers.selectors import provider_for
from reviews.exports import csv_response
from reviews.services.workbench import export_record


@login_required
def item_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The provider's corrective-action plans, item by item, for its people and plan staff."""
    application, staff = provider_for(request.user, pk)  # type: ignore[arg-type]
    return render(
        request,
        "corrective_actions/list.html",
        {
            "application": application,
            "plans": plans_of(application),
            "is_staff": staff,
            "today": timezone.localdate(),
        },
    )


@login_required
def item_detail(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """One item: what is asked, the evidence sent so far with the verdicts, and the form that is
    the viewer's to use (evidence for the provider's people, the verdict for a reviewer)."""
    user: User = request.user  # type: ignore[assignment]
    application, staff = provider_for(user, pk)
    item = item_of(application, item_pk)
    waiting = evidence_waiting(item)
    data = request.POST if request.method == "POST" else None
    evidence_form = None
    review_form = None
    if staff and waiting is not None:
        review_form = EvidenceReviewForm(data)
    elif not staff and item.awaits_provider:
        evidence_form = EvidenceForm(data, request.FILES if data is not None else None)
    if data is not None:
        try:
            if review_form is not None and waiting is not None and review_form.is_valid():
                evidence_review(
                    evidence=waiting,
                    user=user,
                    verdict=review_form.cleaned_data["verdict"],
                    comment=review_form.cleaned_data["comment"],
                )
                messages.success(
                    request, _("Verdict recorded for %(ref)s.") % {"ref": item.reference}
                )
                return redirect(item.get_absolute_url())
            if evidence_form is not None and evidence_form.is_valid():
                evidence_submit(
                    item=item,
                    user=user,
                    note=evidence_form.cleaned_data["note"],
                    uploads=evidence_form.cleaned_data["documents"],
                )
                messages.success(
                    request, _("Your evidence was sent. A plan reviewer will look at it.")
                )
                return redirect(item.get_absolute_url())
            if review_form is None and evidence_form is None:
                messages.error(request, _("This item takes nothing from you now."))
        except OnboardingError as error:
            form = review_form or evidence_form
            if form is not None:
                form.add_error(None, error.message)
            else:
                messages.error(request, error.message)
    return render(
        request,
        "corrective_actions/item.html",
        {
            "application": application,
            "item": item,
            "evidence": evidence_of(item),
            "evidence_form": evidence_form,
            "review_form": review_form,
            "is_staff": staff,
            "overdue": item.is_overdue(),
        },
    )


def _filters(request: HttpRequest) -> ItemFilters:
    return ItemFilters.from_query(request.GET.dict())


@staff_required
def workbench(request: HttpRequest) -> HttpResponse:
    """Open corrective-action items across the network by due date, filterable."""
    paged = page_context(items_for_workbench(_filters(request)), request)
    return render(
        request,
        "corrective_actions/workbench.html",
        {
            **paged,
            "items": paged["page"].object_list,
            "filters": _filters(request),
            "statuses": CorrectiveActionItem.Status.choices,
            "due_within_days": DUE_WITHIN_DAYS,
            "today": timezone.localdate(),
        },
    )


EXPORT_HEADER = [
    "item",
    "provider",
    "organization",
    "provider_status",
    "finding",
    "action",
    "due_on",
    "responsible",
    "status",
    "overdue",
    "accepted_at",
]


@manager_required
def workbench_export(request: HttpRequest) -> StreamingHttpResponse:
    """The items the list's filters select (every page), as CSV: no evidence, no notes."""
    filters = _filters(request)
    export_record(
        user=request.user,  # type: ignore[arg-type]
        what="Corrective actions export",
        filters=urlencode(request.GET.dict()),
    )
    today = timezone.localdate()
    rows: Iterator[list[object]] = (
        [
            item.reference,
            item.application.reference,
            item.application.organization.legal_name,
            item.application.get_status_display(),
            item.finding_label,
            item.action,
            item.due_on.isoformat(),
            item.responsible,
            item.get_status_display(),
            "yes" if item.is_overdue(today) else "no",
            item.accepted_at.isoformat() if item.accepted_at else "",
        ]
        for item in items_for_workbench(filters, today).iterator(chunk_size=2000)
    )
    return csv_response(EXPORT_HEADER, rows, f"corrective-actions-{today:%Y%m%d}.csv")
