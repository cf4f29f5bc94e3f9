"""The forms of a corrective-action plan: its items (set by a network manager with the decision),
the provider's evidence for one item, and the reviewer's verdict on that evidence."""

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from corrective_actions.conditions import Condition, finding_choices
from corrective_actions.models import Evidence
from onboarding.forms import PortalForm
from portal.roles import FINAL_APPROVAL_PERMISSION
from reviews.models import ReviewDecision

MAX_EVIDENCE_FILES = 5


class ConditionForm(PortalForm):
    """One condition; a row left wholly empty is no condition."""

    finding = forms.ChoiceField(label=_("Rule or criterion"), required=False)
    detail = forms.CharField(
        label=_("What was found"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    action = forms.CharField(
        label=_("Corrective action required"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    due_on = forms.DateField(
        label=_("Due date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter the due date as a date, for example 2027-03-31.")},
    )
    responsible = forms.CharField(
        label=_("Responsible person at the provider"),
        max_length=200,
        required=False,
        help_text=_("Name and title, for example “Dana Reyes, ECM Director”."),
    )

    FIELDS = ("finding", "detail", "action", "due_on", "responsible")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["finding"].choices = finding_choices()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(name) for name in self.FIELDS):
            return data
        required = {
            "finding": _("Choose the rule or criterion this condition is about."),
            "detail": _("Say what was found."),
            "action": _("Say what the provider must do."),
            "due_on": _("Give the date by which it must be done."),
            "responsible": _("Name the person at the provider who is responsible."),
        }
        for name, message in required.items():
            if not data.get(name) and name not in self.errors:
                self.add_error(name, message)
        due_on = data.get("due_on")
        if due_on and due_on <= timezone.localdate():
            self.add_error("due_on", _("The due date must be in the future."))
        return data

    @property
    def condition(self) -> Condition | None:
        data = self.cleaned_data
        if not data.get("finding"):
            return None
        return Condition(
            finding=data["finding"],
            detail=data["detail"].strip(),
            action=data["action"].strip(),
            due_on=data["due_on"],
            responsible=data["responsible"].strip(),
        )


if TYPE_CHECKING:
    FormSet = forms.BaseFormSet[ConditionForm]
else:  # the stubs' generic is not subscriptable at run time
    FormSet = forms.BaseFormSet


class BaseConditionFormSet(FormSet):
    @property
    def conditions(self) -> list[Condition]:
        """The conditions of the rows filled in (call after ``is_valid``)."""
        return [c for c in (form.condition for form in self.forms) if c is not None]


ConditionFormSet = forms.formset_factory(
    ConditionForm, formset=BaseConditionFormSet, extra=3, max_num=20
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input (Django's documented pattern)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        one = super().clean
        if isinstance(data, list | tuple):
            return [one(d, initial) for d in data]
        return [one(data, initial)] if data else []


class EvidenceForm(PortalForm):
    note = forms.CharField(
        label=_("What you did"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Describe the corrective action taken. Do not include member information."),
        error_messages={"required": _("Describe what you did to correct this.")},
    )
    documents = MultipleFileField(
        label=_("Documents"),
        required=False,
        help_text=_("PDF, image, Word, Excel or CSV; 25 MB each, %(n)s files at most.")
        % {"n": MAX_EVIDENCE_FILES},
        error_messages={
            "empty": _("One of the files is empty. Please choose the right file and try again.")
        },
    )

    def clean_documents(self) -> list[UploadedFile]:
        files: list[UploadedFile] = self.cleaned_data.get("documents") or []
        if len(files) > MAX_EVIDENCE_FILES:
            raise forms.ValidationError(
                _("Send at most %(n)s files at once.") % {"n": MAX_EVIDENCE_FILES}
            )
        return files


class EvidenceReviewForm(PortalForm):
    verdict = forms.ChoiceField(
        label=_("Your verdict"),
        choices=Evidence.Verdict.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Accept the evidence or return it.")},
    )
    comment = forms.CharField(
        label=_("Comment for the provider (required when you return it)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("verdict") == Evidence.Verdict.RETURNED and not data.get("comment", "").strip():
            self.add_error("comment", _("Say what is missing, so the provider can fix it."))
        return data


def condition_rows(user: Any, data: Any) -> BaseConditionFormSet | None:
    """The decision page's condition rows (bound when ``data`` is given), for a network manager,
    who may approve with conditions; None for anyone else."""
    if not user.has_perm(FINAL_APPROVAL_PERMISSION):
        return None
    return cast(BaseConditionFormSet, ConditionFormSet(data, prefix="condition"))


def decision_with_conditions(
    form: Any, formset: BaseConditionFormSet | None
) -> tuple[str, list[Condition]] | None:
    """The outcome to record and its conditions, from a valid decision form and the page's
    condition rows: "approve with conditions" is an approval with at least one condition.
    None (with the error on the form) when the rows do not make a plan."""
    outcome = form.cleaned_data["outcome"]
    if outcome != form.APPROVE_WITH_CONDITIONS:
        return outcome, []
    if formset is None:
        form.add_error("outcome", _("Only a network manager can approve with conditions."))
        return None
    if not formset.is_valid():
        form.add_error(None, _("Correct the conditions below, then record the decision."))
        return None
    if not formset.conditions:
        form.add_error(
            None, _("List at least one condition, or choose “Approve” without conditions.")
        )
        return None
    return ReviewDecision.Outcome.APPROVE, formset.conditions
