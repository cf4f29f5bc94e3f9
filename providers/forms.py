"""The network manager's form for proposing a suspension, termination or reinstatement."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onboarding.forms import PortalForm
from providers.models import StatusChange


class StatusChangeForm(PortalForm):
    termination = forms.ChoiceField(
        label=_("Kind of termination"),
        choices=StatusChange.Termination.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether the termination is for cause or voluntary.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("The provider is told this reason, word for word."),
        error_messages={"required": _("Give the reason: the provider is told it.")},
    )
    effective_on = forms.DateField(
        label=_("Effective date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "Today, or a later date: it takes effect on that date once a second network "
            "manager has confirmed it."
        ),
        error_messages={
            "required": _("Enter the effective date."),
            "invalid": _("Enter the effective date as a date, for example 2027-03-01."),
        },
    )

    def __init__(self, *args: Any, action: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.action = action
        self.fields["effective_on"].initial = timezone.localdate()
        if action != StatusChange.Action.TERMINATE:
            del self.fields["termination"]
        if action == StatusChange.Action.REINSTATE:
            del self.fields["effective_on"]  # a reinstatement takes effect once confirmed

    def clean_effective_on(self) -> Any:
        effective_on = self.cleaned_data["effective_on"]
        if effective_on < timezone.localdate():
            raise forms.ValidationError(_("The effective date cannot be in the past."))
        return effective_on


class RecordDateForm(forms.Form):
    """The day the provider record is shown as of (GET, so the address can be shared)."""

    on = forms.DateField(
        label=_("Show the record as it was on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date, for example 2027-03-01.")},
    )

    def clean_on(self) -> Any:
        on = self.cleaned_data["on"]
        if on and on > timezone.localdate():
            raise forms.ValidationError(_("The record cannot be shown for a day still to come."))
        return on
