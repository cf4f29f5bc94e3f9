"""What each step needs before it can be submitted: drafts may be incomplete, submissions not.

Each step kind's rules live in its definition module (``onboarding/steps/entity.py`` and its
siblings), beside its forms and documents, so that adding a kind touches no shared module. Here
are ``step_problems``, which asks the step's definition, and what more than one kind uses. The
rules are still importable from here by their names (``attestation_problems``): they are looked
up among the definitions when asked, since the definition modules import this one.
"""

from collections.abc import Callable
from datetime import date

from django.utils.formats import date_format

from onboarding.exceptions import Problem
from onboarding.models import Application, ApplicationStep, CriterionRule
from onboarding.reference import QualificationCriterion as Criterion
from onboarding.steps import definition_of, step_definitions


def criterion_rules() -> dict[int, CriterionRule]:
    """The plan's current rule for each criterion (defaults where an administrator set none)."""
    rules = {rule.criterion: rule for rule in CriterionRule.objects.all()}
    return {c.value: rules.get(c.value) or CriterionRule(criterion=c.value) for c in Criterion}


def criterion_evidence_label(n: int) -> str:
    """What a document uploaded as evidence for criterion ``n`` is called."""
    return f"Criterion {n} evidence"


def human_date(value: date) -> str:
    return date_format(value, "j F Y")


# What the data-sharing step's business associate agreement is called, as uploaded.
BAA_DOCUMENT = "Business associate agreement"


def step_problems(step: ApplicationStep) -> list[Problem]:
    """What ``step`` still needs before it can be submitted (its definition's rules)."""
    return definition_of(step.kind).problems(step)


def __getattr__(name: str) -> Callable[[Application], list[Problem]]:
    # Only a rule's name looks among the definitions: the import machinery asks for others
    # (``__path__``) while the definition modules are themselves being imported.
    if name.startswith("_"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    for definition in step_definitions():
        if definition.rules.__name__ == name:
            return definition.rules
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
