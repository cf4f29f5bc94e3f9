"""Writes of a disclosure: its "none" answers and rows, in the entity step's draft, and the
audited reveal of a disclosed person's identifiers to staff."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from disclosures import ownership
from disclosures.editing import Editing
from disclosures.models import Category, DisclosedParty, Disclosure, OwnershipInterest
from onboarding.exceptions import NotAllowed, OnboardingError
from onboarding.services.steps import assign_validated
from portal.audit import audit_record
from portal.models import AuditEvent, User
from portal.roles import REVEAL_PERMISSION


@transaction.atomic
def disclosure_answers_save(*, editing: Editing, user: User, data: dict[str, Any]) -> None:
    """Save the "none" answers of the disclosure (those ``data`` has)."""
    disclosure = editing.locked(user)
    fields = [Disclosure.NONE_FIELDS[c] for c in Category.values]
    if any(data.get(f, getattr(disclosure, f)) != getattr(disclosure, f) for f in fields):
        assign_validated(disclosure, data, fields)
        editing.changed(user, disclosure, _("Ownership and control: answers"))


@dataclass(frozen=True)
class Holding:
    """How a party holds what it holds, as its form gives it: a direct share of the applicant,
    and a share of one organization listed in the disclosure."""

    direct_percent: Decimal | None = None
    through: DisclosedParty | None = None
    through_percent: Decimal | None = None


@transaction.atomic
def party_save(
    *,
    editing: Editing,
    user: User,
    data: dict[str, Any],
    holding: Holding,
    party: DisclosedParty | None = None,
) -> DisclosedParty:
    """Add or change a disclosed person or organization, with its roles and its shares."""
    disclosure = editing.locked(user)
    party = party or DisclosedParty(disclosure=disclosure, kind=data["kind"])
    fields = DisclosedParty.PERSON_FIELDS if party.is_person else DisclosedParty.ORGANIZATION_FIELDS
    assign_validated(party, data, [*fields, *DisclosedParty.ROLE_FIELDS])
    _holding_save(disclosure, party, holding)
    editing.changed(user, disclosure, _("Ownership and control: %(name)s") % {"name": party})
    return party


def _holding_save(disclosure: Disclosure, party: DisclosedParty, holding: Holding) -> None:
    party.interests.all().delete()
    wanted: list[tuple[DisclosedParty | None, Decimal]] = []
    if holding.direct_percent:
        wanted.append((None, holding.direct_percent))
    if holding.through is not None and holding.through_percent:
        if holding.through.pk == party.pk:
            raise OnboardingError(_("An organization cannot own part of itself."))
        wanted.append((holding.through, holding.through_percent))
    for held_in, percent in wanted:
        interest = OwnershipInterest(
            disclosure=disclosure, holder=party, held_in=held_in, percent=percent
        )
        interest.full_clean()
        interest.save()
    rows = disclosure.interests.all()
    try:
        ownership.shares(ownership.Interest(i.holder_id, i.held_in_id, i.percent) for i in rows)
    except ownership.CircularOwnership:
        raise OnboardingError(
            _(
                "That would make the ownership go round in a circle: %(name)s would own, through "
                "others, a part of itself. Check who owns what."
            )
            % {"name": holding.through}
        ) from None


@transaction.atomic
def party_remove(*, editing: Editing, user: User, party: DisclosedParty) -> None:
    """Take a person or organization off the disclosure, with every row that names them."""
    disclosure = editing.locked(user)
    name = str(party)
    party.delete()
    editing.changed(user, disclosure, _("Ownership and control: %(name)s removed") % {"name": name})


@transaction.atomic
def row_save(*, editing: Editing, user: User, row: Model, what: str) -> Model:
    """Add a family relationship, another interest or a conviction (``row``, unsaved, its
    disclosure and parties set by the form) to the disclosure."""
    disclosure = editing.locked(user)
    row.full_clean()
    row.save()
    editing.changed(user, disclosure, _("Ownership and control: %(what)s") % {"what": what})
    return row


@transaction.atomic
def row_remove(*, editing: Editing, user: User, row: Model, what: str) -> None:
    disclosure = editing.locked(user)
    row.delete()
    editing.changed(user, disclosure, _("Ownership and control: %(what)s removed") % {"what": what})


@dataclass(frozen=True)
class Identifiers:
    """A disclosed person's SSN and date of birth, revealed to a member of staff."""

    ssn: str
    date_of_birth: date | None


def identifiers_reveal(*, user: User, party: DisclosedParty, reason: str) -> Identifiers:
    """Show a disclosed person's SSN and date of birth to staff allowed to see them, and audit it.

    The audit row names who, whose, when and why; never the values themselves.
    """
    if not user.has_perm(REVEAL_PERMISSION):
        raise NotAllowed(_("Only staff allowed to reveal identifiers can do this."))
    if not reason.strip():
        raise OnboardingError(_("Say why you need to see them (for example, to confirm a match)."))
    audit_record(
        action=AuditEvent.Action.IDENTIFIERS_REVEALED,
        actor=user,
        target=party,
        summary=_("SSN and date of birth of a disclosed person of %(ref)s revealed: %(reason)s")
        % {"ref": party.disclosure.reference, "reason": " ".join(reason.split())},
    )
    return Identifiers(ssn=party.ssn, date_of_birth=party.date_of_birth)
