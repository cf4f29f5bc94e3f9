"""What a change request would make of the record, and which rule that would break.

The rules are the onboarding steps' own (``roster_problems``, ``capacity_problems``), run against
the record as it would be after the change. They are checked when the request is saved, when it
is sent and again when it is approved: the record may have changed in between.
"""

import copy
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from changes.models import ChangeRequest
from disclosures.rules import disclosure_problems
from disclosures.selectors import disclosure_changes
from onboarding.models import (
    Application,
    CareTeamMember,
    Membership,
    PopulationCapacity,
    PopulationServed,
)
from onboarding.reference import CareTeamRole, County
from onboarding.steps.attestations import capacity_problems, roster_problems

Kind = ChangeRequest.Kind

# The care-team actions a request can ask for.
ADD, REMOVE, REPLACE, RENEW = "add", "remove", "replace", "renew"
PERSON_FIELDS = (
    "role",
    "full_name",
    "email",
    "license_type",
    "license_number",
    "license_state",
    "license_expires_on",
    "fte",
    "languages",
)
CONTACT_FIELDS = ("contact_name", "contact_email", "contact_phone")
ADDRESS_FIELDS = ("service_address", "mailing_address")


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def person_from(proposal: dict[str, Any], application: Application) -> CareTeamMember:
    """The person a care-team request would add, as an unsaved member of the team."""
    return CareTeamMember(
        application=application,
        role=proposal.get("role", ""),
        full_name=proposal.get("full_name", ""),
        email=proposal.get("email", ""),
        license_type=proposal.get("license_type", ""),
        license_number=proposal.get("license_number", ""),
        license_state=proposal.get("license_state", ""),
        license_expires_on=_day(proposal.get("license_expires_on")),
        fte=Decimal(proposal.get("fte") or "1"),
        languages=proposal.get("languages", ""),
    )


def adds_person(change_request: ChangeRequest) -> bool:
    """Whether the request puts someone new on the care team (who must then be screened)."""
    return change_request.kind == Kind.CARE_TEAM and change_request.proposed("action") in {
        ADD,
        REPLACE,
    }


@dataclass(frozen=True)
class TeamAfter:
    team: list[CareTeamMember]
    member: CareTeamMember | None  # the member the request removes, replaces or renews


def team_after(change_request: ChangeRequest) -> TeamAfter:
    """The care team as it would be after the request (unsaved copies; the record is untouched)."""
    application = change_request.application
    proposal = change_request.proposal
    action = proposal.get("action")
    team = sorted(application.care_team.all(), key=lambda m: m.pk)  # prefetched on a page
    member = next((m for m in team if m.pk == proposal.get("member")), None)
    if action in {REMOVE, REPLACE, RENEW} and member is None:
        return TeamAfter(team, None)
    if action in {REMOVE, REPLACE} and member is not None:
        team = [m for m in team if m.pk != member.pk]
    if action in {ADD, REPLACE}:
        team.append(person_from(proposal, application))
    if action == RENEW and member is not None:
        renewed = copy.copy(member)
        renewed.license_number = proposal.get("license_number") or renewed.license_number
        renewed.license_expires_on = _day(proposal.get("license_expires_on"))
        team = [renewed if m.pk == renewed.pk else m for m in team]
    return TeamAfter(team, member)


@dataclass(frozen=True)
class CapacityAfter:
    populations: list[PopulationServed]
    capacities: list[PopulationCapacity]


def capacity_after(change_request: ChangeRequest) -> CapacityAfter:
    """Populations and capacity as they would be after the request (0 stops a county)."""
    application = change_request.application
    proposal = change_request.proposal
    population, county = proposal.get("population"), proposal.get("county")
    capacity = int(proposal.get("member_capacity") or 0)
    capacities = [
        row
        for row in application.capacities.all()
        if (row.population, row.county) != (population, county)
    ]
    if capacity > 0:
        capacities.append(
            PopulationCapacity(
                application=application,
                population=population,
                county=county,
                member_capacity=capacity,
            )
        )
    with_rows = {row.population for row in capacities}
    populations = [row for row in application.populations.all() if row.population in with_rows]
    if capacity > 0 and population not in {row.population for row in populations}:
        populations.append(
            PopulationServed(
                application=application,
                population=population,
                years_experience=int(proposal.get("years_experience") or 0),
            )
        )
    return CapacityAfter(populations, capacities)


def problems_of(change_request: ChangeRequest, today: date | None = None) -> list[str]:
    """The rules the record would break after this request, in words for the applicant."""
    today = today or timezone.localdate()
    application = change_request.application
    kind = change_request.kind
    if kind == Kind.CARE_TEAM:
        after = team_after(change_request)
        if change_request.proposed("action") != ADD and after.member is None:
            return [_("The team member this request is about is no longer on the care team.")]
        problems = [str(p.message) for p in roster_problems(after.team, today)]
        if change_request.proposed("action") == RENEW and change_request.document_id is None:
            problems.append(_("Attach a copy of the renewed licence."))
        return problems
    if kind == Kind.CAPACITY:
        capacity = capacity_after(change_request)
        served = set(application.entity_profile.county_codes)
        return [
            str(p.message)
            for p in capacity_problems(capacity.populations, capacity.capacities, served)
        ]
    if kind == Kind.LOCATIONS:
        counties = set(change_request.proposed("counties", []))
        if not counties:
            return [_("Choose at least one county you serve.")]
        still_used = sorted({row.county for row in application.capacities.all()} - counties)
        return [
            _(
                "You still give member capacity in %(county)s. Change the capacity there to 0 "
                "first (a change of populations, counties and capacity), then remove the county."
            )
            % {"county": County(county).label}
            for county in still_used
        ]
    if kind == Kind.OWNERSHIP:
        disclosure = change_request.disclosure
        problems = [str(p.message) for p in disclosure_problems(disclosure)]
        if not problems and not disclosure_changes(application.disclosure, disclosure):
            problems.append(
                _(
                    "The disclosure below is still the same as the one on your record. Change "
                    "who owns, controls or manages your organization, then send it."
                )
            )
        return problems
    if kind == Kind.LICENCE and change_request.document_id is None:
        return [_("Attach a copy of the renewed licence or certification.")]
    if kind == Kind.OFFICIAL:
        preparer = change_request.nominee_id is not None and (
            Membership.objects.filter(
                organization=application.organization_id,
                user_id=change_request.nominee_id,
                role=Membership.Role.PREPARER,
            ).exists()
        )
        if not preparer:
            return [_("The new authorized official must be a preparer on your team.")]
    return []


def describe(change_request: ChangeRequest) -> str:
    """One line saying what is asked, for lists and emails (never a licence number)."""
    p = change_request.proposal
    kind = change_request.kind
    if kind == Kind.CARE_TEAM:
        role = CareTeamRole(p["role"]).label if p.get("role") in CareTeamRole.values else ""
        member = p.get("member_name", "")
        return {
            ADD: _("Add %(name)s as %(role)s") % {"name": p.get("full_name", ""), "role": role},
            REMOVE: _("Remove %(name)s from the care team") % {"name": member},
            REPLACE: _("Replace %(old)s with %(name)s")
            % {"old": member, "name": p.get("full_name", "")},
            RENEW: _("Renewed licence of %(name)s, valid until %(date)s")
            % {"name": member, "date": p.get("license_expires_on", "")},
        }.get(p.get("action", ""), "")
    if kind == Kind.CAPACITY:
        county = County(p["county"]).label if p.get("county") in County.values else ""
        return _("Population %(population)s in %(county)s: capacity %(capacity)s") % {
            "population": p.get("population", ""),
            "county": county,
            "capacity": p.get("member_capacity", ""),
        }
    if kind == Kind.LOCATIONS:
        return _("Service address, mailing address and %(n)d counties") % {
            "n": len(p.get("counties", []))
        }
    if kind == Kind.OFFICIAL:
        return _("Hand over to %(name)s") % {"name": p.get("nominee_name", "")}
    if kind == Kind.LICENCE:
        return _("Renewed %(title)s, valid until %(date)s") % {
            "title": p.get("requirement_title", ""),
            "date": p.get("expires_on", ""),
        }
    if kind == Kind.OWNERSHIP:
        return _("Change of ownership or control on %(date)s") % {"date": p.get("changed_on", "")}
    return _("Contact: %(name)s") % {"name": p.get("contact_name", "")}
