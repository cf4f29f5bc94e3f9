"""The applicant's step pages: fill in, save a draft, attach documents, submit."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from data_exchange.forms import SampleFileForm
from data_exchange.sample_uploads import check_progress_url, sample_check_queue_posted, samples_url
from data_exchange.selectors import sample_file_overview
from data_exchange.specs import FileKind
from data_exchange.validation import accepted_date_formats
from documents.models import Document
from documents.services import document_remove, document_upload
from documents.validators import too_large_message
from onboarding.attestation_forms import CriteriaForm, SignatureForm
from onboarding.attested_content import SIGNED_STEPS, signature_state
from onboarding.exceptions import OnboardingError, StepIncomplete
from onboarding.forms import (
    DataSharingForm,
    DeficiencyNotesMixin,
    DocumentUploadForm,
    EntityProfileForm,
)
from onboarding.models import Application, ApplicationStep, EvidenceRequirement, Membership
from onboarding.reference import QualificationCriterion
from onboarding.requirements import BAA_DOCUMENT, criterion_evidence_label, step_problems
from onboarding.selectors import application_for_applicant, open_deficiencies, possible_duplicates
from onboarding.services import steps as step_services
from onboarding.services.workflow import APPLICANT_NODES, open_task
from onboarding.signatures import signature_prefill
from onboarding.views.attestations import attestation_context
from onboarding.views.error_summary import error_summary, field_anchor, problem_items
from portal.decorators import client_ip
from portal.models import User

Kind = ApplicationStep.Kind
STEP_SLUGS = {
    "entity": Kind.ENTITY,
    "attestations": Kind.ATTESTATIONS,
    "data-sharing": Kind.DATA_SHARING,
}


def _kind(step: str) -> Kind:
    try:
        return STEP_SLUGS[step]
    except KeyError:
        raise Http404 from None


def document_choices(application: Application, kind: str) -> list[tuple[str, str]]:
    """What an applicant may say a document is, for the step's upload form."""
    if kind == Kind.ENTITY:
        requirements = EvidenceRequirement.objects.filter(
            entity_type__in=application.entity_profile.entity_types.all()
        ).select_related("entity_type")
        choices = [
            (f"evidence:{r.pk}", f"{r.title}{'' if r.is_required else _(' (optional)')}")
            for r in requirements
        ]
        return [*choices, ("Other supporting document", _("Other supporting document"))]
    if kind == Kind.ATTESTATIONS:
        return [
            *(
                (
                    criterion_evidence_label(c.value),
                    _("Evidence for criterion %(n)d") % {"n": c.value},
                )
                for c in QualificationCriterion
            ),
            ("Partner agreement", _("Partner agreement (MOU, contract)")),
        ]
    return [
        (BAA_DOCUMENT, _("Signed business associate agreement")),
        ("Data Exchange Framework agreement", _("Data Exchange Framework agreement")),
        ("Other supporting document", _("Other supporting document")),
    ]


def evidence_checklist(application: Application) -> list[dict[str, Any]]:
    """Each chosen entity type with its evidence items and whether each is uploaded yet."""
    uploaded = set(
        application.documents.filter(evidence_requirement__isnull=False).values_list(
            "evidence_requirement_id", flat=True
        )
    )
    return [
        {
            "entity_type": entity_type,
            "items": [
                {"requirement": r, "uploaded": r.pk in uploaded}
                for r in entity_type.evidence_requirements.all()
            ],
        }
        for entity_type in application.entity_profile.entity_types.prefetch_related(
            "evidence_requirements"
        )
    ]


def _official_prefill(application: Application) -> dict[str, str]:
    """The authorized official's name (given at sign-up) and title (given when the organization
    was set up), for the entity step's answers that are still empty: asked once, not twice."""
    profile = application.entity_profile
    official = (
        application.organization.memberships.filter(role=Membership.Role.AUTHORIZED_OFFICIAL)
        .select_related("user")
        .first()
    )
    known = {
        "official_name": official.user.full_name if official else "",
        "official_title": official.title if official else "",
    }
    return {field: value for field, value in known.items() if value and not getattr(profile, field)}


def _main_form(application: Application, kind: str, data: Any = None) -> BaseForm:
    if kind == Kind.ENTITY:
        return EntityProfileForm(
            data, instance=application.entity_profile, initial=_official_prefill(application)
        )
    if kind == Kind.DATA_SHARING:
        return DataSharingForm(data, instance=application.data_sharing)
    rows = {row.criterion: row for row in application.criterion_attestations.all()}
    attestation = application.capability_attestation
    initial: dict[str, Any] = {
        "languages_offered": attestation.languages_offered,
        "care_settings": attestation.care_settings,
        "setting_other_detail": attestation.setting_other_detail,
    }
    for n, row in rows.items():
        initial[f"criterion_{n}"] = row.attested
        initial[f"narrative_{n}"] = row.narrative
    return CriteriaForm(data, initial=initial)


def _save_draft(application: Application, kind: str, user: User, form: BaseForm) -> None:
    if kind == Kind.ENTITY:
        step_services.entity_profile_save(
            application=application, user=user, data=form.cleaned_data
        )
    elif kind == Kind.DATA_SHARING:
        step_services.data_sharing_save(application=application, user=user, data=form.cleaned_data)
    elif isinstance(form, CriteriaForm):
        step_services.attestations_save(
            application=application,
            user=user,
            criteria=form.criteria(),
            languages_offered=form.cleaned_data["languages_offered"],
            care_settings=form.cleaned_data["care_settings"],
            setting_other_detail=form.cleaned_data["setting_other_detail"],
        )


@login_required
def step_page(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    application = application_for_applicant(user, pk)
    kind = _kind(step)
    step_record = application.step(kind)
    is_official = bool(user.membership.is_authorized_official)
    form = _main_form(application, kind, request.POST if request.method == "POST" else None)
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
        signing = kind in SIGNED_STEPS and action == "submit"
        if form.is_valid():
            try:
                _save_draft(application, kind, user, form)
                if getattr(request, "document_too_large", False):
                    # The file stopped the reading of the request, and the button that sent it
                    # with it: the answers before it arrived and are saved; the file is refused.
                    messages.error(request, too_large_message())
                    return redirect("onboarding:step", pk=application.pk, step=step)
                if action == "upload":
                    _upload_document(request, application, kind, user)
                    return redirect(_documents_url(application, kind))
                if action == "check_sample" and kind == Kind.DATA_SHARING:
                    check = sample_check_queue_posted(request, application, user)
                    if check is not None:
                        return redirect(check_progress_url(check))
                    return redirect(samples_url(application))
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
    if isinstance(form, DeficiencyNotesMixin):
        form.show_deficiencies(open_deficiencies(application)[kind])
    context = _step_context(application, kind, step_record)
    # What the page shows: an unbound signature (a page without one) adds nothing to the summary.
    forms = [form, signature, context["upload_form"], *_optional(context.get("sample_form"))]
    sections = _problem_sections(forms, signature)
    return render(
        request,
        f"onboarding/step_{kind}.html",
        {
            **context,
            "remaining": problem_items(context["remaining"], forms, sections, STEP_FORM_ID),
            "summary": error_summary(forms, problems, sections, STEP_FORM_ID),
            "form": form,
            "signature_form": signature,
            "problems": problems,
            "is_official": is_official,
        },
    )


SIGNATURE_PREFIX = "signature"
STEP_FORM_ID = "step-form"  # the <form> of the step's answers (templates/onboarding/step_base.html)


def _sent(request: HttpRequest, prefix: str) -> bool:
    """Whether the request carries a form's fields: only a page that shows the form sends them."""
    return request.method == "POST" and any(key.startswith(f"{prefix}-") for key in request.POST)


def _optional(form: BaseForm | None) -> list[BaseForm]:
    return [] if form is None else [form]


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
        ip_address=client_ip(request),
        user_agent=request.headers.get("user-agent", ""),
    )


def _step_context(
    application: Application, kind: str, step_record: ApplicationStep
) -> dict[str, Any]:
    task_open = open_task(application, APPLICANT_NODES[Kind(kind)]) is not None
    documents = list(application.documents.filter(step_kind=kind))
    return {
        "application": application,
        "step": step_record,
        "slug": step_record.slug,
        "deficiencies": open_deficiencies(application)[kind],
        "documents": documents,
        "upload_form": DocumentUploadForm(
            choices=document_choices(application, kind),
            uploaded=_document_types(documents),
            form_id=STEP_FORM_ID,
        ),
        "can_submit_now": task_open,
        "authorized_official": application.organization.authorized_official,
        "remaining": step_problems(step_record) if step_record.is_editable else [],
        **(attestation_context(application) if kind == Kind.ATTESTATIONS else {}),
        "entity_profile": application.entity_profile,
        "data_sharing": application.data_sharing,
        "evidence_checklist": evidence_checklist(application) if kind == Kind.ENTITY else [],
        # Said without naming the other organization: its name is its own business.
        "maybe_duplicate": kind == Kind.ENTITY
        and bool(possible_duplicates(application.organization, npi=application.entity_profile.npi)),
        **(
            {
                "sample_form": SampleFileForm(prefix="sample", form_id="step-form"),
                "sample_kinds": sample_file_overview(application, with_columns=True),
                "date_formats": accepted_date_formats(),
                "data_sharing_signature": signature_state(application, Kind.DATA_SHARING),
            }
            if kind == Kind.DATA_SHARING
            else {}
        ),
    }


def _document_types(documents: list[Document]) -> frozenset[str]:
    """The upload list's values of the documents there (see ``document_choices``)."""
    return frozenset(
        f"evidence:{d.evidence_requirement_id}" if d.evidence_requirement_id else d.requirement
        for d in documents
    )


def _documents_url(application: Application, kind: str) -> str:
    return reverse("onboarding:step", args=[application.pk, ApplicationStep(kind=kind).slug]) + (
        "#documents"
    )


def _upload_document(request: HttpRequest, application: Application, kind: str, user: User) -> None:
    """Store the posted document, and say whether it was (a refused file leaves nothing)."""
    files = request.FILES  # reading the body first lets the size-limit handler speak
    if getattr(request, "document_too_large", False):
        messages.error(request, too_large_message())
        return
    choices = document_choices(application, kind)
    form = DocumentUploadForm(request.POST, files, choices=choices)
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
        evidence = get_object_or_404(EvidenceRequirement, pk=requirement.removeprefix("evidence:"))
    try:
        document_upload(
            application=application,
            step_kind=kind,
            user=user,
            upload=form.cleaned_data["file"],
            requirement=requirement,
            evidence_requirement=evidence,
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
    kind = _kind(step)
    _upload_document(request, application, kind, user)
    return redirect(_documents_url(application, kind))


@login_required
def document_remove_view(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    """Ask, then remove a document from a step that can still be changed."""
    user: User = request.user  # type: ignore[assignment]
    application = application_for_applicant(user, pk)
    document = get_object_or_404(application.documents, pk=document_pk)
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
