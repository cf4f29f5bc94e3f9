from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from api.models import ApiToken


def _in_a_year() -> object:
    return timezone.localtime() + timedelta(days=365)


class ApiTokenIssueForm(forms.Form):
    """What a plan administrator chooses for a new token; the secret is made by the service."""

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("Which system uses it, and who looks after it."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        choices=ApiToken.Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Every scope only reads. Give a system only what it needs."),
    )
    expires_at = forms.DateTimeField(
        label=_("Expires"),
        initial=_in_a_year,
        help_text=_("At most a year from now, in plan time (YYYY-MM-DD HH:MM)."),
    )
