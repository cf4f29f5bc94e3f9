"""The disclosure's forms: its "none" answers (in the entity step's form), a person or
organization with its roles and shares, and the rows that relate them."""

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from disclosures.models import (
    Category,
    Conviction,
    DisclosedParty,
    Disclosure,
    FamilyRelationship,
    OtherInterest,
)
from disclosures.services import Holding
from onboarding.forms import EntityProfileForm, PortalForm, PortalModelForm
from screening.identifiers import digits_only, validate_tin

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


def percent_field(label: "str | _StrPromise") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=Decimal("0.01"),
        max_value=Decimal("100"),
        decimal_places=2,
    )


class EntityStepForm(EntityProfileForm):
    """The entity step's answers, with the disclosure's "none" answers in a fieldset."""

    def __init__(self, *args: Any, disclosure: Disclosure, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.disclosure = disclosure
        for category in Category:
            name = Disclosure.NONE_FIELDS[category]
            field = cast(models.BooleanField, Disclosure._meta.get_field(name))
            self.fields[name] = forms.BooleanField(
                label=field.verbose_name, required=False, initial=getattr(disclosure, name)
            )
        self.helper.layout = Layout(
            *self._meta.fields,
            Fieldset(
                _("Ownership and control: categories with nothing to list"),
                *Disclosure.NONE_FIELDS.values(),
                css_id="disclosure-answers",
            ),
        )

    def disclosure_answers(self) -> dict[str, bool]:
        return {name: self.cleaned_data[name] for name in Disclosure.NONE_FIELDS.values()}


class PartyForm(PortalModelForm):
    """A person or an organization, its position or managing role, and its shares."""

    direct_percent = percent_field(_("Share of your organization held directly (%)"))
    through = forms.ModelChoiceField(
        queryset=DisclosedParty.objects.none(),
        required=False,
        label=_("Also holds a share of (an organization listed here)"),
        help_text=_(
            "For an indirect interest: the organization through which they hold part of yours, "
            "or a subcontractor you own part of. Add that organization first."
        ),
    )
    through_percent = percent_field(_("Share of that organization (%)"))
    ssn = forms.CharField(
        label=_("Social Security number"),
        required=False,
        max_length=11,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("9 digits. Stored encrypted and shown to you only as its last four digits."),
    )

    class Meta:
        model = DisclosedParty
        fields = [
            *DisclosedParty.PERSON_FIELDS,
            *DisclosedParty.ORGANIZATION_FIELDS,
            *DisclosedParty.ROLE_FIELDS,
        ]
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date", "autocomplete": "off"}),
            "business_addresses": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, kind: str, disclosure: Disclosure, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        keep = (
            DisclosedParty.PERSON_FIELDS if kind == "person" else DisclosedParty.ORGANIZATION_FIELDS
        )
        for name in [*DisclosedParty.PERSON_FIELDS, *DisclosedParty.ORGANIZATION_FIELDS]:
            if name not in keep:
                del self.fields[name]
        if kind == "organization":  # an organization holds shares; people hold positions
            for name in DisclosedParty.ROLE_FIELDS:
                del self.fields[name]
        organizations = disclosure.parties.filter(kind=DisclosedParty.Kind.ORGANIZATION)
        if self.instance.pk:
            organizations = organizations.exclude(pk=self.instance.pk)
            interests = {i.held_in_id: i.percent for i in self.instance.interests.all()}
            self.initial["direct_percent"] = interests.pop(None, None)
            if interests:
                held_in, percent = next(iter(interests.items()))
                self.initial.update(through=held_in, through_percent=percent)
            if self.instance.ssn:
                self.initial["ssn"] = self.instance.masked_ssn  # never sent back in full
            if self.instance.date_of_birth:  # nor the date of birth: blank keeps it
                self.initial["date_of_birth"] = None
                self.fields["date_of_birth"].help_text = _(
                    "Given already (born %(year)s). Leave blank to keep it, or enter it again "
                    "to correct it."
                ) % {"year": self.instance.birth_year}
        through = self.fields["through"]
        through.queryset = organizations  # type: ignore[attr-defined]
        through.label_from_instance = lambda party: party.name  # type: ignore[attr-defined]

    def clean_ssn(self) -> str:
        raw = self.cleaned_data["ssn"].strip()
        if raw and raw == self.instance.masked_ssn:
            return str(self.instance.ssn)
        value = digits_only(raw)
        if raw and (len(value) != 9 or len(raw.replace("-", "").replace(" ", "")) != 9):
            raise forms.ValidationError(
                _("An SSN is 9 digits, for example 123-45-6789."), code="ssn_digits"
            )
        if value and (value[:3] in {"000", "666"} or value[:1] == "9" or value[3:5] == "00"):
            raise forms.ValidationError(
                _("This is not a valid SSN. Check it against the person's card."), code="ssn"
            )
        return value

    def clean_tin(self) -> str:
        value = digits_only(self.cleaned_data["tin"])
        if value:
            validate_tin(value)
        return value

    def clean_date_of_birth(self) -> date | None:
        value: date | None = self.cleaned_data["date_of_birth"] or self.instance.date_of_birth
        if value and value >= timezone.localdate():
            raise forms.ValidationError(_("A date of birth is in the past."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.kind == "person" and not (data.get("first_name") and data.get("last_name")):
            self.add_error("last_name", _("Give the person's first and last name."))
        if self.kind == "organization" and not data.get("organization_name"):
            self.add_error("organization_name", _("Give the organization's name."))
        if data.get("through") and not data.get("through_percent"):
            self.add_error("through_percent", _("Give the share of that organization they hold."))
        if data.get("through_percent") and not data.get("through"):
            self.add_error("through", _("Choose the organization they hold that share of."))
        return data

    def party_data(self) -> dict[str, Any]:
        return {**self.cleaned_data, "kind": self.kind}

    def holding(self) -> Holding:
        return Holding(
            direct_percent=self.cleaned_data.get("direct_percent"),
            through=self.cleaned_data.get("through"),
            through_percent=self.cleaned_data.get("through_percent"),
        )


class _RowForm(PortalModelForm):
    """A row that names disclosed parties: only this disclosure's may be chosen."""

    party_fields: tuple[str, ...] = ()
    people_only = True

    def __init__(self, *args: Any, disclosure: Disclosure, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.disclosure = disclosure
        parties = disclosure.parties.all()
        if self.people_only:
            parties = parties.filter(kind=DisclosedParty.Kind.PERSON)
        for name in self.party_fields:
            field = self.fields[name]
            field.queryset = parties  # type: ignore[attr-defined]
            field.label_from_instance = lambda party: party.name  # type: ignore[attr-defined]


class FamilyRelationshipForm(_RowForm):
    party_fields = ("person", "relative")

    class Meta:
        model = FamilyRelationship
        fields = ["person", "relationship", "relative"]
        labels = {"person": _("Person"), "relative": _("Relative")}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("person") and data.get("person") == data.get("relative"):
            self.add_error("relative", _("Choose two different people."))
        return data


class OtherInterestForm(_RowForm):
    party_fields = ("holder",)
    people_only = False

    class Meta:
        model = OtherInterest
        fields = ["holder", "provider_name", "provider_identifier", "percent"]
        labels = {"holder": _("Owner"), "percent": _("Share held (%)")}


class ConvictionForm(_RowForm):
    party_fields = ("party",)

    class Meta:
        model = Conviction
        fields = ["party", "program", "convicted_on", "court", "details"]
        labels = {"party": _("Person convicted")}
        widgets = {
            "convicted_on": forms.DateInput(attrs={"type": "date"}),
            "details": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_convicted_on(self) -> date:
        value: date = self.cleaned_data["convicted_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("A conviction date is not in the future."))
        return value


class RevealForm(PortalForm):
    reason = forms.CharField(
        label=_("Why do you need to see them?"),
        max_length=200,
        help_text=_(
            "Recorded in the audit trail, for example: to confirm an exclusion-list match."
        ),
    )
