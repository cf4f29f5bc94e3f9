"""Errors a service raises for a person to read: each carries a message that says what to do."""

from dataclasses import dataclass


class OnboardingError(Exception):
    """A request that cannot be carried out, with a message fit to show the person who made it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotAllowed(OnboardingError):
    """The person may not do this. Shown on their own organization's pages, so nothing leaks."""


class TaskUnavailable(OnboardingError):
    """The workflow task was completed, claimed or changed by someone else in the meantime."""


@dataclass(frozen=True)
class Problem:
    """Something missing or wrong that keeps a step from being submitted."""

    field: str
    message: str


class StepIncomplete(OnboardingError):
    """The step cannot be submitted yet; ``problems`` lists what is missing, field by field."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(
            "This section is not ready to submit yet. Please fix the items listed below."
        )
        self.problems = problems
