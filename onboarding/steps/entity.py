"""Entity verification: who the organization is, its entity types and the evidence for them."""

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms import BaseForm
from django.utils import timezone
from django.utils.translation import gettext as _

from disclosures.editing import Editing
from disclosures.forms import EntityStepForm
from disclosures.rules import disclosure_problems
from disclosures.selectors import disclosure_view
from disclosures.services import disclosure_answers_save
from onboarding.attested_content import SignedStep, entity_content, signature_state
from onboarding.exceptions import Problem
from onboarding.flows import OnboardingFlow
from onboarding.models import Application, ApplicationStep, EntityProfile
from onboarding.requirements import human_date
from onboarding.selectors import (
    authorized_official_membership,
    entity_types_with_evidence,
    evidence_requirements_of,
    possible_duplicates,
    uploaded_evidence_ids,
)
from onboarding.services.steps import entity_profile_save
from onboarding.steps.base import StepDefinition
from portal.models import User
from reviews.review_items import entity_items
from screening.identifiers import validate_npi, validate_tin
from screening.models import ScreeningResult

if TYPE_CHECKING:  # documents' models import onboarding's: named only in annotations
    from documents.models import Document


def entity_problems(application: Application) -> list[Problem]:
    profile = application.entity_profile
    problems: list[Problem] = []
    required = {
        "legal_name": _("Enter the organization's legal name."),
        "tin": _("Enter the organization's TIN/EIN."),
        "npi": _("Enter the organization's NPI."),
        "service_address": _("Enter the service address."),
        "official_name": _("Enter the authorized official's name."),
        "official_title": _("Enter the authorized official's title."),
        "contact_name": _("Enter the primary contact's name."),
        "contact_email": _("Enter the primary contact's email."),
    }
    for field, message in required.items():
        if not getattr(profile, field):
            problems.append(Problem(field, message))
    for field, validator in (("npi", validate_npi), ("tin", validate_tin)):
        value = getattr(profile, field)
        if value:
            try:
                validator(value)
            except ValidationError as error:
                problems.append(Problem(field, error.messages[0]))
    entity_types = entity_types_with_evidence(application)
    if not entity_types:
        problems.append(Problem("entity_types", _("Choose at least one entity type.")))
    if not profile.counties.exists():
        problems.append(Problem("counties", _("Choose at least one county you serve.")))
    if any(t.requires_justification for t in entity_types) and not profile.other_justification:
        problems.append(
            Problem("other_justification", _("Explain in writing why your organization qualifies."))
        )
    problems += disclosure_problems(application.disclosure)
    problems += expired_licence_problems(list(application.documents.all()))
    uploaded = uploaded_evidence_ids(application)
    for entity_type in entity_types:
        for requirement in entity_type.evidence_requirements.all():
            if requirement.is_required and requirement.pk not in uploaded:
                problems.append(
                    Problem("evidence", _("Upload: %(title)s.") % {"title": requirement.title})
                )
    return problems


def current_licences(documents: "Iterable[Document]") -> "list[Document]":
    """The latest-expiring upload of each licence or certification among ``documents`` (an
    evidence document with an expiry date, not waiting for a change request's approval): the one
    in force. ``renewed_document`` in ``providers.selectors`` is the same rule in SQL."""
    latest: dict[str, Document] = {}
    for document in documents:
        if document.expires_on is None or document.evidence_requirement_id is None:
            continue
        if document.awaiting_approval:
            continue
        kept = latest.get(document.requirement)
        if kept is None or kept.expires_on < document.expires_on:  # type: ignore[operator]
            latest[document.requirement] = document
    return [latest[title] for title in sorted(latest)]


def expired_licence_problems(
    documents: "list[Document]", today: date | None = None
) -> list[Problem]:
    """Each licence or certification among ``documents`` whose latest upload has run out.

    Checked at submission and, for providers in the network, every day
    (``providers.services.credentials``).
    """
    today = today or timezone.localdate()
    return [
        Problem(
            "evidence",
            _("The %(title)s expired on %(date)s. Upload the current one.")
            % {"title": document.requirement, "date": human_date(document.expires_on)},
        )
        for document in current_licences(documents)
        if document.expires_on is not None and document.expires_on <= today
    ]


def document_choices(application: Application) -> list[tuple[str, str]]:
    """The evidence the chosen entity types call for, and anything else that supports them."""
    choices = [
        (f"evidence:{r.pk}", f"{r.title}{'' if r.is_required else _(' (optional)')}")
        for r in evidence_requirements_of(application)
    ]
    return [*choices, ("Other supporting document", _("Other supporting document"))]


def expiring_evidence(application: Application) -> list[str]:
    """The chosen entity types' evidence that is a licence or certification (it has an expiry)."""
    return [r.title for r in evidence_requirements_of(application) if r.has_expiry]


def evidence_checklist(application: Application) -> list[dict[str, Any]]:
    """Each chosen entity type with its evidence items and whether each is uploaded yet."""
    uploaded = uploaded_evidence_ids(application)
    return [
        {
            "entity_type": entity_type,
            "items": [
                {"requirement": r, "uploaded": r.pk in uploaded}
                for r in entity_type.evidence_requirements.all()
            ],
        }
        for entity_type in entity_types_with_evidence(application)
    ]


def official_prefill(application: Application) -> dict[str, str]:
    """The authorized official's name (given at sign-up) and title (given when the organization
    was set up), for the entity step's answers that are still empty: asked once, not twice."""
    profile = application.entity_profile
    official = authorized_official_membership(application.organization)
    known = {
        "official_name": official.user.full_name if official else "",
        "official_title": official.title if official else "",
    }
    return {field: value for field, value in known.items() if value and not getattr(profile, field)}


def entity_form(application: Application, data: Any = None) -> EntityStepForm:
    return EntityStepForm(
        data,
        instance=application.entity_profile,
        initial=official_prefill(application),
        disclosure=application.disclosure,
    )


@transaction.atomic
def _save(*, application: Application, user: User, form: BaseForm) -> None:
    assert isinstance(form, EntityStepForm)  # noqa: S101 (entity_form made it)
    entity_profile_save(application=application, user=user, data=form.cleaned_data)
    disclosure_answers_save(
        editing=Editing.of_application(application), user=user, data=form.disclosure_answers()
    )


def page_context(application: Application) -> dict[str, Any]:
    profile = application.entity_profile
    return {
        "entity_profile": profile,
        "evidence_checklist": evidence_checklist(application),
        # Said without naming the other organization: its name is its own business.
        "maybe_duplicate": bool(possible_duplicates(application.organization, npi=profile.npi)),
        "disclosure": disclosure_view(application.disclosure),
        "entity_signature": signature_state(application, ApplicationStep.Kind.ENTITY),
    }


def review_context(application: Application) -> dict[str, Any]:
    # Reviewers see the whole TIN: they match it against the IRS letter and the NPI registry.
    return {
        "entity_profile": application.entity_profile,
        "show_full_tin": True,
        "disclosure": disclosure_view(application.disclosure),
        "entity_signature": signature_state(application, ApplicationStep.Kind.ENTITY),
    }


ENTITY = StepDefinition(
    kind=ApplicationStep.Kind.ENTITY,
    slug="entity",
    template_name="onboarding/step_entity.html",
    summary_template="onboarding/steps/entity_summary.html",
    main_form=entity_form,
    save=_save,
    rules=entity_problems,
    document_choices=document_choices,
    page_context=page_context,
    review_items=entity_items,
    review_context=review_context,
    expiring_documents=expiring_evidence,
    # The organization and its people are screened from here on: their results follow the entity.
    review_extras_template="disclosures/_review_extras.html",
    review_actions_template="screening/_review_section.html",
    applicant_node=OnboardingFlow.entity_profile,
    review_node=OnboardingFlow.review_entity,
    screening_subject=ScreeningResult.SubjectKind.ORGANIZATION,
    # The flow's ``screen_entity`` node screens the organization once the step is submitted.
    screened_by_flow=True,
    signed=SignedStep(EntityProfile, "entity_profile", entity_content),
)
