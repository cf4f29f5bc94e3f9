"""Data-sharing readiness: how member files are exchanged, HIPAA safeguards, the business
associate agreement and checked sample files, signed by the authorized official."""

from typing import Any

from django.forms import BaseForm
from django.http import HttpRequest
from django.utils.translation import gettext as _

from data_exchange.forms import SampleFileForm
from data_exchange.sample_uploads import check_progress_url, sample_check_queue_posted, samples_url
from data_exchange.selectors import current_specification, latest_reports, sample_file_overview
from data_exchange.specs import FileKind
from data_exchange.validation import accepted_date_formats
from onboarding.attested_content import SignedStep, data_sharing_content, signature_state
from onboarding.exceptions import Problem
from onboarding.flows import OnboardingFlow
from onboarding.forms import DataSharingForm
from onboarding.models import Application, ApplicationStep, DataSharingProfile
from onboarding.reference import DataExchangeMethod
from onboarding.requirements import BAA_DOCUMENT
from onboarding.services.steps import data_sharing_save
from onboarding.steps.base import STEP_FORM_ID, StepDefinition
from portal.models import User
from reviews.review_items import data_sharing_items


def data_sharing_problems(application: Application) -> list[Problem]:
    profile = application.data_sharing
    required = {
        "documentation_system": _("Name your care-management documentation system."),
        "mif_receipt_method": _("Choose how you will receive the Member Information File."),
        "rtf_return_method": _("Choose how you will return the RTF and OTF."),
        "dxf_status": _("Give the status of your Data Exchange Framework agreement."),
        "privacy_officer_name": _("Name your HIPAA privacy officer."),
        "privacy_officer_email": _("Give your privacy officer's email."),
        "privacy_officer_phone": _("Give your privacy officer's phone number."),
        "security_officer_name": _("Name your HIPAA security officer."),
        "security_officer_email": _("Give your security officer's email."),
        "security_officer_phone": _("Give your security officer's phone number."),
        "breach_contact_name": _("Name the person to contact about a data breach."),
        "breach_contact_email": _("Give the breach contact's email."),
        "claims_path": _("Choose how you will bill for ECM."),
    }
    problems = [Problem(f, m) for f, m in required.items() if not getattr(profile, f)]
    if profile.dxf_status == "signed":
        if not profile.dxf_signed_on:
            problems.append(
                Problem("dxf_signed_on", _("Give the date your DxF agreement was signed."))
            )
        if not profile.dxf_signatory_name:
            problems.append(
                Problem("dxf_signatory_name", _("Name the person who signed the DxF agreement."))
            )
        if profile.dxf_in_participant_directory is None:
            problems.append(
                Problem(
                    "dxf_in_participant_directory",
                    _("Say whether you are listed in the DxF Participant Directory."),
                )
            )
    if (
        DataExchangeMethod.SECURE_EMAIL in (profile.mif_receipt_method, profile.rtf_return_method)
        and not profile.has_secure_email
    ):
        problems.append(
            Problem(
                "has_secure_email",
                _("You chose secure email to exchange files: confirm you can use secure email."),
            )
        )
    questions = {
        "uses_mfa": _("Answer: do staff use multi-factor authentication?"),
        "encrypts_at_rest": _("Answer: is member data encrypted where it is stored?"),
        "encrypts_in_transit": _("Answer: is member data encrypted when it is sent?"),
        "trains_workforce": _("Answer: do staff complete HIPAA training every year?"),
    }
    problems += [Problem(f, m) for f, m in questions.items() if getattr(profile, f) is None]
    if not profile.has_signed_baa:
        problems.append(
            Problem(
                "has_signed_baa",
                _("Confirm you have signed the plan's business associate agreement."),
            )
        )
    if not application.documents.filter(
        step_kind=ApplicationStep.Kind.DATA_SHARING, requirement=BAA_DOCUMENT
    ).exists():
        problems.append(
            Problem("baa_document", _("Upload the signed business associate agreement."))
        )
    if not profile.acknowledges_billing_codes:
        problems.append(
            Problem("acknowledges_billing_codes", _("Acknowledge the ECM billing codes."))
        )
    return problems + sample_file_problems(application)


def sample_file_problems(application: Application) -> list[Problem]:
    """The current version of each file must have passed the latest check of its sample."""
    problems: list[Problem] = []
    latest = latest_reports(application)
    for kind in FileKind:
        field = f"sample_{kind}"
        specification = current_specification(kind)
        report = latest[kind]
        if specification is None:
            continue
        if report is None:
            problems.append(
                Problem(
                    field,
                    _("Upload a sample %(kind)s (version %(version)s) and have it checked.")
                    % {"kind": kind.upper(), "version": specification.version},
                )
            )
        elif report.specification_id != specification.pk:
            problems.append(
                Problem(
                    field,
                    _(
                        "The plan now requires version %(version)s of the %(kind)s. Check a "
                        "sample in that version."
                    )
                    % {"kind": kind.upper(), "version": specification.version},
                )
            )
        elif not report.passed:
            problems.append(
                Problem(
                    field,
                    _(
                        "The check of your sample %(kind)s found problems. Correct them and "
                        "upload the sample again."
                    )
                    % {"kind": kind.upper()},
                )
            )
    return problems


def document_choices(application: Application) -> list[tuple[str, str]]:
    return [
        (BAA_DOCUMENT, _("Signed business associate agreement")),
        ("Data Exchange Framework agreement", _("Data Exchange Framework agreement")),
        ("Other supporting document", _("Other supporting document")),
    ]


def data_sharing_form(application: Application, data: Any = None) -> DataSharingForm:
    return DataSharingForm(data, instance=application.data_sharing)


def _save(*, application: Application, user: User, form: BaseForm) -> None:
    data_sharing_save(application=application, user=user, data=form.cleaned_data)


def page_context(application: Application) -> dict[str, Any]:
    return {
        "data_sharing": application.data_sharing,
        "sample_kinds": sample_file_overview(application, with_columns=True),
        "date_formats": accepted_date_formats(),
        "data_sharing_signature": signature_state(application, ApplicationStep.Kind.DATA_SHARING),
    }


def review_context(application: Application) -> dict[str, Any]:
    return {
        "data_sharing": application.data_sharing,
        "data_sharing_signature": signature_state(application, ApplicationStep.Kind.DATA_SHARING),
        "sample_kinds": sample_file_overview(application),
    }


def sample_forms() -> dict[str, BaseForm]:
    return {"sample_form": SampleFileForm(prefix="sample", form_id=STEP_FORM_ID)}


def check_sample(request: HttpRequest, application: Application, user: User) -> str:
    """Queue the check of the sample posted with the answers; where to follow it."""
    check = sample_check_queue_posted(request, application, user)
    return check_progress_url(check) if check is not None else samples_url(application)


DATA_SHARING = StepDefinition(
    kind=ApplicationStep.Kind.DATA_SHARING,
    slug="data-sharing",
    template_name="onboarding/step_data_sharing.html",
    summary_template="onboarding/steps/data_sharing_summary.html",
    main_form=data_sharing_form,
    save=_save,
    rules=data_sharing_problems,
    document_choices=document_choices,
    page_context=page_context,
    review_items=data_sharing_items,
    review_context=review_context,
    review_extras_template="data_exchange/_sample_checks_section.html",
    applicant_node=OnboardingFlow.data_sharing,
    review_node=OnboardingFlow.review_data_sharing,
    signed=SignedStep(DataSharingProfile, "data_sharing", data_sharing_content),
    extra_forms=sample_forms,
    actions={"check_sample": check_sample},
)
