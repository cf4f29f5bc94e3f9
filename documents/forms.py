"""The provider's acknowledgement of its welcome packet."""

from django import forms
from django.utils.translation import gettext_lazy as _

from onboarding.forms import PortalForm


class AcknowledgeForm(PortalForm):
    confirm = forms.BooleanField(
        label=_("We have received and downloaded the welcome packet and onboarding documents.")
    )
