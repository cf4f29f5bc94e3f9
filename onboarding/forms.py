"""Forms of the applicant and reviewer pages. They validate input; services do the writing."""

from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from onboarding.models import DataSharingProfile, EntityProfile, EntityType
from onboarding.reference import County
from portal.text import validate_single_line
from reviews.models import Deficiency
from screening.identifiers import (
    digits_only,
    normalise_us_phone,
    validate_medi_cal_provider_number,
    validate_npi,
    validate_sos_entity_number,
    validate_tin,
)


class DeficiencyNotesMixin:
    """Puts each open deficiency next to the field it concerns."""

    fields: dict[str, forms.Field]

    def show_deficiencies(self, deficiencies: list[Deficiency]) -> None:
        for item in deficiencies:
            field = self.fields.get(item.requirement)
            if field is not None:
                note = format_html(
                    '<span class="d-block text-danger fw-semibold deficiency">{}: {}{}</span>',
                    _("Returned"),
                    item.reason,
                    f" — {item.comment}" if item.comment else "",
                )
                field.help_text = format_html("{}{}", note, field.help_text or "")


class PortalForm(DeficiencyNotesMixin, forms.Form):
    """Crispy rendering without its own <form> tag: pages place their own buttons.

    ``form_id`` places the fields in another form on the page (HTML's ``form`` attribute), so
    that they are sent with the answers of that form.
    """

    def __init__(self, *args: Any, form_id: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        if form_id:
            for field in self.fields.values():
                field.widget.attrs["form"] = form_id


class PortalModelForm(DeficiencyNotesMixin, forms.ModelForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class OrganizationForm(PortalForm):
    legal_name = forms.CharField(
        label=_("Organization's legal name"), max_length=200, validators=[validate_single_line]
    )
    title = forms.CharField(
        label=_("Your job title"),
        max_length=120,
        validators=[validate_single_line],
        help_text=_("You will be the organization's authorized official: the person who signs."),
    )


class InvitationForm(PortalForm):
    email = forms.EmailField(label=_("Email address of the person to invite"))


class EntityProfileForm(PortalModelForm):
    entity_types = forms.ModelMultipleChoiceField(
        queryset=EntityType.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Entity type(s)"),
    )
    tin = forms.CharField(
        label=_("TIN / EIN"),
        max_length=20,
        required=False,
        help_text=_("9 digits, e.g. 12-3456789."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    npi = forms.CharField(
        label=_("Organizational NPI"),
        max_length=20,
        required=False,
        help_text=_("Your organization's Type 2 NPI: 10 digits."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    counties = forms.MultipleChoiceField(
        choices=County.choices,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        label=_("Counties served"),
        help_text=_("Hold Ctrl (or ⌘) to choose several."),
    )

    class Meta:
        model = EntityProfile
        fields = [
            "legal_name",
            "dba_name",
            "entity_types",
            "other_justification",
            "tin",
            "npi",
            "medi_cal_provider_number",
            "sos_entity_number",
            "service_address",
            "mailing_address",
            "counties",
            "official_name",
            "official_title",
            "contact_name",
            "contact_email",
            "contact_phone",
        ]
        widgets = {"other_justification": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["counties"] = self.instance.county_codes
            # The full TIN is never sent back to the browser: colleagues see it masked.
            self.initial["tin"] = self.instance.masked_tin

    def clean_tin(self) -> str:
        raw = self.cleaned_data["tin"].strip()
        if raw and raw == self.instance.masked_tin:
            return str(self.instance.tin)
        value = digits_only(raw)
        if raw and len(value) != len(raw.replace(" ", "").replace("-", "")):
            raise ValidationError(
                _("A TIN/EIN contains digits only, for example 12-3456789."), code="tin_digits"
            )
        if value:
            validate_tin(value)
        return value

    def clean_medi_cal_provider_number(self) -> str:
        value = self.cleaned_data["medi_cal_provider_number"].strip()
        return validate_medi_cal_provider_number(value) if value else ""

    def clean_sos_entity_number(self) -> str:
        value = self.cleaned_data["sos_entity_number"].strip()
        return validate_sos_entity_number(value) if value else ""

    def clean_contact_phone(self) -> str:
        value = self.cleaned_data["contact_phone"].strip()
        return normalise_us_phone(value) if value else ""

    def clean_npi(self) -> str:
        raw = self.cleaned_data["npi"].strip()
        value = digits_only(raw)
        if raw and len(value) != len(raw.replace(" ", "").replace("-", "")):
            raise ValidationError(_("An NPI contains digits only."))
        if value:
            validate_npi(value)
        return value


class YesNoSelect(forms.NullBooleanSelect):
    """A yes/no question that starts unanswered."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.choices = [("unknown", _("Choose…")), ("true", _("Yes")), ("false", _("No"))]


PHONE_DIGITS = 10


def clean_phone(value: str) -> str:
    """A US phone number: 10 digits, written any common way; stored as typed."""
    value = value.strip()
    digits = "".join(ch for ch in value if ch.isdigit())
    if digits.startswith("1") and len(digits) == PHONE_DIGITS + 1:
        digits = digits[1:]
    if value and (len(digits) != PHONE_DIGITS or any(ch.isalpha() for ch in value)):
        raise ValidationError(_("Enter a 10-digit phone number, like (213) 555-0100."))
    return value


class DataSharingForm(PortalModelForm):
    class Meta:
        model = DataSharingProfile
        fields = DataSharingProfile.APPLICANT_FIELDS
        widgets = {
            "dxf_signed_on": forms.DateInput(attrs={"type": "date"}),
            "dxf_in_participant_directory": YesNoSelect(),
            "uses_mfa": YesNoSelect(),
            "encrypts_at_rest": YesNoSelect(),
            "encrypts_in_transit": YesNoSelect(),
            "trains_workforce": YesNoSelect(),
            "privacy_officer_phone": forms.TextInput(attrs={"type": "tel"}),
            "security_officer_phone": forms.TextInput(attrs={"type": "tel"}),
        }

    def clean_privacy_officer_phone(self) -> str:
        return clean_phone(self.cleaned_data["privacy_officer_phone"])

    def clean_security_officer_phone(self) -> str:
        return clean_phone(self.cleaned_data["security_officer_phone"])

    def clean_dxf_signed_on(self) -> Any:
        signed_on = self.cleaned_data["dxf_signed_on"]
        if signed_on and signed_on > timezone.localdate():
            raise ValidationError(_("The signing date cannot be in the future."))
        return signed_on


class DocumentUploadForm(PortalForm):
    requirement = forms.CharField(
        label=_("What is this document?"),
        max_length=200,
        widget=forms.Select(),
        help_text=_("PDF, image, Word, Excel or CSV; 25 MB at most."),
        error_messages={"required": _("Choose what this document is from the list.")},
    )
    file = forms.FileField(
        label=_("File"),
        error_messages={
            "required": _("Choose a file to upload."),
            "empty": _("The file is empty. Please choose the right file and try again."),
            "invalid": _("No file arrived. Please choose the file again."),
        },
    )
    expires_on = forms.DateField(
        label=_("Expiry date (licences and certifications)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The date printed on the licence or certificate as its end of validity."),
        error_messages={"invalid": _("Enter the expiry date as a date, for example 2028-06-30.")},
    )

    def __init__(
        self,
        *args: Any,
        choices: list[tuple[str, str]],
        uploaded: frozenset[str] = frozenset(),
        expiring: list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        """``uploaded``: the kinds of document already there. The list starts at the first kind
        still missing, never at one already uploaded; with none missing, at "Choose…".
        ``expiring``: the names of the kinds that are licences or certifications, which need
        their expiry date (the field is left out where there are none)."""
        super().__init__(*args, **kwargs)
        if expiring:
            self.fields["expires_on"].help_text = _("Needed for: %(kinds)s.") % {
                "kinds": "; ".join(expiring)
            }
        else:
            del self.fields["expires_on"]
        self.fields["requirement"].widget.choices = [("", _("Choose…")), *choices]
        self.fields["requirement"].initial = next(
            (value for value, _label in choices if value not in uploaded), ""
        )


class WithdrawForm(PortalForm):
    reason = forms.CharField(
        label=_("Why are you withdrawing? (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
    )
    confirm = forms.BooleanField(
        label=_("I understand that withdrawing ends this application and cannot be undone.")
    )
