"""The list of errors at the top of a step page: every item leads to its place on that page."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.forms import BaseForm, BoundField

from onboarding.exceptions import Problem


@dataclass(frozen=True)
class SummaryItem:
    """One error, and the id of the element on the page that its link leads to ("" for none)."""

    message: str
    anchor: str = ""


def field_anchor(field: BoundField) -> str:
    """The id of a field's input, or of the first of its checkboxes or radio buttons: a group
    of them has no id of its own, so a link to the field's name would lead nowhere."""
    if field.id_for_label:
        return field.id_for_label
    subwidgets = field.subwidgets
    return subwidgets[0].id_for_label if subwidgets else field.auto_id or ""


def _where(
    field: str, forms: list[BaseForm], sections: Mapping[str, str], fallback: str
) -> tuple[BaseForm | None, str]:
    for form in forms:
        if field in form.fields:
            return form, field_anchor(form[field])
    return None, sections.get(field, fallback)


def problem_items(
    problems: Iterable[Problem],
    forms: list[BaseForm],
    sections: Mapping[str, str],
    fallback: str,
) -> list[SummaryItem]:
    """What a step still needs, each linked to the field it concerns on one of ``forms``, or
    else to the section of the page named for it in ``sections`` (else to ``fallback``)."""
    return [
        SummaryItem(problem.message, _where(problem.field, forms, sections, fallback)[1])
        for problem in problems
    ]


def error_summary(
    forms: list[BaseForm],
    problems: Iterable[Problem] = (),
    sections: Mapping[str, str] | None = None,
    fallback: str = "",
) -> list[SummaryItem]:
    """Everything wrong on a page at once: the forms' own errors and the step's problems.

    ``forms`` are the forms the page shows; an unbound form has no errors, so a form the page
    did not send (the signature of a step that has none) can never add items that lead nowhere.
    A problem about one of the forms' fields is shown next to that field as well; the summary
    names it once, in the problem's own words.
    """
    problems = list(problems)
    sections = sections or {}
    items: list[SummaryItem] = []
    for form in forms:
        items += [SummaryItem(str(error)) for error in form.non_field_errors()]
    from_problems: set[tuple[int, str, str]] = set()
    for problem in problems:
        owner, anchor = _where(problem.field, forms, sections, fallback)
        if owner is not None and owner.is_bound:
            owner.add_error(problem.field, problem.message)
            from_problems.add((id(owner), problem.field, problem.message))
        items.append(SummaryItem(problem.message, anchor))
    for form in forms:
        for field in form:
            for error in field.errors:
                if (id(form), field.name, error) not in from_problems:
                    items.append(SummaryItem(f"{field.label}: {error}", field_anchor(field)))
    return items
