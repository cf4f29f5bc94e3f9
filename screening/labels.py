"""Screening results in the words reviewers know them by: checks, outcomes and findings."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from screening.models import ScreeningResult

NPI_REGISTRY = "npi_registry"
CHECK_LABELS = {
    "npi_format": _lazy("NPI format"),
    NPI_REGISTRY: _lazy("NPI registry (NPPES)"),
    "exclusion_leie": _lazy("OIG exclusion list (LEIE)"),
    "exclusion_sam": _lazy("SAM.gov exclusion list"),
    "exclusion_medi_cal": _lazy("Medi-Cal Suspended and Ineligible Provider List"),
}


def check_label(check_name: str) -> str:
    """The name reviewers know a check by (the stored id when a check is no longer known)."""
    return str(CHECK_LABELS.get(check_name, check_name))


def outcome_label(result: ScreeningResult) -> str:
    """What a result found, in words: the registry's "match" is a name that differs."""
    if result.check_name == NPI_REGISTRY and result.is_match:
        return _("Name mismatch")
    return str(result.get_outcome_display())


def adjudication_choices(result: ScreeningResult) -> list[tuple[str, str]]:
    """The two findings a reviewer can record on a match, worded for what the check found:
    an NPI registered under another name is not an "excluded party"."""
    if result.check_name == NPI_REGISTRY:
        return [
            (
                ScreeningResult.Adjudication.CONFIRMED,
                _("Confirmed: the NPI belongs to a different organization"),
            ),
            (
                ScreeningResult.Adjudication.DISMISSED,
                _("Dismissed: the same organization, registered under another name"),
            ),
        ]
    return [(value, str(label)) for value, label in ScreeningResult.Adjudication.choices]


def adjudication_label(result: ScreeningResult) -> str:
    return dict(adjudication_choices(result)).get(result.adjudication, result.adjudication)
