"""Review wording for templates: items by their names, screening checks by their lists.

``{{ item.requirement|item_label:stage }}`` names a returned or accepted item;
``{{ r.check_name|check_label }}``, ``{{ r|screening_outcome }}``, ``{{ r|adjudication_label }}``
and ``r|adjudication_choices`` word a screening result as reviewers know it;
``{{ item|reason_and_comment }}`` joins a deficiency's reason and comment as sentences, and
``{{ deficiencies|of_step:kind }}`` picks one step's open deficiencies.
"""

from django import template

from reviews.models import Deficiency
from reviews.review_items import requirement_label
from screening import labels as screening
from screening.models import ScreeningResult

register = template.Library()

# Left over at the end of a reason that is followed by a comment ("Missing:", "Wrong NPI -").
_TRAILING = " \t\n.,;:-\u2013\u2014"  # hyphen, en dash, em dash
_ENDS_A_SENTENCE = ".!?…"


@register.filter
def item_label(requirement: str, stage: str) -> str:
    return requirement_label(requirement, stage)


@register.filter
def check_label(check_name: str) -> str:
    return screening.check_label(check_name)


@register.filter
def screening_outcome(result: ScreeningResult) -> str:
    return screening.outcome_label(result)


@register.filter
def adjudication_label(result: ScreeningResult) -> str:
    return screening.adjudication_label(result)


@register.filter
def adjudication_choices(result: ScreeningResult) -> list[tuple[str, str]]:
    return screening.adjudication_choices(result)


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in _ENDS_A_SENTENCE else f"{text}."


@register.filter
def reason_and_comment(item: Deficiency) -> str:
    """ "Reason. Comment." whatever punctuation each was typed with (no ".:" or trailing ":")."""
    reason = item.reason.strip().rstrip(_TRAILING) if item.comment.strip() else item.reason
    return " ".join(part for part in (_sentence(reason), _sentence(item.comment)) if part)


@register.filter
def of_step(by_step: dict[str, list[Deficiency]], kind: str) -> list[Deficiency]:
    """``{{ deficiencies|of_step:step.kind }}``: the open deficiencies of one step."""
    return by_step.get(kind, [])
