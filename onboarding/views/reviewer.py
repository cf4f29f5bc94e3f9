"""The plan staff's workbench: queues, the application page and the decision form."""

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onboarding.data_exchange.selectors import sample_file_overview
from onboarding.data_exchange.specs import FileKind
from onboarding.exceptions import OnboardingError
from onboarding.forms import (
    DataSharingForm,
    DeficiencyFormSet,
    EntityProfileForm,
    ReviewDecisionForm,
)
from onboarding.models import Application, ApplicationStep, ReviewDecision
from onboarding.reference import QualificationCriterion
from onboarding.selectors import (
    application_for_staff,
    applications_for_staff,
    my_review_tasks,
    open_deficiencies,
    open_review_tasks,
    review_queue,
    review_task,
)
from onboarding.services.reviews import (
    DeficiencyItem,
    review_decide,
    reviewed_steps_of,
    task_claim,
    task_release,
)
from onboarding.services.workflow import stage_of
from onboarding.views.access import staff_required
from onboarding.views.progress import progress_of
from portal.models import User

Stage = ReviewDecision.Stage


@staff_required
def queue(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "onboarding/review/queue.html",
        {
            "rows": review_queue(request.user),  # type: ignore[arg-type]
            "title": _("Review queue"),
            "empty": _("Nothing is waiting to be claimed."),
            "claimable": True,
        },
    )


@staff_required
def my_tasks(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "onboarding/review/queue.html",
        {
            "rows": my_review_tasks(request.user),  # type: ignore[arg-type]
            "title": _("My tasks"),
            "empty": _("You have no claimed reviews. Claim one from the review queue."),
            "claimable": False,
        },
    )


@staff_required
def application_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in Application.Status.values:
        status = ""
    page = Paginator(applications_for_staff(status or None), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "onboarding/review/applications.html",
        {
            "page": page,
            "status": status,
            "statuses": Application.Status.choices,
        },
    )


@staff_required
def application_page(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for_staff(pk)
    return render(
        request,
        "onboarding/review/application.html",
        {
            **_application_context(application),
            "tasks": open_review_tasks(application),
        },
    )


def _application_context(application: Application) -> dict[str, Any]:
    return {
        "application": application,
        "progress": progress_of(application),
        "profile": application.entity_profile,
        "attestation": application.capability_attestation,
        "criteria": application.criterion_attestations.all(),
        "care_team": application.care_team.all(),
        "capacities": application.capacities.all(),
        "data_sharing": application.data_sharing,
        "documents": application.documents.select_related("uploaded_by"),
        "screening": application.screening_results.all(),
        "decisions": application.decisions.select_related("reviewer").prefetch_related(
            "deficiencies"
        ),
        "deficiencies": open_deficiencies(application),
        "events": application.events.select_related("actor")[:100],
        "delivery": getattr(application, "packet_delivery", None),
        "sample_kinds": sample_file_overview(application),
    }


@staff_required
@require_POST
def claim(request: HttpRequest, task_pk: int) -> HttpResponse:
    task = review_task(task_pk)
    try:
        task_claim(task=task, user=request.user)  # type: ignore[arg-type]
    except OnboardingError as error:
        messages.error(request, error.message)
        return redirect("onboarding:review_queue")
    messages.success(request, _("The review is yours."))
    return redirect("onboarding:review_decide", task_pk=task.pk)


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
    return redirect("onboarding:my_tasks")


def deficiency_requirements(stage: str) -> list[tuple[str, str]]:
    """The items a reviewer can return, named as the applicant's form names them."""
    form: BaseForm
    if stage == Stage.ENTITY:
        form = EntityProfileForm()
        return [(name, str(field.label)) for name, field in form.fields.items()] + [
            ("evidence", _("Evidence documents")),
            ("general", _("General")),
        ]
    if stage == Stage.ATTESTATIONS:
        return [
            *(
                (f"criterion_{c.value}", _("Criterion %(n)d") % {"n": c.value})
                for c in QualificationCriterion
            ),
            ("care_team", _("Care-team roster")),
            ("capacity", _("Populations and capacity")),
            ("signature", _("Signature")),
            ("general", _("General")),
        ]
    form = DataSharingForm()
    return [(name, str(field.label)) for name, field in form.fields.items()] + [
        ("baa_document", _("Signed business associate agreement (document)")),
        *((f"sample_{kind}", _("Sample %(kind)s") % {"kind": kind.upper()}) for kind in FileKind),
        ("general", _("General")),
    ]


@staff_required
def decide(request: HttpRequest, task_pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    task = review_task(task_pk)
    stage = stage_of(task)
    application = application_for_staff(task.process.coerced.application.pk)
    final = stage == Stage.FINAL
    requirements = [] if final else deficiency_requirements(stage)
    data = request.POST if request.method == "POST" else None
    form = ReviewDecisionForm(data, final=final)
    formset = DeficiencyFormSet(
        data, form_kwargs={"requirements": requirements}, prefix="deficiency"
    )
    if request.method == "POST" and form.is_valid() and (final or formset.is_valid()):
        items = (
            []
            if final
            else [
                DeficiencyItem(
                    f.cleaned_data["requirement"],
                    f.cleaned_data["reason"],
                    f.cleaned_data["comment"],
                )
                for f in formset.forms
                if f.cleaned_data.get("requirement")
            ]
        )
        try:
            review_decide(
                task=task,
                user=user,
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
                deficiencies=items,
            )
        except OnboardingError as error:
            if task.owner_id == user.pk:
                form.add_error(None, error.message)
            else:
                messages.error(request, error.message)
        else:
            messages.success(
                request, _("Decision recorded for %(ref)s.") % {"ref": application.reference}
            )
            return redirect("onboarding:my_tasks")
    return render(
        request,
        "onboarding/review/decide.html",
        {
            **_application_context(application),
            "task": task,
            "stage": stage,
            "stage_label": Stage(stage).label,
            "step": None if final else application.step(stage),
            "form": form,
            "formset": formset,
            "is_owner": task.owner_id == user.pk,
            "conflict": final and reviewed_steps_of(application, user),
            "step_kinds": ApplicationStep.Kind,
        },
    )
