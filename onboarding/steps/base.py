"""What one kind of applicant step is, as every page and service that handles it asks for it."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from django.forms import BaseForm
from django.http import HttpRequest

from onboarding.exceptions import Problem
from onboarding.models import Application, ApplicationStep
from portal.models import User

if TYPE_CHECKING:  # only named in annotations: importing them here would import the services
    from onboarding.attestation_forms import ItemReviewForm
    from onboarding.attested_content import SignedStep
    from reviews.submission_diff import Change

# The <form> of the step's answers (templates/onboarding/step_base.html): a step's other forms
# name it so that their fields are sent with the answers.
STEP_FORM_ID = "step-form"


class DraftSave(Protocol):
    """Save the step's draft answers from its valid main form (the save service of the kind)."""

    def __call__(self, *, application: Application, user: User, form: BaseForm) -> None: ...


# An action of the step page other than save, upload and submit (a button's ``action`` value):
# done after the draft is saved, it answers with the address to go to next.
PageAction = Callable[[HttpRequest, Application, User], str]


def _no_forms() -> dict[str, BaseForm]:
    return {}


def _none_expire(application: Application) -> list[str]:
    return []


@dataclass(frozen=True)
class StepDefinition:
    """One kind of applicant step: everything views, rules, reviews and templates ask of it.

    ``main_form(application, data)`` builds the step's answers form (bound when ``data`` is given)
    and ``save`` stores it as a draft; ``rules(application)`` is what must be true before it can
    be submitted; ``document_choices(application)`` is what an uploaded document may be said to
    be; ``page_context(application)`` is what its page and its summary show besides the form;
    ``review_context(application)`` is what its summary needs on the reviewers' application page,
    and ``review_extras_template`` what that page shows after the summary (its own section);
    ``review_actions_template`` is what reviewers act on beside them (forms: the summary and the
    extras are cached under a stamp of the tables the step's part shows, see
    ``reviews.record_parts``, and hold none).
    """

    kind: ApplicationStep.Kind
    slug: str  # its part of the step page's address
    template_name: str  # the applicant's step page
    summary_template: str  # the step as submitted, for the applicant and reviewers
    main_form: Callable[[Application, Any], BaseForm]
    save: DraftSave
    rules: Callable[[Application], list[Problem]]
    document_choices: Callable[[Application], list[tuple[str, str]]]
    page_context: Callable[[Application], dict[str, Any]]
    review_items: Callable[[], list[tuple[str, str]]]  # what a reviewer can accept or return
    review_context: Callable[[Application], dict[str, Any]]
    applicant_node: Any  # the flow's node the applicant completes (viewflow is untyped)
    review_node: Any  # the flow's node a reviewer decides it in
    # The subject whose screening results belong to this step and must be clear to approve it.
    screening_subject: str | None = None
    # Whether the flow screens the subject itself (a node of its own) rather than the submission.
    screened_by_flow: bool = False
    review_extras_template: str | None = None
    review_actions_template: str | None = None
    signed: "SignedStep | None" = None  # the record the authorized official signs on submitting
    extra_forms: Callable[[], dict[str, BaseForm]] = _no_forms  # more forms of the page, by name
    # The names of the document kinds that are licences or certifications, asked for an expiry date.
    expiring_documents: Callable[[Application], list[str]] = _none_expire
    actions: Mapping[str, PageAction] = field(default_factory=dict)
    # Reviewing item by item: one verdict form per item, and what changed since the last round.
    item_review_forms: "Callable[[Any], list[ItemReviewForm]] | None" = None
    changes: "Callable[[Application], list[Change] | None] | None" = None

    @property
    def title(self) -> str:
        return str(self.kind.label)

    @property
    def submit_screening(self) -> str | None:
        """The subject to screen when the step is submitted (None: nothing, or the flow does)."""
        return None if self.screened_by_flow else self.screening_subject

    def problems(self, step: ApplicationStep) -> list[Problem]:
        """What ``step`` still needs before it can be submitted."""
        return self.rules(step.application)
