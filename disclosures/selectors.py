"""Reads of a disclosure: its rows sorted for the pages, and the rows of one applicant."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from dateutil.relativedelta import relativedelta  # type: ignore[import-untyped]
from django.conf import settings
from django.db.models import Model, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disclosures import ownership
from disclosures.content import disclosure_content, prefetch_disclosure
from disclosures.editing import Editing
from disclosures.models import (
    Category,
    Conviction,
    DisclosedParty,
    Disclosure,
    FamilyRelationship,
    OtherInterest,
    OwnershipInterest,
)
from onboarding.models import Application
from onboarding.selectors import application_for_applicant
from portal.models import User

Row = TypeVar("Row", bound=Model)


@dataclass(frozen=True)
class Holding:
    """A party's share of the applicant (combined, in percent) and how it holds it."""

    party: DisclosedParty
    share: Decimal
    interests: list[OwnershipInterest]

    @property
    def must_disclose(self) -> bool:
        return self.share >= ownership.threshold()

    @property
    def is_indirect(self) -> bool:
        return any(i.held_in_id is not None for i in self.interests)


@dataclass(frozen=True)
class FlaggedConviction:
    conviction: Conviction
    rule: str


@dataclass
class DisclosureView:
    """A disclosure as its pages show it: each category's rows, shares computed."""

    disclosure: Disclosure
    holdings: list[Holding] = field(default_factory=list)
    officers: list[DisclosedParty] = field(default_factory=list)
    managing_employees: list[DisclosedParty] = field(default_factory=list)
    subcontractors: list[tuple[DisclosedParty, list[OwnershipInterest]]] = field(
        default_factory=list
    )
    family: list[FamilyRelationship] = field(default_factory=list)
    other_interests: list[OtherInterest] = field(default_factory=list)
    convictions: list[Conviction] = field(default_factory=list)
    flagged: list[FlaggedConviction] = field(default_factory=list)
    circular: bool = False

    @property
    def parties(self) -> list[DisclosedParty]:
        return list(self.disclosure.parties.all())

    @property
    def people(self) -> list[DisclosedParty]:
        return [p for p in self.parties if p.is_person]

    @property
    def organizations(self) -> list[DisclosedParty]:
        return [p for p in self.parties if not p.is_person]

    @property
    def owners(self) -> list[Holding]:
        return [h for h in self.holdings if h.must_disclose]

    @property
    def row_groups(self) -> list[tuple[str, list[Any], str]]:
        """The rows that relate parties, each kind with its heading and its address name."""
        return [
            (str(Category.FAMILY.label), self.family, "family"),
            (str(Category.OTHER_INTERESTS.label), self.other_interests, "other-interests"),
            (str(Category.CONVICTIONS.label), self.convictions, "convictions"),
        ]

    def has_rows(self, category: str) -> bool:
        rows = {
            "owners": self.owners,
            "officers": self.officers,
            "managing_employees": self.managing_employees,
            "family": self.family,
            "other_interests": self.other_interests,
            "subcontractors": self.subcontractors,
            "convictions": self.convictions,
        }
        return bool(rows[category])


def disclosure_view(disclosure: Disclosure, today: date | None = None) -> DisclosureView:
    """A disclosure sorted for its pages (one query per kind of row)."""
    prefetch_disclosure(disclosure)
    interests = list(disclosure.interests.all())
    by_holder: dict[int, list[OwnershipInterest]] = {}
    for interest in interests:
        by_holder.setdefault(interest.holder_id, []).append(interest)
    view = DisclosureView(disclosure)
    try:
        shares = ownership.shares(
            ownership.Interest(i.holder_id, i.held_in_id, i.percent) for i in interests
        )
    except ownership.CircularOwnership:
        view.circular = True
        shares = {}
    parties = {party.pk: party for party in disclosure.parties.all()}
    for party in parties.values():
        if party.position:
            view.officers.append(party)
        if party.is_managing_employee:
            view.managing_employees.append(party)
        if party.is_subcontractor:
            owners = [i for i in interests if i.held_in_id == party.pk]
            view.subcontractors.append((party, owners))
        if shares.get(party.pk):
            view.holdings.append(Holding(party, shares[party.pk], by_holder[party.pk]))
    view.holdings.sort(key=lambda h: (-h.share, h.party.name))
    for interest in interests:  # the cached parties, so that templates read no more
        interest.holder = parties[interest.holder_id]
        if interest.held_in_id is not None:
            interest.held_in = parties[interest.held_in_id]
    view.family = list(disclosure.family.all())
    view.other_interests = list(disclosure.other_interests.all())
    view.convictions = list(disclosure.convictions.all())
    for row in [*view.family, *view.other_interests, *view.convictions]:
        for name in ("person", "relative", "holder", "party"):
            pk = getattr(row, f"{name}_id", None)
            if pk is not None:
                setattr(row, name, parties[pk])
    view.flagged = flagged_convictions(view, today or timezone.localdate())
    return view


def party_roles(view: DisclosureView) -> dict[str, str]:
    """Each person or organization of the disclosure by name, with their roles and share in
    words (never an identifier): what a change of ownership is compared by."""
    holdings = {h.party.pk: h for h in view.holdings}
    roles: dict[str, str] = {}
    for party in view.parties:
        said = []
        holding = holdings.get(party.pk)
        if holding is not None:
            how = _("indirectly") if holding.is_indirect else _("directly")
            said.append(_("holds %(share)s%% %(how)s") % {"share": holding.share, "how": how})
        if party.position:
            said.append(str(party.get_position_display()).lower())
        if party.title:
            said.append(party.title)
        if party.is_managing_employee:
            said.append(_("managing employee"))
        if party.is_subcontractor:
            said.append(_("subcontractor, %(share)s%% yours") % {"share": party.provider_share})
        roles[party.name] = ", ".join(said)
    return roles


CHANGE_SECTIONS = (
    ("family", gettext_lazy("Family relationships changed.")),
    ("other_interests", gettext_lazy("Interests in other providers changed.")),
    ("convictions", gettext_lazy("Convictions listed changed.")),
    ("none", gettext_lazy('Categories answered "none" changed.')),
)


def disclosure_changes(before: Disclosure, after: Disclosure) -> list[str]:
    """What differs between two disclosures, a line each, in words: who was added, removed or
    given other roles, and which other sections changed. Empty when they say the same."""
    was, now = party_roles(disclosure_view(before)), party_roles(disclosure_view(after))
    lines = [
        _("Added: %(name)s (%(roles)s).") % {"name": name, "roles": roles or _("no role yet")}
        for name, roles in now.items()
        if name not in was
    ]
    lines += [_("Removed: %(name)s.") % {"name": name} for name in was if name not in now]
    lines += [
        _("Changed: %(name)s, from %(was)s to %(now)s.")
        % {"name": name, "was": was[name] or "—", "now": roles or "—"}
        for name, roles in now.items()
        if name in was and was[name] != roles
    ]
    old, new = disclosure_content(before), disclosure_content(after)
    if not lines and old["parties"] != new["parties"]:
        lines.append(_("Details of the people or organizations listed changed."))
    lines += [str(said) for section, said in CHANGE_SECTIONS if old[section] != new[section]]
    return lines


def flagged_convictions(view: DisclosureView, today: date) -> list[FlaggedConviction]:
    """Convictions the reviewer must weigh, each with the rule that makes it matter."""
    years = settings.DISCLOSURE_CONVICTION_YEARS
    since = today - relativedelta(years=years)
    owners = {h.party.pk for h in view.owners}
    flagged = []
    for conviction in view.convictions:
        recent = conviction.convicted_on >= since
        listed = conviction.program in Conviction.LISTED
        if recent and listed and conviction.party_id in owners:
            rule = _(
                "42 CFR 455.416(b): a person with a 5%% or greater interest convicted of a "
                "%(program)s offence in the last %(years)d years: deny or terminate unless the "
                "state finds that not in the program's interest."
            ) % {"program": conviction.get_program_display(), "years": years}
        elif recent:
            rule = _(
                "42 CFR 455.106: a health-care conviction of an owner, agent or managing employee "
                "in the last %(years)d years; the state must be told, and may refuse to contract."
            ) % {"years": years}
        else:
            continue
        flagged.append(FlaggedConviction(conviction, rule))
    return flagged


def disclosure_for_applicant(user: User, pk: int) -> Editing:
    """A disclosure of the user's organization, of an application or a change request, with what
    holds it; anyone else's is a 404."""
    disclosure = get_object_or_404(Disclosure.objects.select_related("change_request"), pk=pk)
    change_request = disclosure.change_request
    owner_id = change_request.application_id if change_request else disclosure.application_id
    application = application_for_applicant(user, owner_id or 0)
    return Editing(disclosure, application, change_request)


def party_of(disclosure: Disclosure, pk: int) -> DisclosedParty:
    """A party of this disclosure; anyone else's is a 404."""
    return get_object_or_404(DisclosedParty, pk=pk, disclosure=disclosure)


def party_for_staff(application: Application, pk: int) -> DisclosedParty:
    """A party the application discloses, or one of its change requests does; else a 404."""
    return get_object_or_404(
        DisclosedParty.objects.select_related("disclosure__application"),
        Q(disclosure__application=application)
        | Q(disclosure__change_request__application=application),
        pk=pk,
    )


def disclosure_row_of(disclosure: Disclosure, model: type[Row], pk: int) -> Row:
    """A family relationship, other interest or conviction of this disclosure; else a 404."""
    return get_object_or_404(model, pk=pk, disclosure=disclosure)


@dataclass(frozen=True)
class ExportLine:
    application: Application
    party: DisclosedParty
    share: Decimal
    indirect: bool
    convictions: int


def disclosures_for_export() -> Iterator[ExportLine]:
    """Every party disclosed by an application past its draft, application by application."""
    applications = (
        Application.objects.exclude(submitted_at=None)
        .select_related("organization", "disclosure")
        .order_by("pk")
    )
    for application in applications.iterator(chunk_size=200):
        view = disclosure_view(application.disclosure)
        holdings = {h.party.pk: h for h in view.holdings}
        convicted: dict[int, int] = {}
        for conviction in view.convictions:
            convicted[conviction.party_id] = convicted.get(conviction.party_id, 0) + 1
        for party in view.parties:
            holding = holdings.get(party.pk)
            yield ExportLine(
                application,
                party,
                holding.share if holding else Decimal(0),
                bool(holding and holding.is_indirect),
                convicted.get(party.pk, 0),
            )
