"""Change-request pages: the provider's (list, new, draft and send), the nominee's acceptance,
and the reviewer's decision page (reached from the workbench's queue like any review)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from changes.forms import FORMS, fact_rows, initial_for, initial_from, proposal_rows
from changes.models import ChangeRequest
from changes.proposals import RENEW, problems_of
from changes.review_items import change_review_forms
from changes.selectors import (
    change_request_by_token,
    change_request_for_applicant,
    change_request_for_task,
    change_requests_of,
    decisions_on,
    open_deficiencies_of,
    record_for_change_review,
)
from changes.services.decisions import (
    ChangeBlocked,
    approval_blockers,
    change_request_decide,
)
from changes.services.requests import (
    change_request_save,
    change_request_start,
    change_request_submit,
    change_request_withdraw,
    handover_accept,
)
from corrective_actions.forms import (
    condition_rows,
    decision_with_conditions,
)
from disclosures.selectors import disclosure_changes, disclosure_view
from documents.services import licence_copy_upload
from onboarding.exceptions import OnboardingError
from onboarding.models import Application
from onboarding.selectors import review_task
from portal.decorators import staff_required
from portal.models import User
from portal.roles import REVEAL_PERMISSION
from providers.selectors import provider_for
from reviews.forms import ReviewDecisionForm
from reviews.models import ReviewDecision
from reviews.review_items import item_verdicts
from screening.selectors import screening_results_of

Kind = ChangeRequest.Kind


def _kind(kind: str) -> str:
    if kind not in Kind.values:
        raise Http404
    return kind


def _rows(change_request: ChangeRequest) -> dict[str, Any]:
    return {
        "change_rows": proposal_rows(change_request),
        "before_rows": fact_rows(change_request.before),
        "after_rows": fact_rows(change_request.after),
        **_ownership(change_request),
    }


def _ownership(change_request: ChangeRequest) -> dict[str, Any]:
    """A change of ownership's disclosure, and while it is open what it changes."""
    if change_request.kind != Kind.OWNERSHIP:
        return {}
    after = change_request.disclosure
    changes = (
        disclosure_changes(change_request.application.disclosure, after)
        if change_request.is_open
        else []
    )
    return {"disclosure": disclosure_view(after), "disclosure_changes": changes}


@login_required
def change_list(request: HttpRequest, pk: int) -> HttpResponse:
    application, staff = provider_for(request.user, pk)  # type: ignore[arg-type]
    return render(
        request,
        "changes/list.html",
        {
            "application": application,
            "change_requests": change_requests_of(application),
            "kinds": Kind.choices,
            "can_ask": not staff and application.status in Application.IN_NETWORK_STATUSES,
            "is_staff": staff,
        },
    )


def _proposal(form: Any, application: Application, user: User) -> dict[str, Any]:
    """The form's proposal, with the renewed licence's copy stored first (a refused file raises)."""
    proposal: dict[str, Any] = form.proposal()
    upload = form.cleaned_data.get("licence_copy")
    if upload is None:
        return proposal
    if proposal.get("action") == RENEW:  # a care-team member's licence
        proposal["document"] = licence_copy_upload(
            application=application,
            user=user,
            upload=upload,
            label=_("Renewed licence: %(holder)s") % {"holder": proposal.get("member_name", "")},
            expires_on=form.cleaned_data["license_expires_on"],
        )
    elif "requirement" in proposal:  # the organization's own
        evidence = form.evidence[proposal["requirement"]]
        proposal["document"] = licence_copy_upload(
            application=application,
            user=user,
            upload=upload,
            label=evidence.title,
            expires_on=form.cleaned_data["expires_on"],
            evidence_requirement=evidence,
        )
    return proposal


def _discard(proposal: dict[str, Any]) -> None:
    """A request that was refused keeps no copy it brought: nothing half-saved."""
    document = proposal.get("document")
    if document is not None:
        document.file.delete(save=False)
        document.delete()


@login_required
def change_new(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    application, staff = provider_for(request.user, pk)  # type: ignore[arg-type]
    kind = _kind(kind)
    if staff:
        raise PermissionDenied
    form_class = FORMS[kind]
    form = form_class(
        request.POST or None,
        request.FILES or None,
        application=application,
        initial=initial_for(kind, application),
    )
    if request.method == "POST" and form.is_valid():
        proposal: dict[str, Any] = {}
        try:
            proposal = _proposal(form, application, user)
            change_request = change_request_start(
                application=application, user=user, kind=kind, proposal=proposal
            )
        except OnboardingError as error:
            _discard(proposal)
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Draft saved. Send it when it is ready."))
            return redirect(change_request)
    return render(
        request,
        "changes/form.html",
        {"application": application, "form": form, "kind": Kind(kind), "change": None},
    )


@login_required
def change_detail(request: HttpRequest, pk: int, change_pk: int) -> HttpResponse:
    """One request: its answers (editable while a draft or returned), decisions and actions."""
    user: User = request.user  # type: ignore[assignment]
    application, staff = provider_for(request.user, pk)  # type: ignore[arg-type]
    change_request = change_request_for_applicant(user, application, change_pk)
    form_class = FORMS[change_request.kind]
    editing = change_request.is_editable and not staff
    # The buttons are named "do": "action" is a field of the care-team form.
    action = request.POST.get("do", "save") if request.method == "POST" else ""
    data = request.POST if action == "save" else None
    files = request.FILES if action == "save" else None
    form = form_class(data, files, application=application, initial=initial_from(change_request))
    if action and staff:
        raise PermissionDenied
    if action == "save" and form.is_valid():
        proposal: dict[str, Any] = {}
        try:
            proposal = _proposal(form, application, user)
            change_request_save(change_request=change_request, user=user, proposal=proposal)
        except OnboardingError as error:
            _discard(proposal)
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Draft saved."))
            return redirect(change_request)
    elif action in {"submit", "withdraw"}:
        try:
            if action == "submit":
                change_request_submit(change_request=change_request, user=user)
            else:
                change_request_withdraw(change_request=change_request, user=user)
        except OnboardingError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Sent. We will tell you the decision.")
                if action == "submit"
                else _("The change request is withdrawn."),
            )
        return redirect(change_request)
    change_request.refresh_from_db()
    return render(
        request,
        "changes/detail.html",
        {
            "application": application,
            "change": change_request,
            **_rows(change_request),
            "form": form if editing else None,
            "kind": Kind(change_request.kind),
            "problems": problems_of(change_request) if editing else [],
            "deficiencies": open_deficiencies_of(change_request),
            "decisions": decisions_on(change_request),
            "is_official": bool(
                getattr(user, "membership", None) and user.membership.is_authorized_official
            ),
            "is_staff": staff,
        },
    )


@login_required
def handover_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    """The nominee accepts the role of authorized official (the link in their email)."""
    user: User = request.user  # type: ignore[assignment]
    change_request = change_request_by_token(token)
    if change_request.nominee_id != user.pk:
        raise Http404  # the link is for someone else: nothing about it is shown
    if request.method == "POST":
        try:
            handover_accept(change_request=change_request, user=user)
        except OnboardingError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Thank you: you have accepted. The plan will confirm."))
        return redirect("changes:handover_accept", token=token)
    return render(request, "changes/handover_accept.html", {"change": change_request})


@staff_required
def change_review(request: HttpRequest, task_pk: int) -> HttpResponse:
    """The reviewer's page for a change request: what is asked against the record, screening of
    new people, item-by-item verdicts, and the decision."""
    user: User = request.user  # type: ignore[assignment]
    task = review_task(task_pk)
    change_request = change_request_for_task(task.process_id)
    data = request.POST if request.method == "POST" else None
    conditions = condition_rows(user, data)
    form = ReviewDecisionForm(data, by_item=True, conditions=conditions is not None)
    item_forms = change_review_forms(change_request, form.data if data else None)
    if data is not None and form.is_valid():
        verdicts = item_verdicts(
            item_forms,
            form.cleaned_data["outcome"],
            accept_remaining=form.cleaned_data["accept_remaining"],
        )
        decided = decision_with_conditions(form, conditions)
        if verdicts is None:
            form.add_error(None, _("Accept or return each item, as marked below."))
        elif decided is not None:
            returned, accepted = verdicts
            outcome, plan = decided
            try:
                change_request_decide(
                    task=task,
                    user=user,
                    outcome=outcome,
                    reason=form.cleaned_data["reason"],
                    deficiencies=returned,
                    accepted=accepted,
                    conditions=plan,
                )
            except ChangeBlocked:
                pass  # the page lists the blockers in its own alert
            except OnboardingError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("Decision recorded for %(ref)s.") % {"ref": change_request.reference},
                )
                return redirect("reviews:my_tasks")
    if data is not None:
        change_request.refresh_from_db()  # a decision may have been recorded, or refused
    application = record_for_change_review(change_request.application_id)
    change_request.application = application  # the record as read for the page, not again
    results = [
        r for r in screening_results_of(application) if r.change_request_id == change_request.pk
    ]
    return render(
        request,
        "changes/review.html",
        {
            "application": application,
            "change": change_request,
            **_rows(change_request),
            "task": task,
            "form": form,
            "conditions": conditions,
            "item_forms": item_forms,
            "is_owner": task.owner_id == user.pk,
            "blockers": approval_blockers(
                change_request, current_results=[r for r in results if r.is_current]
            )
            if change_request.is_open
            else [],
            "screening_results": results,
            "decisions": decisions_on(change_request),
            "outcomes": ReviewDecision.Outcome,
            "can_reveal": user.has_perm(REVEAL_PERMISSION),
        },
    )
