"""The applicant step kinds, each one definition (``StepDefinition``), registered here only.

Views, rules, reviews, screening and templates ask a step's definition (``definition_of``,
``definition_for_slug``, ``definition_screening``) instead of branching on its kind. Adding a kind
is its ``ApplicationStep.Kind`` and ``ReviewDecision.Stage`` values, its module here (beside
``entity.py``), its line in ``step_definitions`` and its nodes in ``onboarding/flows.py``.

The definitions are read on first use, not when this package is imported: they name forms,
save services, rules and the flow's nodes, and those modules import the lookups below. So any
module may import this package at its top; nothing may ask it for a definition at import time
(``by_kind`` gives a mapping that is read only when it is used).
"""

from collections.abc import Callable, Iterator, Mapping
from functools import cache
from typing import TypeVar

from onboarding.steps.base import STEP_FORM_ID, StepDefinition

__all__ = [
    "STEP_FORM_ID",
    "StepDefinition",
    "UnknownStep",
    "by_kind",
    "definition_for_slug",
    "definition_of",
    "definition_screening",
    "step_definitions",
]

T = TypeVar("T")


class UnknownStep(LookupError):
    """No applicant step is of this kind, at this address or for this subject."""


@cache
def step_definitions() -> tuple[StepDefinition, ...]:
    """Every step kind's definition, in the order an applicant meets them."""
    # Imported on first use (see the module docstring): this is the one place kinds are listed.
    from onboarding.steps.attestations import ATTESTATIONS
    from onboarding.steps.data_sharing import DATA_SHARING
    from onboarding.steps.entity import ENTITY

    return (ENTITY, ATTESTATIONS, DATA_SHARING)


def definition_of(kind: str) -> StepDefinition:
    """The definition of the step kind ``kind`` (an ``ApplicationStep.Kind`` or its value)."""
    for definition in step_definitions():
        if definition.kind == kind:
            return definition
    raise UnknownStep(kind)


def definition_for_slug(slug: str) -> StepDefinition:
    """The definition of the step whose page is at ``slug`` (``data-sharing``)."""
    for definition in step_definitions():
        if definition.slug == slug:
            return definition
    raise UnknownStep(slug)


def definition_screening(subject_kind: str) -> StepDefinition:
    """The definition of the step whose screening covers ``subject_kind``."""
    for definition in step_definitions():
        if definition.screening_subject == subject_kind:
            return definition
    raise UnknownStep(subject_kind)


class _ByKind(Mapping[str, T]):
    """What each step kind's definition names, by kind, leaving out the kinds that name nothing.

    Read from the definitions each time it is used, never when it is made.
    """

    def __init__(self, named: Callable[[StepDefinition], T | None]) -> None:
        self._named = named

    def _items(self) -> dict[str, T]:
        named = ((d.kind.value, self._named(d)) for d in step_definitions())
        return {kind: value for kind, value in named if value is not None}

    def __getitem__(self, kind: str) -> T:
        return self._items()[kind]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items())

    def __len__(self) -> int:
        return len(self._items())


def by_kind(named: Callable[[StepDefinition], T | None]) -> Mapping[str, T]:
    """A mapping from step kind to ``named(definition)``, for the kinds where it is not None."""
    return _ByKind(named)
