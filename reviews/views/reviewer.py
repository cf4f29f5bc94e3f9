"""The plan staff's workbench: queues, the application page and the decision form."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from changes.selectors import change_requests_of
from corrective_actions.forms import (
    condition_rows,
    decision_with_conditions,
)
from onboarding.exceptions import OnboardingError
from onboarding.models import Application
from onboarding.nodes import stage_of
from onboarding.selectors import (
    application_for_review_task,
    application_header_for_staff,
    possible_duplicates,
    review_task,
)
from onboarding.steps import StepDefinition, definition_of
from portal.decorators import staff_required
from portal.models import User
from portal.roles import is_network_manager
from providers.selectors import network_status_panel, standing_of
from recredentialing.differences import changes_since_approval
from reviews.application_rows import applications_found, rendered_rows
from reviews.forms import DeficiencyFormSet, InternalNoteForm, ReviewDecisionForm
from reviews.models import ReviewDecision
from reviews.queues import (
    Page,
    WorkbenchFilterForm,
    can_reassign,
    my_review_work,
    review_queue,
    staff_reviewers,
    team_review_work,
)
from reviews.record_sections import record_sections
from reviews.rendering_cache import code_version
from reviews.review_items import deficiency_requirements, item_verdicts
from reviews.selectors import internal_notes_of, open_review_work, reviewed_steps_of
from reviews.services.decisions import (
    DeficiencyItem,
    ScreeningBlocked,
    review_decide,
    task_claim,
    task_release,
)
from reviews.submission_diff import Change
from screening.models import ScreeningResult
from screening.selectors import confirmed_match_reason, screening_results_of, stage_blockers

Stage = ReviewDecision.Stage
Outcome = ReviewDecision.Outcome


def _filter_form(request: HttpRequest, *, sorts: list[Any], reviewers: bool) -> WorkbenchFilterForm:
    return WorkbenchFilterForm(request.GET, sorts=sorts, reviewers=reviewers)


def _page_links(form: WorkbenchFilterForm, page: Page) -> dict[str, str]:
    return {
        "previous_query": form.query_string(page=page.number - 1),
        "next_query": form.query_string(page=page.number + 1),
    }


def _queue_page(
    request: HttpRequest, form: WorkbenchFilterForm, page: Page, **context: Any
) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    return render(
        request,
        "reviews/queue.html",
        {
            "form": form,
            "page": page,
            "rows": page.rows,
            **_page_links(form, page),
            "today": timezone.localdate(),
            "can_reassign": can_reassign(user),
            "reviewers": staff_reviewers() if can_reassign(user) else [],
            **context,
        },
    )


@staff_required
def queue(request: HttpRequest) -> HttpResponse:
    form = _filter_form(request, sorts=WorkbenchFilterForm.QUEUE_SORTS, reviewers=False)
    return _queue_page(
        request,
        form,
        review_queue(request.user, form.filters()),  # type: ignore[arg-type]
        title=_("Review queue"),
        empty=_("Nothing is waiting to be claimed."),
        claimable=True,
    )


@staff_required
def my_tasks(request: HttpRequest) -> HttpResponse:
    form = _filter_form(request, sorts=WorkbenchFilterForm.QUEUE_SORTS, reviewers=False)
    return _queue_page(
        request,
        form,
        my_review_work(request.user, form.filters()),  # type: ignore[arg-type]
        title=_("My tasks"),
        empty=_("You have no claimed reviews. Claim one from the review queue."),
        claimable=False,
        mine=True,
    )


@staff_required
def team_work(request: HttpRequest) -> HttpResponse:
    form = _filter_form(request, sorts=WorkbenchFilterForm.QUEUE_SORTS, reviewers=True)
    return _queue_page(
        request,
        form,
        team_review_work(form.filters()),
        title=_("All open reviews"),
        empty=_("No review is open."),
        claimable=True,
        show_owner=True,
    )


@staff_required
def application_list(request: HttpRequest) -> HttpResponse:
    form = WorkbenchFilterForm.for_applications(request.GET)
    page = applications_found(form.filters())
    return render(
        request,
        "reviews/applications.html",
        {
            "form": form,
            "page": page,
            "rows": rendered_rows(page.rows),
            **_page_links(form, page),
            "form_query": form.query_string(page=None),
            "can_export": is_network_manager(request.user),
        },
    )


@staff_required
def application_page(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    # The record itself is read only when its sections are not in the cache for this version.
    application = application_header_for_staff(pk)
    return render(
        request,
        "reviews/application.html",
        {
            "application": application,
            "record": record_sections(user, pk),
            **_screening_context(screening_results_of(application)),
            "work": open_review_work(application),
            "standing": standing_of(application),
            "network": network_status_panel(application, manager=is_network_manager(user)),
            "change_requests": list(change_requests_of(application)[:20])
            if application.status in Application.PROVIDER_STATUSES
            else None,
            "duplicates": possible_duplicates(
                application.organization,
                npi=getattr(getattr(application, "entity_profile", None), "npi", ""),
            ),
            "notes": internal_notes_of(application),
            "note_form": InternalNoteForm(),
            "today": timezone.localdate(),
            "can_reassign": can_reassign(user),
            "reviewers": staff_reviewers() if can_reassign(user) else [],
        },
    )


def _screening_context(screening: list[ScreeningResult]) -> dict[str, Any]:
    """The screening results beside the entity's section, where reviewers adjudicate them."""
    return {
        "screening": _current(screening),
        "screening_earlier": sum(not result.is_current for result in screening),
    }


def _current(screening: list[ScreeningResult]) -> list[ScreeningResult]:
    return [result for result in screening if result.is_current]


def _changes(definition: StepDefinition | None, application: Application) -> list[Change] | None:
    """What changed since the step was last returned, where its reviewers are shown that."""
    if definition is None or definition.changes is None:
        return None
    return definition.changes(application)


@staff_required
@require_POST
def claim(request: HttpRequest, task_pk: int) -> HttpResponse:
    task = review_task(task_pk)
    try:
        task_claim(task=task, user=request.user)  # type: ignore[arg-type]
    except OnboardingError as error:
        messages.error(request, error.message)
        return redirect("reviews:queue")
    # Claiming is the first step of reviewing, so it lands on the decision page, not a list.
    messages.success(request, _("The review is yours."))
    return redirect("reviews:decide", task_pk=task.pk)


@staff_required
@require_POST
def release(request: HttpRequest, task_pk: int) -> HttpResponse:
    task = review_task(task_pk)
    try:
        task_release(task=task, user=request.user)  # type: ignore[arg-type]
    except OnboardingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The review is back in the queue."))
    return redirect("reviews:my_tasks")


@staff_required
def decide(request: HttpRequest, task_pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    task = review_task(task_pk)
    stage = stage_of(task)
    if stage == Stage.CHANGE:  # a change request has its own page (changes.views)
        return redirect("changes:review", task_pk=task.pk)
    final = stage == Stage.FINAL
    requirements = [] if final else deficiency_requirements(stage)
    data = request.POST if request.method == "POST" else None
    # The whole record is read to show the page, not to record a decision: a decision that is
    # recorded redirects without it (the reviewer's commonest request after opening the page).
    application = None if data is not None else application_for_review_task(task)
    # The screening results, read once for the denial reason, the results and the blockers.
    screening = None if application is None else screening_results_of(application)
    confirmed = "" if final or screening is None else confirmed_match_reason(_current(screening))
    initial = {"outcome": ReviewDecision.Outcome.DENY, "reason": confirmed} if confirmed else {}
    definition = None if final else definition_of(stage)
    item_review_forms = definition.item_review_forms if definition else None
    by_item = item_review_forms is not None
    conditions = condition_rows(user, data) if final else None
    form = ReviewDecisionForm(
        data, final=final, by_item=by_item, conditions=conditions is not None, initial=initial
    )
    formset = DeficiencyFormSet(
        data, form_kwargs={"requirements": requirements}, prefix="deficiency"
    )
    item_forms = item_review_forms(form.data if data else None) if item_review_forms else []
    if request.method == "POST" and form.is_valid() and (final or formset.is_valid()):
        items = (
            []
            if final
            else [
                DeficiencyItem(
                    f.cleaned_data["requirement"],
                    f.cleaned_data["reason"],
                    f.cleaned_data["comment"],
                    reason_code=f.cleaned_data["reason_code"],
                )
                for f in formset.forms
                if f.cleaned_data.get("requirement")
            ]
        )
        verdicts = (
            item_verdicts(
                item_forms,
                form.cleaned_data["outcome"],
                accept_remaining=form.cleaned_data["accept_remaining"],
            )
            if by_item
            else ([], [])
        )
        decided = decision_with_conditions(form, conditions)
        if verdicts is None:
            form.add_error(None, _("Accept or return each item, as marked below."))
        elif decided is not None:
            returned, accepted = verdicts
            outcome, plan = decided
            try:
                decision = review_decide(
                    task=task,
                    user=user,
                    outcome=outcome,
                    reason=form.cleaned_data["reason"],
                    deficiencies=returned + items,
                    accepted=accepted,
                    conditions=plan,
                )
            except ScreeningBlocked:
                # The page lists the screening findings in its own alert; saying them again
                # here would put the same message on the page twice.
                pass
            except OnboardingError as error:
                if task.owner_id == user.pk:
                    form.add_error(None, error.message)
                else:
                    messages.error(request, error.message)
            else:
                messages.success(
                    request,
                    _("Decision recorded for %(ref)s.") % {"ref": decision.application.reference},
                )
                return redirect("reviews:my_tasks")
    if application is None or screening is None:
        application = application_for_review_task(task)
        screening = screening_results_of(application)
    return render(
        request,
        "reviews/decide.html",
        {
            "application": application,
            "record": record_sections(user, application.pk),
            **_screening_context(screening),
            "task": task,
            "stage": stage,
            "stage_label": Stage(stage).label,
            "step": None if final else application.step(stage),
            "form": form,
            "formset": formset,
            "conditions": conditions,
            "item_forms": item_forms,
            "changes": _changes(definition, application),
            "since_approval": changes_since_approval(application, stage)
            if application.is_recredentialing and not final
            else None,
            "is_owner": task.owner_id == user.pk,
            # The blank rows of the form are cached (reviews/_decision_rows.html).
            "code_version": code_version(),
            "rows_seconds": settings.RECORD_CACHE_SECONDS,
            "conflict": final and reviewed_steps_of(application, user),
            "screening_blockers": [] if final else stage_blockers(_current(screening), stage),
        },
    )
