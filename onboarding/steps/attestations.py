"""Capability attestations: the seven criteria, partners, care team, populations and capacity,
signed by the authorized official; the people named are screened when it is submitted."""

from datetime import date
from typing import Any

from django.forms import BaseForm
from django.utils import timezone
from django.utils.translation import gettext as _

from onboarding.attestation_forms import CriteriaForm
from onboarding.attested_content import SignedStep, attested_content
from onboarding.exceptions import Problem
from onboarding.flows import OnboardingFlow
from onboarding.models import (
    Application,
    ApplicationStep,
    CapabilityAttestation,
    CareTeamMember,
    PopulationCapacity,
    PopulationServed,
)
from onboarding.reference import CareTeamRole, County, PartnerKind, QualificationCriterion
from onboarding.requirements import criterion_evidence_label, criterion_rules, human_date
from onboarding.services.steps import attestations_save
from onboarding.steps.base import StepDefinition
from onboarding.summaries import attestation_context
from portal.models import User
from reviews.review_items import attestation_items, attestation_review_forms
from reviews.submission_diff import attestation_changes
from screening.models import ScreeningResult


def attestation_problems(application: Application) -> list[Problem]:
    problems = _criteria_problems(application)
    problems += roster_problems(list(application.care_team.all()))
    problems += capacity_problems(
        list(application.populations.all()),
        list(application.capacities.all()),
        set(application.entity_profile.county_codes),
    )
    return problems


def _criteria_problems(application: Application) -> list[Problem]:
    problems: list[Problem] = []
    rows = {row.criterion: row for row in application.criterion_attestations.all()}
    evidence = set(
        application.documents.filter(step_kind=ApplicationStep.Kind.ATTESTATIONS).values_list(
            "requirement", flat=True
        )
    )
    for n, rule in criterion_rules().items():
        row = rows.get(n)
        field = f"criterion_{n}"
        if row is None or not row.attested:
            problems.append(Problem(field, _("Attest to criterion %(n)d.") % {"n": n}))
        elif len(row.narrative.strip()) < rule.narrative_min_length:
            problems.append(
                Problem(
                    field,
                    _("Describe how you meet criterion %(n)d in at least %(min)d characters.")
                    % {"n": n, "min": rule.narrative_min_length},
                )
            )
        if rule.evidence_required and criterion_evidence_label(n) not in evidence:
            problems.append(
                Problem(
                    field,
                    _("Upload the evidence for criterion %(n)d: %(what)s.")
                    % {"n": n, "what": rule.evidence_guidance or _("a supporting document")},
                )
            )
    kinds = set(application.community_partners.values_list("kind", flat=True))
    for kind in PartnerKind:
        if kind.value not in kinds:
            problems.append(
                Problem(
                    "partners",
                    _("For criterion 5, name at least one partner of this kind: %(kind)s.")
                    % {"kind": kind.label},
                )
            )
    attestation = application.capability_attestation
    if not attestation.languages_offered.strip():
        problems.append(Problem("languages_offered", _("List the languages you offer.")))
    if not attestation.care_settings:
        problems.append(
            Problem(
                "care_settings",
                _("Choose at least one setting where you meet members in person."),
            )
        )
    return problems


def roster_problems(team: list[CareTeamMember], today: date | None = None) -> list[Problem]:
    """The roster rules: one ECM Director, a Lead Care Manager, a licensed Clinical Consultant.

    Checked at submission and, for providers in the network, every day
    (``providers.services.credentials``): a licence that runs out breaks them without anyone
    touching the record.
    """
    problems: list[Problem] = []
    today = today or timezone.localdate()
    count = {role: sum(1 for m in team if m.role == role) for role in CareTeamRole}
    if count[CareTeamRole.LEAD_CARE_MANAGER] < 1:
        problems.append(Problem("care_team", _("Add at least one Lead Care Manager.")))
    if count[CareTeamRole.ECM_DIRECTOR] != 1:
        problems.append(
            Problem(
                "care_team",
                _("Name exactly one ECM Director (you have %(n)d).")
                % {"n": count[CareTeamRole.ECM_DIRECTOR]},
            )
        )
    consultants = [m for m in team if m.role == CareTeamRole.CLINICAL_CONSULTANT]
    for member in consultants:
        if not member.is_licensed:
            problems.append(
                Problem(
                    "care_team",
                    _("Add the license details of %(name)s, your Clinical Consultant.")
                    % {"name": member.full_name},
                )
            )
        elif member.license_expires_on and member.license_expires_on <= today:
            problems.append(
                Problem(
                    "care_team",
                    _("The Clinical Consultant's license (%(name)s) expired on %(date)s.")
                    % {"name": member.full_name, "date": human_date(member.license_expires_on)},
                )
            )
    licensed = [
        m
        for m in consultants
        if m.is_licensed and m.license_expires_on and m.license_expires_on > today
    ]
    if not licensed:
        problems.append(
            Problem(
                "care_team",
                _("Add at least one ECM Clinical Consultant with an unexpired license."),
            )
        )
    return problems


def capacity_problems(
    populations: list[PopulationServed], capacities: list[PopulationCapacity], served: set[str]
) -> list[Problem]:
    """The capacity rules: a population served, capacity for each, only in counties served.

    Checked at submission, and on a change request against the record as it would become.
    """
    problems: list[Problem] = []
    if not populations:
        problems.append(
            Problem("capacity", _("Choose at least one population of focus that you serve."))
        )
    with_capacity = {row.population for row in capacities if row.member_capacity > 0}
    for population in populations:
        if population.population not in with_capacity:
            problems.append(
                Problem(
                    "capacity",
                    _("Give a member capacity in at least one county for population %(code)s.")
                    % {"code": population.population},
                )
            )
    # Checked against the entity step's counties once there are some (that step asks for them).
    for county in sorted({row.county for row in capacities} - served if served else set()):
        problems.append(
            Problem(
                "capacity",
                _(
                    "You give capacity in %(county)s, which is not among the counties you serve "
                    "(Entity verification)."
                )
                % {"county": County(county).label},
            )
        )
    return problems


def document_choices(application: Application) -> list[tuple[str, str]]:
    """Evidence for each criterion, and the partner agreements of criterion 5."""
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


def criteria_form(application: Application, data: Any = None) -> CriteriaForm:
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


def _save(*, application: Application, user: User, form: BaseForm) -> None:
    if not isinstance(form, CriteriaForm):
        raise TypeError("the attestation step saves its criteria form")
    attestations_save(
        application=application,
        user=user,
        criteria=form.criteria(),
        languages_offered=form.cleaned_data["languages_offered"],
        care_settings=form.cleaned_data["care_settings"],
        setting_other_detail=form.cleaned_data["setting_other_detail"],
    )


ATTESTATIONS = StepDefinition(
    kind=ApplicationStep.Kind.ATTESTATIONS,
    slug="attestations",
    template_name="onboarding/step_attestations.html",
    summary_template="onboarding/steps/attestations_summary.html",
    main_form=criteria_form,
    save=_save,
    rules=attestation_problems,
    document_choices=document_choices,
    page_context=attestation_context,
    review_items=attestation_items,
    review_context=attestation_context,
    applicant_node=OnboardingFlow.attestations,
    review_node=OnboardingFlow.review_attestations,
    screening_subject=ScreeningResult.SubjectKind.PERSON,
    signed=SignedStep(CapabilityAttestation, "capability_attestation", attested_content),
    item_review_forms=attestation_review_forms,
    changes=attestation_changes,
)
