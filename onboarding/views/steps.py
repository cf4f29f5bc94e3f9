"""The applicant's step pages: fill in, save a draft, attach documents, submit."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from documents.services import document_remove, document_upload
from documents.validators import too_large_message
from onboarding.attestation_forms import CriteriaForm, SignatureForm
from onboarding.data_exchange.selectors import sample_check_of, sample_file_overview
from onboarding.data_exchange.services import sample_file_check_queue
from onboarding.data_exchange.specs import FileKind
from onboarding.exceptions import OnboardingError, StepIncomplete
from onboarding.forms import (
    DataSharingForm,
    DeficiencyNotesMixin,
    DocumentUploadForm,
    EntityProfileForm,
    SampleFileForm,
)
from onboarding.models import Application, ApplicationStep, EvidenceRequirement, SampleFileCheck
from onboarding.reference import QualificationCriterion
from onboarding.requirements import BAA_DOCUMENT, criterion_evidence_label, step_problems
from onboarding.selectors import application_for_applicant, open_deficiencies
from onboarding.services import steps as step_services
from onboarding.services.workflow import APPLICANT_NODES, open_task
from onboarding.views.access import client_ip
from onboarding.views.attestations import attestation_context
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


def _main_form(application: Application, kind: str, data: Any = None) -> BaseForm:
    if kind == Kind.ENTITY:
        return EntityProfileForm(data, instance=application.entity_profile)
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
        if request.method == "POST" and request.POST.get("action") == "submit"
        else None,
        prefix="signature",
        initial={"full_name": user.display_name, "title": user.membership.title},
    )
    problems: list[Any] = []
    if request.method == "POST" and step_record.is_editable:
        action = request.POST.get("action", "save")
        signing = kind == Kind.ATTESTATIONS and action == "submit"
        if form.is_valid():
            try:
                _save_draft(application, kind, user, form)
                if action == "check_sample" and kind == Kind.DATA_SHARING:
                    check = _check_sample(request, application, user)
                    if check is not None:
                        return redirect(check_progress_url(check))
                    return redirect(_samples_url(application))
                if action == "submit":
                    if signing and not signature.is_valid():
                        raise StepIncomplete([])
                    step_services.step_submit(
                        application=application,
                        kind=kind,
                        user=user,
                        signature=_signature(request, signature) if signing else None,
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
                _attach_problems(form, problems)
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
    elif request.method == "POST":
        messages.error(request, _("This section can no longer be changed."))
        return redirect("onboarding:step", pk=application.pk, step=step)
    if isinstance(form, DeficiencyNotesMixin):
        form.show_deficiencies(open_deficiencies(application)[kind])
    return render(
        request,
        f"onboarding/step_{kind}.html",
        {
            **_step_context(application, kind, step_record),
            "form": form,
            "signature_form": signature,
            "problems": problems,
            "is_official": is_official,
        },
    )


def _signature(request: HttpRequest, form: SignatureForm) -> step_services.Signature:
    """The typed signature with the request it came with (address and browser)."""
    return step_services.Signature(
        full_name=form.cleaned_data["full_name"],
        title=form.cleaned_data["title"],
        attestation_version=form.cleaned_data["version"],
        ip_address=client_ip(request),
        user_agent=request.headers.get("user-agent", ""),
    )


def _attach_problems(form: BaseForm, problems: list[Any]) -> None:
    for problem in problems:
        if problem.field in form.fields:
            form.add_error(problem.field, problem.message)


def _step_context(
    application: Application, kind: str, step_record: ApplicationStep
) -> dict[str, Any]:
    task_open = open_task(application, APPLICANT_NODES[Kind(kind)]) is not None
    return {
        "application": application,
        "step": step_record,
        "slug": step_record.slug,
        "deficiencies": open_deficiencies(application)[kind],
        "documents": application.documents.filter(step_kind=kind),
        "upload_form": DocumentUploadForm(choices=document_choices(application, kind)),
        "can_submit_now": task_open,
        "remaining": step_problems(step_record) if step_record.is_editable else [],
        **(attestation_context(application) if kind == Kind.ATTESTATIONS else {}),
        "entity_profile": application.entity_profile,
        "data_sharing": application.data_sharing,
        "evidence_checklist": evidence_checklist(application) if kind == Kind.ENTITY else [],
        **(
            {
                "sample_form": SampleFileForm(prefix="sample", form_id="step-form"),
                "sample_kinds": sample_file_overview(application, with_columns=True),
            }
            if kind == Kind.DATA_SHARING
            else {}
        ),
    }


@login_required
@require_POST
def sample_file_check_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue the check of an uploaded sample RTF or OTF and show its progress."""
    user: User = request.user  # type: ignore[assignment]
    application = application_for_applicant(user, pk)
    check = _check_sample(request, application, user)
    if check is None:
        return redirect("onboarding:step", pk=pk, step="data-sharing")
    return redirect(check_progress_url(check))


def _check_sample(
    request: HttpRequest, application: Application, user: User
) -> SampleFileCheck | None:
    """Queue the posted sample's check; None, with a message saying why, if it was refused."""
    form = SampleFileForm(request.POST, request.FILES, prefix="sample")
    if not form.is_valid():
        for upload in request.FILES.getlist("sample-file"):
            upload.close()  # the sample is never kept, even when the form is refused
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return None
    try:
        return sample_file_check_queue(
            application=application,
            user=user,
            kind=FileKind(form.cleaned_data["kind"]),
            upload=form.cleaned_data["file"],
        )
    except OnboardingError as error:
        messages.error(request, error.message)
        return None


def check_progress_url(check: SampleFileCheck) -> str:
    return reverse("onboarding:sample_file_check_progress", args=[check.application_id, check.pk])


def _samples_url(application: Application) -> str:
    return reverse("onboarding:step", args=[application.pk, "data-sharing"]) + "#samples"


# A check that has not ended this long after it was asked for was probably lost (a worker
# stopped by its hard time limit cannot record anything); the page says so.
CHECK_OVERDUE_AFTER = timedelta(seconds=120)


@login_required
def sample_file_check_progress(request: HttpRequest, pk: int, check_pk: int) -> HttpResponse:
    """While the check runs, a page that reloads itself; once it has ended, what it found, on
    the data-sharing step with the report."""
    user: User = request.user  # type: ignore[assignment]
    application = application_for_applicant(user, pk)
    check = sample_check_of(application, check_pk)
    if check.is_finished:
        _say_outcome(request, check)
        return redirect(_samples_url(application))
    overdue = timezone.now() - check.requested_at > CHECK_OVERDUE_AFTER + timedelta(
        seconds=settings.SAMPLE_CHECK_MAX_SECONDS
    )
    response = render(
        request,
        "onboarding/sample_check_progress.html",
        {"application": application, "check": check, "overdue": overdue},
    )
    # The Refresh header reloads the page as <meta http-equiv="refresh"> would, with no script
    # (the Content Security Policy allows no inline script).
    response["Refresh"] = "15" if overdue else "2"
    return response


def _say_outcome(request: HttpRequest, check: SampleFileCheck) -> None:
    report = check.report
    if report is None:
        messages.error(request, check.failure_message)
    elif report.passed:
        messages.success(
            request,
            _(
                "Your sample %(kind)s passed the check. The file has been deleted; "
                "the report is kept below."
            )
            % {"kind": check.kind.upper()},
        )
    else:
        messages.warning(
            request,
            _(
                "The check of your sample %(kind)s found %(n)d problem(s), listed below. "
                "The file has been deleted. Correct the problems and upload it again."
            )
            % {"kind": check.kind.upper(), "n": report.problem_count},
        )


@login_required
@require_POST
def document_upload_view(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    application = application_for_applicant(user, pk)
    kind = _kind(step)
    files = request.FILES  # reading the body first lets the size-limit handler speak
    if getattr(request, "document_too_large", False):
        messages.error(request, too_large_message())
        return redirect("onboarding:step", pk=pk, step=step)
    form = DocumentUploadForm(request.POST, files, choices=document_choices(application, kind))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("onboarding:step", pk=pk, step=step)
    requirement: str = form.cleaned_data["requirement"]
    if requirement not in dict(document_choices(application, kind)):
        messages.error(request, _("Choose what this document is from the list."))
        return redirect("onboarding:step", pk=pk, step=step)
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
    return redirect("onboarding:step", pk=pk, step=step)


@login_required
@require_POST
def document_remove_view(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    application = application_for_applicant(user, pk)
    document = get_object_or_404(application.documents, pk=document_pk)
    try:
        document_remove(document=document, user=user)
    except OnboardingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Document removed."))
    return redirect("onboarding:step", pk=pk, step=ApplicationStep(kind=document.step_kind).slug)
