"""A condition of an approval, and what it can be about: the items reviewers accept or return.

A finding names the rule or criterion a condition concerns, from the same list of items that
the step's reviewers work through (``StepDefinition.review_items``), so a condition about the
third qualification criterion reads exactly as a returned item about it would.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from onboarding.steps import step_definitions

OTHER = "other"


def finding_choices() -> list[tuple[str, object]]:
    """Grouped choices: one group per step, its items keyed ``<step kind>:<item>``, then other."""
    groups: list[tuple[str, object]] = [
        (
            definition.title,
            [(f"{definition.kind}:{key}", label) for key, label in definition.review_items()],
        )
        for definition in step_definitions()
    ]
    return [("", "—"), *groups, (OTHER, _("Another rule (name it in “What was found”)"))]


def finding_label(key: str) -> str:
    """The name of the finding ``key`` as the choice shows it; '' for a key not in the list."""
    for value, label in finding_choices():
        if isinstance(label, list):
            for item_key, item_label in label:
                if item_key == key:
                    return f"{value}: {item_label}"
        elif value == key and key:
            return str(label)
    return ""


@dataclass(frozen=True)
class Condition:
    """One item of a corrective-action plan, as the network manager set it."""

    finding: str
    detail: str
    action: str
    due_on: date
    responsible: str

    @property
    def finding_label(self) -> str:
        return finding_label(self.finding) or self.finding
