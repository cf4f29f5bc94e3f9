"""Reads of screening results: what a reviewer sees, and what stands in the way of approval."""

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from onboarding.models import Application, ApplicationStep
from screening.labels import NPI_REGISTRY, check_label
from screening.models import ScreeningResult
from screening.services.results import STAGE_SUBJECTS

Outcome = ScreeningResult.Outcome
SubjectKind = ScreeningResult.SubjectKind
# Results about the record, not about a person a pending change request would add (those
# block only that request: ``change_request_blockers``).
ABOUT_THE_RECORD = Q(change_request__isnull=True) | Q(care_team_member__isnull=False)


def screening_results_of(application: Application) -> list[ScreeningResult]:
    """Every result of the application, current and earlier, with who adjudicated it and the
    exclusion-list release it was checked against."""
    return list(application.screening_results.select_related("adjudicated_by", "release"))


def screening_result_of(application: Application, pk: int) -> ScreeningResult:
    """One of the application's results (the application already scoped to the person); a 404
    for any other."""
    return get_object_or_404(application.screening_results, pk=pk)


def screening_blockers(application: Application, stage: str) -> list[str]:
    """Why the step of ``stage`` cannot be approved yet, as far as screening goes."""
    return stage_blockers(list(application.screening_results.filter(is_current=True)), stage)


def stage_blockers(current: list[ScreeningResult], stage: str) -> list[str]:
    """``screening_blockers`` from the application's current results, already read."""
    subject_kind = (
        STAGE_SUBJECTS.get(ApplicationStep.Kind(stage)) if stage in STAGE_SUBJECTS else None
    )
    if subject_kind is None:
        return []
    about = [r for r in current if r.is_about_the_record and r.subject_kind == subject_kind]
    if subject_kind == SubjectKind.ORGANIZATION and not about:
        return [_("The organization has not been screened yet. Run screening.")]
    return result_blockers(about)


def result_blockers(current: list[ScreeningResult]) -> list[str]:
    """What these current results leave to do before approval: errors and open matches."""
    problems = []
    for result in current:
        values = {"check": check_label(result.check_name), "subject": result.subject}
        if result.outcome == Outcome.ERROR:
            problems.append(
                _(
                    "The %(check)s check for %(subject)s could not be completed, and an error "
                    "is never a pass: %(why)s"
                )
                % {**values, "why": result.evidence}
            )
        elif result.needs_adjudication and result.check_name == NPI_REGISTRY:
            problems.append(
                _(
                    "The %(check)s lists the NPI of %(subject)s under another name: confirm or "
                    "dismiss the name mismatch."
                )
                % values
            )
        elif result.needs_adjudication:
            problems.append(
                _("Confirm or dismiss the potential match on the %(check)s for %(subject)s.")
                % values
            )
        elif result.is_confirmed and result.check_name == NPI_REGISTRY:
            problems.append(
                _(
                    "The NPI of %(subject)s belongs to a different organization: return the "
                    "step so the applicant corrects it, or deny the application."
                )
                % values
            )
        elif result.is_confirmed:
            problems.append(
                _("%(check)s: %(subject)s is a confirmed match: deny and give the reason.") % values
            )
    return problems


def confirmed_match_reason(current: list[ScreeningResult]) -> str:
    """The denial reason a confirmed exclusion match among the application's current results
    calls for ('' when there is none).

    A confirmed NPI name mismatch is not an exclusion and calls for no denial of its own.
    """
    confirmed = [r for r in current if r.is_confirmed and r.check_name != NPI_REGISTRY]
    return " ".join(
        _("%(subject)s is on the %(check)s: %(evidence)s")
        % {"subject": r.subject, "check": check_label(r.check_name), "evidence": r.evidence}
        for r in confirmed
    )
