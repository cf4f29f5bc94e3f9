"""The reviewer's adjudication of a screening match."""

from django import forms
from django.utils.translation import gettext_lazy as _

from onboarding.forms import PortalForm
from screening.models import ScreeningResult


class ScreeningAdjudicationForm(PortalForm):
    adjudication = forms.ChoiceField(
        choices=ScreeningResult.Adjudication.choices,
        widget=forms.RadioSelect,
        label=_("Your finding"),
        error_messages={"required": _("Choose whether to confirm or dismiss the match.")},
    )
    note = forms.CharField(
        label=_("Note (why; kept with the screening record)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": _("Write a note saying why you confirm or dismiss it.")},
    )
