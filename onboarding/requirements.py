"""What each step needs before it can be submitted: drafts may be incomplete, submissions not."""

from collections.abc import Callable
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from data_exchange.selectors import current_specification, latest_reports
from data_exchange.specs import FileKind
from onboarding.exceptions import Problem
from onboarding.models import Application, ApplicationStep, CriterionRule
from onboarding.reference import CareTeamRole, County, DataExchangeMethod, PartnerKind
from onboarding.reference import QualificationCriterion as Criterion
from screening.identifiers import validate_npi, validate_tin


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
    entity_types = list(profile.entity_types.prefetch_related("evidence_requirements"))
    if not entity_types:
        problems.append(Problem("entity_types", _("Choose at least one entity type.")))
    if not profile.counties.exists():
        problems.append(Problem("counties", _("Choose at least one county you serve.")))
    if any(t.requires_justification for t in entity_types) and not profile.other_justification:
        problems.append(
            Problem("other_justification", _("Explain in writing why your organization qualifies."))
        )
    uploaded = set(
        application.documents.filter(evidence_requirement__isnull=False).values_list(
            "evidence_requirement_id", flat=True
        )
    )
    for entity_type in entity_types:
        for requirement in entity_type.evidence_requirements.all():
            if requirement.is_required and requirement.pk not in uploaded:
                problems.append(
                    Problem("evidence", _("Upload: %(title)s.") % {"title": requirement.title})
                )
    return problems


def criterion_rules() -> dict[int, CriterionRule]:
    """The plan's current rule for each criterion (defaults where an administrator set none)."""
    rules = {rule.criterion: rule for rule in CriterionRule.objects.all()}
    return {c.value: rules.get(c.value) or CriterionRule(criterion=c.value) for c in Criterion}


def criterion_evidence_label(n: int) -> str:
    """What a document uploaded as evidence for criterion ``n`` is called."""
    return f"Criterion {n} evidence"


def human_date(value: date) -> str:
    return date_format(value, "j F Y")


def attestation_problems(application: Application) -> list[Problem]:
    problems = _criteria_problems(application)
    problems += _care_team_problems(application)
    problems += _capacity_problems(application)
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


def _care_team_problems(application: Application) -> list[Problem]:
    problems: list[Problem] = []
    team = list(application.care_team.all())
    today = timezone.localdate()
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


def _capacity_problems(application: Application) -> list[Problem]:
    problems: list[Problem] = []
    populations = list(application.populations.all())
    capacities = list(application.capacities.all())
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
    served = set(application.entity_profile.county_codes)
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


BAA_DOCUMENT = "Business associate agreement"


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


PROBLEMS_BY_STEP: dict[str, Callable[[Application], list[Problem]]] = {
    ApplicationStep.Kind.ENTITY: entity_problems,
    ApplicationStep.Kind.ATTESTATIONS: attestation_problems,
    ApplicationStep.Kind.DATA_SHARING: data_sharing_problems,
}


def step_problems(step: ApplicationStep) -> list[Problem]:
    return PROBLEMS_BY_STEP[step.kind](step.application)
