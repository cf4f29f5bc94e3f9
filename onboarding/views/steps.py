"""The applicant's step pages: fill in, save a draft, attach documents, submit.

What differs between kinds of step (forms, save service, documents, page, other actions) is
asked of the step's definition (``onboarding.steps``); these views never branch on the kind.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from data_exchange.specs import FileKind
from documents.models import Document
from documents.services import document_remove, document_upload
from documents.validators import too_large_message
from onboarding.attestation_forms import SignatureForm
from onboarding.exceptions import OnboardingError, StepIncomplete
from onboarding.forms import DeficiencyNotesMixin, DocumentUploadForm
from onboarding.models import Application, ApplicationStep
from onboarding.requirements import step_problems
from onboarding.selectors import (
    application_document,
    application_for_applicant,
    evidence_requirement,
    open_deficiencies,
    open_task,
    step_documents,
)
from onboarding.services import steps as step_services
from onboarding.signatures import signature_prefill
from onboarding.steps import STEP_FORM_ID, StepDefinition, UnknownStep, definition_for_slug
from onboarding.steps import definition_of as step_definition
from onboarding.views.error_summary import error_summary, field_anchor, problem_items
from portal.audit import client_address
from portal.models import User


def _definition(slug: str) -> StepDefinition:
    try:
        return definition_for_slug(slug)
    except UnknownStep:
        raise Http404 from None


@login_required
def step_page(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    application = application_for_applicant(user, pk)
    definition = _definition(step)
    kind = definition.kind
    step_record = application.step(kind)
    is_official = bool(user.membership.is_authorized_official)
    form = definition.main_form(application, request.POST if request.method == "POST" else None)
    signature = SignatureForm(
        request.POST
        if request.POST.get("action") == "submit" and _sent(request, SIGNATURE_PREFIX)
        else None,
        prefix=SIGNATURE_PREFIX,
        initial=signature_prefill(user),
    )
    problems: list[Any] = []
    if request.method == "POST" and step_record.is_editable:
        action = request.POST.get("action", "save")
        signing = definition.signed is not None and action == "submit"
        if form.is_valid():
            try:
                definition.save(application=application, user=user, form=form)
                if getattr(request, "document_too_large", False):
                    # The file stopped the reading of the request, and the button that sent it
                    # with it: the answers before it arrived and are saved; the file is refused.
                    messages.error(request, too_large_message())
                    return redirect("onboarding:step", pk=application.pk, step=step)
                if action == "upload":
                    _upload_document(request, application, definition, user)
                    return redirect(_documents_url(application, kind))
                if action in definition.actions:
                    return redirect(definition.actions[action](request, application, user))
                if action == "submit":
                    if signing and signature.is_bound and not signature.is_valid():
                        # The signature's own errors and everything else the section still
                        # needs, in one round.
                        raise StepIncomplete(step_problems(step_record))
                    step_services.step_submit(
                        application=application,
                        kind=kind,
                        user=user,
                        signature=_signature(request, signature)
                        if signing and signature.is_bound
                        else None,
                    )
                    messages.success(
                        request,
                        _("Submitted for review. We will email you when it has been reviewed."),
                    )
                    return redirect("onboarding:application_detail", pk=application.pk)
                messages.success(request, _("Draft saved. You can come back to it at any time."))
                return redirect("onboarding:step", pk=application.pk, step=step)
            except StepIncomplete as error:
                problems = error.problems
                messages.error(
                    request,
                    _(
                        "Your draft is saved, but the section is not ready to submit. "
                        "Please fix the items listed below."
                    ),
                )
            except OnboardingError as error:
                form.add_error(None, error.message)
        elif action == "check_sample":
            messages.error(
                request,
                _(
                    "Your sample was not checked, because some answers need fixing first "
                    "(listed below). Fix them, choose the file again and check it."
                ),
            )
        elif action == "upload" or getattr(request, "document_too_large", False):
            messages.error(
                request,
                _(
                    "Your document was not uploaded, because some answers need fixing first "
                    "(listed below). Fix them, choose the file again and upload it."
                ),
            )
    elif request.method == "POST":
        messages.error(request, _("This section can no longer be changed."))
        return redirect("onboarding:step", pk=application.pk, step=step)
    deficiencies = open_deficiencies(application)[kind]
    if isinstance(form, DeficiencyNotesMixin):
        form.show_deficiencies(deficiencies)
    extra_forms = definition.extra_forms()
    context = _step_context(application, definition, step_record, deficiencies)
    # What the page shows: an unbound signature (a page without one) adds nothing to the summary.
    forms = [form, signature, context["upload_form"], *extra_forms.values()]
    sections = _problem_sections(forms, signature)
    return render(
        request,
        definition.template_name,
        {
            **context,
            **extra_forms,
            "remaining": problem_items(context["remaining"], forms, sections, STEP_FORM_ID),
            "summary": error_summary(forms, problems, sections, STEP_FORM_ID),
            "form": form,
            "signature_form": signature,
            "problems": problems,
            "is_official": is_official,
        },
    )


SIGNATURE_PREFIX = "signature"


def _sent(request: HttpRequest, prefix: str) -> bool:
    """Whether the request carries a form's fields: only a page that shows the form sends them."""
    return request.method == "POST" and any(key.startswith(f"{prefix}-") for key in request.POST)


def _problem_sections(forms: list[BaseForm], signature: SignatureForm) -> dict[str, str]:
    """Where a problem that is no answer of the form leads: the part of the page that fixes it."""
    upload = next(
        field_anchor(f["requirement"]) for f in forms if isinstance(f, DocumentUploadForm)
    )
    return {
        "evidence": upload,
        "baa_document": upload,
        "care_team": "team-heading",
        "partners": "partners-heading",
        "capacity": "capacity-heading",
        **{f"sample_{kind}": "samples-heading" for kind in FileKind},
        # Shown (and sent) to the authorized official of a signed step only.
        "signature": field_anchor(signature["full_name"]) if signature.is_bound else STEP_FORM_ID,
    }


def _signature(request: HttpRequest, form: SignatureForm) -> step_services.Signature:
    """The typed signature with the request it came with (address and browser)."""
    return step_services.Signature(
        full_name=form.cleaned_data["full_name"],
        title=form.cleaned_data["title"],
        attestation_version=form.cleaned_data["version"],
        ip_address=client_address(request),
        user_agent=request.headers.get("user-agent", ""),
    )


def _step_context(
    application: Application,
    definition: StepDefinition,
    step_record: ApplicationStep,
    deficiencies: list[Any],
) -> dict[str, Any]:
    documents = step_documents(application, definition.kind)
    return {
        "application": application,
        "step": step_record,
        "slug": step_record.slug,
        "deficiencies": deficiencies,
        "documents": documents,
        "upload_form": DocumentUploadForm(
            choices=definition.document_choices(application),
            uploaded=_document_types(documents),
            expiring=definition.expiring_documents(application),
            form_id=STEP_FORM_ID,
        ),
        "can_submit_now": open_task(application, definition.applicant_node) is not None,
        "authorized_official": application.organization.authorized_official,
        "remaining": step_problems(step_record) if step_record.is_editable else [],
        **definition.page_context(application),
    }


def _document_types(documents: list[Document]) -> frozenset[str]:
    """The upload list's values of the documents there (see ``document_choices``)."""
    return frozenset(
        f"evidence:{d.evidence_requirement_id}" if d.evidence_requirement_id else d.requirement
        for d in documents
    )


def _documents_url(application: Application, kind: str) -> str:
    return reverse("onboarding:step", args=[application.pk, step_definition(kind).slug]) + (
        "#documents"
    )


def _upload_document(
    request: HttpRequest, application: Application, definition: StepDefinition, user: User
) -> None:
    """Store the posted document, and say whether it was (a refused file leaves nothing)."""
    files = request.FILES  # reading the body first lets the size-limit handler speak
    if getattr(request, "document_too_large", False):
        messages.error(request, too_large_message())
        return
    choices = definition.document_choices(application)
    form = DocumentUploadForm(
        request.POST, files, choices=choices, expiring=definition.expiring_documents(application)
    )
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return
    requirement: str = form.cleaned_data["requirement"]
    if requirement not in dict(choices):
        messages.error(request, _("Choose what this document is from the list."))
        return
    evidence = None
    if requirement.startswith("evidence:"):
        evidence = evidence_requirement(requirement.removeprefix("evidence:"))
    try:
        document_upload(
            application=application,
            step_kind=definition.kind,
            user=user,
            upload=form.cleaned_data["file"],
            requirement=requirement,
            evidence_requirement=evidence,
            expires_on=form.cleaned_data.get("expires_on"),
        )
    except OnboardingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Document uploaded."))


@login_required
@require_POST
def document_upload_view(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """A document on its own, without the step's answers (the step page sends both, to
    ``step_page``, so that nothing typed is lost)."""
    user: User = request.user  # type: ignore[assignment]
    application = application_for_applicant(user, pk)
    definition = _definition(step)
    _upload_document(request, application, definition, user)
    return redirect(_documents_url(application, definition.kind))


@login_required
def document_remove_view(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    """Ask, then remove a document from a step that can still be changed."""
    user: User = request.user  # type: ignore[assignment]
    application = application_for_applicant(user, pk)
    document = application_document(application, document_pk)
    back = _documents_url(application, document.step_kind)
    if request.method != "POST":
        return render(
            request,
            "onboarding/remove_confirm.html",
            {
                "application": application,
                "heading": _("Remove the document %(name)s?") % {"name": document.original_name},
                "explanation": _(
                    "“%(name)s” (%(what)s) will be removed from this section. You can upload "
                    "it again later."
                )
                % {"name": document.original_name, "what": document.requirement},
                "confirm": _("Remove the document"),
                "cancel": _("Keep the document"),
                "back": back,
            },
        )
    try:
        document_remove(document=document, user=user)
    except OnboardingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Document removed."))
    return redirect(back)
