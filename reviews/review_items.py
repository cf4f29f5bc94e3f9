"""The items of each step a reviewer can accept or return, named as the applicant's form names
them, so that a returned item reads the same to the reviewer and to the applicant."""

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from data_exchange.specs import FileKind
from onboarding.attestation_forms import ItemReviewForm, item_review_forms
from onboarding.forms import DataSharingForm, EntityProfileForm
from onboarding.reference import QualificationCriterion, ReviewReasonCode
from onboarding.steps import UnknownStep, definition_of
from reviews.models import ReviewDecision


@dataclass(frozen=True)
class DeficiencyItem:
    """One itemised problem in a return for correction."""

    requirement: str
    reason: str
    comment: str = ""
    reason_code: str = ""


@dataclass(frozen=True)
class ItemAccepted:
    """One item a reviewer accepted in an item-by-item review, with an optional note."""

    requirement: str
    comment: str = ""


def deficiency_requirements(stage: str) -> list[tuple[str, str]]:
    """The items a reviewer can return at ``stage``, with their names (none at final approval,
    which has no step of its own)."""
    try:
        definition = definition_of(stage)
    except UnknownStep:
        return []
    return definition.review_items()


def entity_items() -> list[tuple[str, str]]:
    """The entity step's items: its answers, its evidence, the ownership and control
    disclosure, the signature, and anything general."""
    form = EntityProfileForm()
    return [(name, str(field.label)) for name, field in form.fields.items()] + [
        ("evidence", _("Evidence documents")),
        ("disclosure", _("Ownership and control disclosure")),
        ("signature", _("Signature")),
        ("general", _("General")),
    ]


def attestation_items() -> list[tuple[str, str]]:
    """The attestation step's items: each criterion, the roster, capacity and the signature."""
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


def data_sharing_items() -> list[tuple[str, str]]:
    """The data-sharing step's items: its answers, the signed agreement and each sample file."""
    form = DataSharingForm()
    return [(name, str(field.label)) for name, field in form.fields.items()] + [
        ("baa_document", _("Signed business associate agreement (document)")),
        *((f"sample_{kind}", _("Sample %(kind)s") % {"kind": kind.upper()}) for kind in FileKind),
        ("general", _("General")),
    ]


ATTESTATION_ITEMS: list[tuple[str, Any]] = [
    *((f"criterion_{c.value}", f"{c.value}. {c.label}") for c in QualificationCriterion),
    ("care_team", _lazy("Care-team roster")),
    ("capacity", _lazy("Populations of focus and capacity")),
]


def attestation_review_forms(data: Any = None) -> list[ItemReviewForm]:
    """One verdict form per attestation item."""
    return item_review_forms(ATTESTATION_ITEMS, data)


def requirement_label(requirement: str, stage: str) -> str:
    """The name of a returned or accepted item (its key when the stage does not know it)."""
    return _labels(stage, get_language() or "").get(requirement, requirement)


@cache
def _labels(stage: str, language: str) -> dict[str, str]:
    return dict(deficiency_requirements(stage))


def item_verdicts(
    item_forms: list[ItemReviewForm], outcome: str, *, accept_remaining: bool
) -> tuple[list[DeficiencyItem], list[ItemAccepted]] | None:
    """The returned and accepted items, or None (with errors on the forms) if any is undecided.

    With ``accept_remaining`` an item left unmarked counts as accepted, so a reviewer only works
    item by item where they return something.
    """
    if not all(f.is_valid() for f in item_forms):
        return None
    if outcome == ReviewDecision.Outcome.DENY:
        return [], []
    returned, accepted = [], []
    for f in item_forms:
        verdict = f.cleaned_data["verdict"]
        if verdict == ItemReviewForm.RETURN:
            code = f.cleaned_data["reason_code"]
            returned.append(
                DeficiencyItem(
                    requirement=f.item,
                    reason=str(ReviewReasonCode(code).label),
                    comment=f.cleaned_data["comment"].strip(),
                    reason_code=code,
                )
            )
        elif verdict == ItemReviewForm.ACCEPT or accept_remaining:
            accepted.append(ItemAccepted(f.item, f.cleaned_data["comment"].strip()))
        else:
            f.add_error("verdict", _("Accept or return this item."))
    if any(f.errors for f in item_forms):
        return None
    return returned, accepted
