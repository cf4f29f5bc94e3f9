"""Forms of the capability-attestation step: criteria, care team, partners, capacity, signature."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onboarding.attestation_text import ATTESTATION_TEXT, ATTESTATION_VERSION
from onboarding.forms import PortalForm, PortalModelForm
from onboarding.models import Application, CareTeamMember, CommunityPartner, CriterionRule
from onboarding.reference import (
    CareSetting,
    CareTeamRole,
    County,
    PopulationOfFocus,
    ReviewReasonCode,
)
from onboarding.requirements import criterion_rules, human_date

MAX_CAPACITY = 100_000
MAX_YEARS = 80


class CriteriaForm(PortalForm):
    """The seven qualification criteria, the languages offered and the in-person settings."""

    languages_offered = forms.CharField(
        label=_("Languages offered"),
        max_length=300,
        required=False,
        help_text=_("Separate languages with commas, e.g. English, Spanish, Korean."),
    )
    care_settings = forms.MultipleChoiceField(
        label=_("Settings where your care managers meet members in person"),
        choices=CareSetting.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    setting_other_detail = forms.CharField(
        label=_("Other setting (describe)"), max_length=200, required=False
    )

    def __init__(
        self, *args: Any, rules: dict[int, CriterionRule] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for n, rule in (rules or criterion_rules()).items():
            label = rule.get_criterion_display()
            self.fields[f"criterion_{n}"] = forms.BooleanField(
                label=_("We attest to criterion %(n)d: %(text)s") % {"n": n, "text": label},
                required=False,
            )
            guidance = (
                _("Evidence to upload below: %(what)s (required).")
                if rule.evidence_required
                else _("Evidence to upload below (optional): %(what)s.")
            ) % {"what": rule.evidence_guidance or _("any supporting document")}
            self.fields[f"narrative_{n}"] = forms.CharField(
                label=_("How your organization meets criterion %(n)d") % {"n": n},
                required=False,
                widget=forms.Textarea(
                    attrs={
                        "rows": 3,
                        "maxlength": 5000,
                        "data-min-length": rule.narrative_min_length,
                        "data-counter": "narrative",
                    }
                ),
                help_text=_("At least %(min)d characters. %(guidance)s")
                % {"min": rule.narrative_min_length, "guidance": guidance},
                max_length=5000,
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            CareSetting.OTHER in data.get("care_settings", [])
            and not data.get("setting_other_detail", "").strip()
        ):
            self.add_error("setting_other_detail", _("Describe the other setting."))
        return data

    def criteria(self) -> dict[int, dict[str, Any]]:
        return {
            int(name.removeprefix("criterion_")): {
                "attested": self.cleaned_data[name],
                "narrative": self.cleaned_data[f"narrative_{name.removeprefix('criterion_')}"]
                .strip()
                .replace("\r\n", "\n"),
            }
            for name in self.fields
            if name.startswith("criterion_")
        }


class CareTeamMemberForm(PortalModelForm):
    class Meta:
        model = CareTeamMember
        fields = CareTeamMember.APPLICANT_FIELDS
        widgets = {
            "license_expires_on": forms.DateInput(attrs={"type": "date"}),
            "date_of_birth": forms.DateInput(attrs={"type": "date", "autocomplete": "off"}),
        }
        help_texts = {
            "license_type": _(
                "For example LCSW, LMFT, RN, MD. Required for a Clinical Consultant."
            ),
            "license_state": _("Two letters, e.g. CA."),
            "fte": _("Share of a full-time job spent on ECM, from 0.01 to 1.00."),
            "date_of_birth": _(
                "Leave blank unless the plan asks for it. Federal and state exclusion lists "
                "identify people by name and date of birth; we use it only to tell this person "
                "apart from someone with the same name on those lists, and never show it on "
                "the application."
            ),
        }

    def clean_license_state(self) -> str:
        value: str = self.cleaned_data["license_state"].strip().upper()
        if value and (len(value) != 2 or not value.isalpha()):
            raise forms.ValidationError(_("Enter the state as two letters, e.g. CA."))
        return value

    def clean_date_of_birth(self) -> date | None:
        value: date | None = self.cleaned_data["date_of_birth"]
        if value and value >= timezone.localdate():
            raise forms.ValidationError(_("A date of birth is in the past."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role = data.get("role")
        if role == CareTeamRole.CLINICAL_CONSULTANT:
            for field in ("license_type", "license_number", "license_state", "license_expires_on"):
                if not data.get(field) and field not in self.errors:
                    self.add_error(field, _("Required for an ECM Clinical Consultant."))
        expires = data.get("license_expires_on")
        if expires and expires <= timezone.localdate():
            self.add_error(
                "license_expires_on",
                _("This license expired on %(date)s. Enter the renewed license.")
                % {"date": human_date(expires)},
            )
        fte = data.get("fte")
        if fte is not None and not (0 < fte <= 1):
            self.add_error("fte", _("FTE is between 0.01 and 1.00."))
        return data


class CommunityPartnerForm(PortalModelForm):
    """A partner for criterion 5; the agreement can be one of the step's uploaded documents."""

    class Meta:
        model = CommunityPartner
        fields = ["kind", "organization_name", "agreement_kind", "document"]

    def __init__(self, *args: Any, application: Application, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        documents: QuerySet[Any] = application.documents.filter(step_kind="attestations")
        document_field: forms.ModelChoiceField[Any] = self.fields["document"]  # type: ignore[assignment]
        document_field.queryset = documents
        document_field.help_text = _(
            "Upload the agreement on the step page first; then choose it here."
        )


@dataclass(frozen=True)
class CapacityTotals:
    """Member capacity summed by population, by county and overall."""

    by_population: dict[str, int]
    by_county: dict[str, int]
    total: int


def capacity_totals(capacities: dict[str, dict[str, int]]) -> CapacityTotals:
    """The same sums the page's script shows as the applicant types."""
    by_population = {p: sum(row.values()) for p, row in capacities.items()}
    by_county: dict[str, int] = {}
    for row in capacities.values():
        for county, n in row.items():
            by_county[county] = by_county.get(county, 0) + n
    return CapacityTotals(by_population, by_county, sum(by_population.values()))


class CapacityTableForm(PortalForm):
    """Populations of focus served, years of experience, and member capacity per county."""

    def __init__(self, *args: Any, counties: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.counties = counties
        for population in PopulationOfFocus:
            code = population.value
            self.fields[f"serve_{code}"] = forms.BooleanField(
                label=population.label, required=False
            )
            self.fields[f"years_{code}"] = forms.IntegerField(
                label=_("Years of experience serving %(code)s") % {"code": code},
                min_value=0,
                max_value=MAX_YEARS,
                required=False,
            )
            for county in counties:
                self.fields[f"cap_{code}_{county}"] = forms.IntegerField(
                    label=_("Members of %(code)s in %(county)s")
                    % {"code": code, "county": County(county).label},
                    min_value=0,
                    max_value=MAX_CAPACITY,
                    required=False,
                    widget=forms.NumberInput(
                        attrs={"data-population": code, "data-county": county, "min": 0}
                    ),
                )

    def rows(self, totals: CapacityTotals) -> list[dict[str, Any]]:
        """The table as the template draws it: one row per population, one cell per county."""
        return [
            {
                "population": population,
                "serve": self[f"serve_{population.value}"],
                "years": self[f"years_{population.value}"],
                "cells": [
                    {"field": self[f"cap_{population.value}_{c}"], "county": c}
                    for c in self.counties
                ],
                "total": totals.by_population.get(population.value, 0),
            }
            for population in PopulationOfFocus
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for population in PopulationOfFocus:
            code = population.value
            figures = [data.get(f"cap_{code}_{c}") or 0 for c in self.counties]
            if data.get(f"serve_{code}"):
                if data.get(f"years_{code}") is None and f"years_{code}" not in self.errors:
                    self.add_error(
                        f"years_{code}",
                        _("Give your years of experience serving population %(code)s.")
                        % {"code": code},
                    )
                if not any(figures):
                    self.add_error(
                        f"serve_{code}",
                        _("Give a member capacity in at least one county for population %(code)s.")
                        % {"code": code},
                    )
            elif any(figures):
                self.add_error(
                    f"serve_{code}",
                    _("Tick population %(code)s if you serve it, or clear its capacity figures.")
                    % {"code": code},
                )
        return data

    def populations(self) -> dict[str, int]:
        """Population code → years of experience, for the populations ticked."""
        return {
            p.value: self.cleaned_data.get(f"years_{p.value}") or 0
            for p in PopulationOfFocus
            if self.cleaned_data.get(f"serve_{p.value}")
        }

    def capacities(self) -> dict[str, dict[str, int]]:
        """Population code → county → member capacity, for the populations ticked."""
        return {
            code: {
                c: self.cleaned_data[f"cap_{code}_{c}"]
                for c in self.counties
                if self.cleaned_data.get(f"cap_{code}_{c}")
            }
            for code in self.populations()
        }


class SignatureForm(PortalForm):
    """The authorized official's e-signature: typed name and title, and the attestation text."""

    ATTESTATION_TEXT = ATTESTATION_TEXT

    full_name = forms.CharField(label=_("Your full name (typed signature)"), max_length=200)
    title = forms.CharField(label=_("Your title"), max_length=120)
    confirm = forms.BooleanField(
        label=ATTESTATION_TEXT,
        error_messages={"required": _("Tick the box to confirm the attestation.")},
    )
    version = forms.CharField(widget=forms.HiddenInput, initial=ATTESTATION_VERSION)

    def clean_version(self) -> str:
        value: str = self.cleaned_data["version"]
        if value != ATTESTATION_VERSION:
            raise forms.ValidationError(
                _("The attestation text has changed since this page was opened. Read it again.")
            )
        return value


class ItemReviewForm(PortalForm):
    """The reviewer's verdict on one item of the attestation step."""

    ACCEPT = "accept"
    RETURN = "return"

    verdict = forms.ChoiceField(
        label=_("Verdict"),
        choices=[(ACCEPT, _("Accept")), (RETURN, _("Return"))],
        widget=forms.RadioSelect,
        required=False,
    )
    reason_code = forms.ChoiceField(
        label=_("Reason code"), choices=[("", "—"), *ReviewReasonCode.choices], required=False
    )
    comment = forms.CharField(
        label=_("Comment for the applicant"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, data: Any = None, *, item: str, label: str) -> None:
        super().__init__(data, prefix=f"item-{item}")
        self.item = item
        self.label = label
        # The decision page's own form carries the CSRF token; the blank rows are cached and
        # shared by every reviewer (reviews/_decision_rows.html), so they must not hold one.
        self.helper.disable_csrf = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("verdict") == self.RETURN:
            if not data.get("reason_code"):
                self.add_error("reason_code", _("Choose why you are returning this item."))
            if not data.get("comment", "").strip():
                self.add_error("comment", _("Tell the applicant what to change."))
        return data


def item_review_forms(items: list[tuple[str, Any]], data: Any = None) -> list[ItemReviewForm]:
    """One verdict form per item, each radio group named for its item: groups all called
    "Verdict" would leave a screen-reader user guessing which one they are in."""
    forms_ = [ItemReviewForm(data, item=item, label=label) for item, label in items]
    for form in forms_:
        form.fields["verdict"].label = _("Verdict on %(item)s") % {"item": form.label}
    return forms_
