"""The forms of a change request, one per kind; each cleans into the request's ``proposal``."""

from datetime import date
from typing import Any, cast

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from changes.models import ChangeRequest
from changes.proposals import ADD, ADDRESS_FIELDS, CONTACT_FIELDS, REMOVE, RENEW, REPLACE
from disclosures.models import Disclosure
from onboarding.forms import PortalForm
from onboarding.models import (
    Application,
    CareTeamMember,
    EntityProfile,
    EvidenceRequirement,
    Membership,
)
from onboarding.reference import CareTeamRole, County, PopulationOfFocus
from onboarding.requirements import human_date

Kind = ChangeRequest.Kind


class ChangeForm(PortalForm):
    """A kind's form: built for one provider, filled from a draft, cleaned into a proposal."""

    def __init__(self, data: Any = None, files: Any = None, *, application: Application, **kw: Any):
        self.application = application
        super().__init__(data, files, **kw)

    def proposal(self) -> dict[str, Any]:
        return {
            name: value.isoformat() if isinstance(value, date) else value
            for name, value in self.cleaned_data.items()
            if value not in (None, "")
        }


class CareTeamChangeForm(ChangeForm):
    ACTIONS = [
        (ADD, _("Add a person to the care team")),
        (REMOVE, _("Remove a person from the care team")),
        (REPLACE, _("Replace a person (the new person takes their place)")),
        (RENEW, _("Send a renewed licence")),
    ]
    action = forms.ChoiceField(
        label=_("What changes"), choices=ACTIONS, widget=forms.RadioSelect, initial=ADD
    )
    member = forms.TypedChoiceField(
        label=_("Team member"), coerce=int, required=False, empty_value=None
    )
    role = forms.ChoiceField(label=_("Role"), choices=CareTeamRole.choices, required=False)
    full_name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    license_type = forms.CharField(label=_("License type"), max_length=60, required=False)
    license_number = forms.CharField(label=_("License number"), max_length=40, required=False)
    license_state = forms.CharField(label=_("License state"), max_length=2, required=False)
    license_expires_on = forms.DateField(
        label=_("License expiry date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter the date as a date, for example 2028-06-30.")},
    )
    fte = forms.DecimalField(
        label=_("FTE"), max_digits=3, decimal_places=2, required=False, initial=1
    )
    languages = forms.CharField(label=_("Languages"), max_length=200, required=False)
    licence_copy = forms.FileField(
        label=_("Copy of the renewed licence"),
        required=False,
        help_text=_("PDF or image; 25 MB at most. Needed for a renewed licence."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # In the model's order (role, then name): prefetched with the record on review pages.
        self.team = {m.pk: m for m in self.application.care_team.all()}
        self.fields["member"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *((pk, f"{m.full_name} ({m.get_role_display()})") for pk, m in self.team.items()),
        ]

    def clean_license_state(self) -> str:
        value: str = self.cleaned_data["license_state"].strip().upper()
        if value and (len(value) != 2 or not value.isalpha()):
            raise forms.ValidationError(_("Enter the state as two letters, e.g. CA."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        action = data.get("action")
        if action in {REMOVE, REPLACE, RENEW} and not data.get("member"):
            self.add_error("member", _("Choose the team member this is about."))
        if action in {ADD, REPLACE}:
            for field in ("role", "full_name"):
                if not data.get(field):
                    self.add_error(field, _("Required for a new team member."))
            if data.get("role") == CareTeamRole.CLINICAL_CONSULTANT:
                for field in ("license_type", "license_number", "license_state"):
                    if not data.get(field):
                        self.add_error(field, _("Required for an ECM Clinical Consultant."))
        consultant = data.get("role") == CareTeamRole.CLINICAL_CONSULTANT
        needs_expiry = action == RENEW or (action in {ADD, REPLACE} and consultant)
        if (
            needs_expiry
            and not data.get("license_expires_on")
            and "license_expires_on" not in self.errors
        ):
            self.add_error("license_expires_on", _("Enter the license's expiry date."))
        expires = data.get("license_expires_on")
        if expires and expires <= timezone.localdate():
            self.add_error(
                "license_expires_on",
                _("This date has passed (%(date)s). Enter the date the license runs to.")
                % {"date": human_date(expires)},
            )
        fte = data.get("fte")
        if fte is not None and not (0 < fte <= 1):
            self.add_error("fte", _("FTE is between 0.01 and 1.00."))
        return data

    def proposal(self) -> dict[str, Any]:
        proposal = super().proposal()
        proposal.pop("licence_copy", None)
        if "fte" in proposal:
            proposal["fte"] = str(proposal["fte"])
        member: CareTeamMember | None = self.team.get(proposal.get("member") or 0)
        if member is not None:
            proposal["member_name"] = member.full_name
            if proposal["action"] == REPLACE:
                proposal.setdefault("role", member.role)
        return proposal


class CapacityChangeForm(ChangeForm):
    population = forms.ChoiceField(
        label=_("Population of focus"), choices=PopulationOfFocus.choices
    )
    county = forms.ChoiceField(label=_("County"), choices=County.choices)
    member_capacity = forms.IntegerField(
        label=_("Member capacity"),
        min_value=0,
        max_value=100000,
        help_text=_("How many members you can serve there; 0 stops serving it in this county."),
    )
    years_experience = forms.IntegerField(
        label=_("Years of experience with this population"),
        min_value=0,
        max_value=100,
        required=False,
        help_text=_("Needed only for a population you do not serve yet."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        served = set(self.application.populations.values_list("population", flat=True))
        new = data.get("population") and data["population"] not in served
        if new and data.get("member_capacity") and data.get("years_experience") is None:
            self.add_error("years_experience", _("Say how many years you have served them."))
        return data


class LocationsChangeForm(ChangeForm):
    service_address = forms.CharField(label=_("Service address"), max_length=300)
    mailing_address = forms.CharField(label=_("Mailing address"), max_length=300, required=False)
    counties = forms.MultipleChoiceField(
        label=_("Counties you serve"),
        choices=County.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one county you serve.")},
    )


class LicenceChangeForm(ChangeForm):
    """A renewed licence or certification of the organization (evidence with an expiry date)."""

    requirement = forms.TypedChoiceField(
        label=_("Which licence or certification"),
        coerce=int,
        error_messages={"required": _("Choose the licence or certification you renewed.")},
    )
    expires_on = forms.DateField(
        label=_("Valid until"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The date printed on it as its end of validity."),
        error_messages={
            "required": _("Enter the date the renewed licence runs to."),
            "invalid": _("Enter the date as a date, for example 2028-06-30."),
        },
    )
    licence_copy = forms.FileField(
        label=_("Copy of the renewed licence or certification"),
        required=False,
        help_text=_("PDF or image; 25 MB at most."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.evidence = {
            e.pk: e
            for e in EvidenceRequirement.objects.filter(
                entity_type__in=self.application.entity_profile.entity_types.all(),
                has_expiry=True,
            ).order_by("title")
        }
        self.fields["requirement"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *((pk, e.title) for pk, e in self.evidence.items()),
        ]

    def clean_expires_on(self) -> date:
        value: date = self.cleaned_data["expires_on"]
        if value <= timezone.localdate():
            raise forms.ValidationError(
                _("This date has passed (%(date)s). Enter the date the licence runs to.")
                % {"date": human_date(value)}
            )
        return value

    def proposal(self) -> dict[str, Any]:
        proposal = super().proposal()
        proposal.pop("licence_copy", None)
        proposal["requirement_title"] = self.evidence[proposal["requirement"]].title
        return proposal


class OfficialChangeForm(ChangeForm):
    nominee = forms.ModelChoiceField(
        label=_("The new authorized official"),
        queryset=Membership.objects.none(),
        help_text=_(
            "Someone already on your team as a preparer (invite them first if they are not). "
            "They must accept by the emailed link before the plan can approve it."
        ),
        error_messages={"required": _("Choose who takes over.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nominee"].queryset = (  # type: ignore[attr-defined]
            Membership.objects.filter(
                organization=self.application.organization_id, role=Membership.Role.PREPARER
            )
            .select_related("user")
            .order_by("user__email")
        )
        self.fields["nominee"].label_from_instance = lambda m: (  # type: ignore[attr-defined]
            f"{m.user.display_name} <{m.user.email}>"
        )

    def proposal(self) -> dict[str, Any]:
        return {"nominee": self.cleaned_data["nominee"].user}


class ContactChangeForm(ChangeForm):
    contact_name = forms.CharField(label=_("Primary contact's name"), max_length=200)
    contact_email = forms.EmailField(label=_("Primary contact's email"))
    contact_phone = forms.CharField(label=_("Primary contact's phone"), max_length=32)


class OwnershipChangeForm(ChangeForm):
    """A change of ownership or control: when it happened and what changed. The disclosure as it
    is after the change is edited below the form, row by row, starting from the current one."""

    changed_on = forms.DateField(
        label=_("Date of the change"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "The day it took effect: a sale or transfer of shares, a new officer, director or "
            "managing employee, or one leaving. Report it within 35 days of that day."
        ),
        error_messages={
            "required": _("Enter the date the change took effect."),
            "invalid": _("Enter the date as a date, for example 2026-11-30."),
        },
    )
    description = forms.CharField(
        label=_("What changed"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("In a sentence or two, for example: Jane Doe replaced John Roe as treasurer."),
        error_messages={"required": _("Say in a sentence what changed.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in Disclosure.NONE_FIELDS.values():
            field = cast(models.BooleanField, Disclosure._meta.get_field(name))
            self.fields[name] = forms.BooleanField(label=field.verbose_name, required=False)

    def clean_changed_on(self) -> date:
        value: date = self.cleaned_data["changed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(
                _("This date is still to come (%(date)s). Report a change once it has happened.")
                % {"date": human_date(value)}
            )
        return value

    def proposal(self) -> dict[str, Any]:
        """The date and description, with the "none" answers (``True`` or ``False``, which the
        request's disclosure keeps)."""
        proposal = super().proposal()
        return proposal | {
            name: self.cleaned_data[name] for name in Disclosure.NONE_FIELDS.values()
        }


FORMS: dict[str, type[ChangeForm]] = {
    Kind.CARE_TEAM: CareTeamChangeForm,
    Kind.CAPACITY: CapacityChangeForm,
    Kind.LOCATIONS: LocationsChangeForm,
    Kind.LICENCE: LicenceChangeForm,
    Kind.OFFICIAL: OfficialChangeForm,
    Kind.CONTACT: ContactChangeForm,
    Kind.OWNERSHIP: OwnershipChangeForm,
}


def initial_for(kind: str, application: Application) -> dict[str, Any]:
    """What a new request's form starts from: the record as it is, where the form edits it."""
    profile: EntityProfile = application.entity_profile
    if kind == Kind.LOCATIONS:
        return {
            **{field: getattr(profile, field) for field in ADDRESS_FIELDS},
            "counties": profile.county_codes,
        }
    if kind == Kind.CONTACT:
        return {field: getattr(profile, field) for field in CONTACT_FIELDS}
    if kind == Kind.OWNERSHIP:
        return none_answers(application.disclosure)
    return {}


def none_answers(disclosure: Disclosure) -> dict[str, bool]:
    """A disclosure's "none" answers, by field name."""
    return {name: getattr(disclosure, name) for name in Disclosure.NONE_FIELDS.values()}


def initial_from(change_request: ChangeRequest) -> dict[str, Any]:
    """A saved draft's answers, to fill its form again."""
    initial = dict(change_request.proposal)
    if change_request.kind == Kind.OWNERSHIP:
        initial |= none_answers(change_request.disclosure)
    if change_request.nominee_id:
        initial["nominee"] = Membership.objects.filter(user=change_request.nominee_id).first()
    return initial


def proposal_rows(change_request: ChangeRequest) -> list[tuple[str, str]]:
    """What is asked, as (the form's label, the value as a person reads it)."""
    form = FORMS[change_request.kind](application=change_request.application)
    rows = []
    for name, value in change_request.proposal.items():
        field = form.fields.get(name)
        if field is None:
            continue
        choices = dict(getattr(field, "choices", []) or [])
        if isinstance(value, list):
            shown = ", ".join(str(choices.get(v, v)) for v in value)
        else:
            shown = str(choices.get(value, value))
        rows.append((str(field.label), shown))
    if change_request.kind == Kind.OFFICIAL:
        nominee = change_request.proposed("nominee_name")
        rows.append((str(_("The new authorized official")), nominee))
    return rows


def fact_rows(facts: dict[str, Any] | None) -> list[tuple[str, str]]:
    """A request's ``before`` or ``after``, flattened into (what, value) rows for the page."""
    rows: list[tuple[str, str]] = []
    for key, value in (facts or {}).items():
        if isinstance(value, dict):
            rows += fact_rows(value)
        elif value is None:
            rows.append((key.replace("_", " "), "—"))
        else:
            shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
            rows.append((key.replace("_", " "), shown or "—"))
    return rows
