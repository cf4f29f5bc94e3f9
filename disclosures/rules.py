"""What a disclosure needs before the entity step can be submitted (42 CFR 455.104 to 455.106)."""

from decimal import Decimal

from django.utils.translation import gettext as _

from disclosures.models import Category, DisclosedParty, Disclosure
from disclosures.selectors import DisclosureView, disclosure_view
from onboarding.exceptions import Problem

FIELD = "disclosure"  # where the page's error summary leads: the disclosure section


def disclosure_problems(disclosure: Disclosure) -> list[Problem]:
    view = disclosure_view(disclosure)
    problems = [*_category_problems(view), *_party_problems(view)]
    if view.circular:
        problems.append(
            Problem(
                FIELD,
                _(
                    "The ownership you listed goes round in a circle (an organization that, "
                    "through others, owns itself). Check who owns what."
                ),
            )
        )
    problems += _over_a_hundred(view)
    return problems


def _category_problems(view: DisclosureView) -> list[Problem]:
    problems = []
    for category in Category:
        listed = view.has_rows(category)
        says_none = view.disclosure.says_none(category)
        if not listed and not says_none:
            problems.append(
                Problem(
                    FIELD,
                    _("%(category)s: list them, or tick the box that says you have none.")
                    % {"category": category.label},
                )
            )
        elif listed and says_none:
            problems.append(
                Problem(
                    FIELD,
                    _(
                        "%(category)s: you ticked that you have none, but listed some. Untick the "
                        "box or remove them."
                    )
                    % {"category": category.label},
                )
            )
    return problems


def _party_problems(view: DisclosureView) -> list[Problem]:
    """Every person needs what 455.104 asks of them; every organization its TIN and address."""
    problems = []
    roles = {p.pk for p in (*view.officers, *view.managing_employees)}
    roles |= {h.party.pk for h in view.holdings}
    roles |= {s.pk for s, _owners in view.subcontractors}
    roles |= {i.holder_id for _s, owners in view.subcontractors for i in owners}
    for party in view.parties:
        missing = _missing(party)
        if missing:
            problems.append(
                Problem(
                    FIELD,
                    _("%(name)s: give %(missing)s.")
                    % {"name": party.name or _("a person or organization"), "missing": missing},
                )
            )
        if party.pk not in roles:
            problems.append(
                Problem(
                    FIELD,
                    _(
                        "%(name)s has no role: give their share, position or managing role, or "
                        "remove them."
                    )
                    % {"name": party.name},
                )
            )
    return problems


def _missing(party: DisclosedParty) -> str:
    if party.is_person:
        needed = {
            _("first name"): party.first_name,
            _("last name"): party.last_name,
            _("date of birth"): party.date_of_birth,
            _("Social Security number"): party.ssn,
            _("home address"): party.home_address,
        }
    else:
        needed = {
            _("name"): party.organization_name,
            _("TIN"): party.tin,
            _("address"): party.business_addresses,
        }
    return ", ".join(label for label, value in needed.items() if not value)


def _over_a_hundred(view: DisclosureView) -> list[Problem]:
    """Shares held in one entity cannot add up to more than all of it."""
    totals: dict[int | None, Decimal] = {}
    for interest in view.disclosure.interests.all():
        totals[interest.held_in_id] = totals.get(interest.held_in_id, Decimal(0)) + interest.percent
    problems = []
    parties = {p.pk: p for p in view.parties}
    for held_in, total in totals.items():
        if total > 100:
            name = parties[held_in].name if held_in else _("your organization")
            problems.append(
                Problem(
                    FIELD,
                    _("The shares listed in %(name)s add up to %(total)s%%, more than 100%%.")
                    % {"name": name, "total": total},
                )
            )
    return problems
