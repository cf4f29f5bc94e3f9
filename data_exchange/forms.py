"""The sample-file upload form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from data_exchange.specs import FileKind
from onboarding.forms import PortalForm


class SampleFileForm(PortalForm):
    kind = forms.ChoiceField(
        label=_("Which file is this?"),
        choices=FileKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the sample is an RTF or an OTF.")},
    )
    file = forms.FileField(
        label=_("Sample file"),
        help_text=_("CSV (comma-separated, UTF-8) or Excel (.xlsx), with the heading line first."),
        error_messages={
            "required": _("Choose the sample file to upload."),
            "empty": _("The file is empty. Choose your sample file and upload it again."),
        },
    )
