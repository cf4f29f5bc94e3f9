"""The reviewers' forms: decisions, itemised deficiencies, internal notes."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from onboarding.forms import PortalForm
from onboarding.reference import ReviewReasonCode
from reviews.models import ReviewDecision


class ReviewDecisionForm(PortalForm):
    """The reviewer's decision on a step, or the final approval.

    The page's "Approve" button posts ``APPROVE_ALL``: it stands for choosing "Approve" and, in an
    item-by-item review, accepting every item not marked, so a clean step is one click.
    """

    APPROVE_ALL = "approve_all"
    # Offered to network managers at final approval and on change requests: an approval whose
    # conditions the page's condition rows list (corrective_actions).
    APPROVE_WITH_CONDITIONS = "approve_conditions"

    outcome = forms.ChoiceField(
        choices=ReviewDecision.Outcome.choices, widget=forms.RadioSelect, label=_("Decision")
    )
    reason = forms.CharField(
        label=_("Reason (required for a denial; the applicant sees it)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    accept_remaining = forms.BooleanField(
        label=_("Accept all remaining items (every item not marked “Return”)"),
        required=False,
    )

    def __init__(
        self,
        data: Any = None,
        *,
        final: bool = False,
        by_item: bool = False,
        conditions: bool = False,
        **kwargs: Any,
    ) -> None:
        if data is not None and data.get(self.APPROVE_ALL):
            data = data.copy()
            data["outcome"] = ReviewDecision.Outcome.APPROVE
            data["accept_remaining"] = "on"
        super().__init__(data, **kwargs)
        if final:
            self.fields["outcome"].choices = [  # type: ignore[attr-defined]
                c for c in ReviewDecision.Outcome.choices if c[0] != ReviewDecision.Outcome.RETURN
            ]
        if conditions:
            choices = list(self.fields["outcome"].choices)  # type: ignore[attr-defined]
            choices.insert(1, (self.APPROVE_WITH_CONDITIONS, _("Approve with conditions")))
            self.fields["outcome"].choices = choices  # type: ignore[attr-defined]
        if not by_item:
            del self.fields["accept_remaining"]


class DeficiencyForm(PortalForm):
    requirement = forms.ChoiceField(label=_("Requirement"), required=False)
    reason_code = forms.ChoiceField(
        label=_("Reason code"), choices=[("", "—"), *ReviewReasonCode.choices], required=False
    )
    reason = forms.CharField(
        label=_("Reason (the applicant sees it)"), max_length=200, required=False
    )
    comment = forms.CharField(label=_("Comment for the applicant"), max_length=1000, required=False)

    def __init__(self, *args: Any, requirements: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["requirement"].choices = [("", "—"), *requirements]  # type: ignore[attr-defined]
        # The decision page's own form carries the CSRF token; the blank rows are cached and
        # shared by every reviewer (reviews/_decision_rows.html), so they must not hold one.
        self.helper.disable_csrf = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("requirement") and not data.get("reason"):
            self.add_error("reason", _("Say what is wrong with this item."))
        if data.get("reason") and not data.get("requirement"):
            self.add_error("requirement", _("Choose the item this concerns."))
        return data


DeficiencyFormSet = forms.formset_factory(DeficiencyForm, extra=3, max_num=20)


class InternalNoteForm(forms.Form):
    body = forms.CharField(
        label=_("Internal note (plan staff only; the applicant never sees it)"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
