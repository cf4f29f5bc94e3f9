"""Applying an approved change to the provider's record, with its before and after.

Called inside the decision's transaction (or the at-once change's), so the record, the request's
``before``/``after`` and the timeline change together or not at all. Each record row written here
names the person whose decision wrote it (``_history_user``), so the record's history says who
changed what.
"""

from collections.abc import Callable
from typing import Any

from django.db.models import Model
from django.utils import timezone
from viewflow.workflow.models import Task

from changes.models import ChangeRequest, ChangeRequestProcess
from changes.proposals import (
    ADD,
    ADDRESS_FIELDS,
    CONTACT_FIELDS,
    PERSON_FIELDS,
    RENEW,
    REPLACE,
    capacity_after,
    person_from,
)
from disclosures.copying import disclosure_copy
from disclosures.models import Disclosure
from disclosures.selectors import disclosure_view, party_roles
from onboarding.models import (
    Application,
    ApplicationEvent,
    CareTeamMember,
    EntityProfile,
    Membership,
    ServiceCounty,
)
from onboarding.nodes import OPEN_STATUSES
from onboarding.services.events import event_record
from onboarding.steps.entity import current_licences
from portal.models import User
from providers.services.credentials import compliance_recheck
from screening.services.results import screen_changed_disclosure

Kind = ChangeRequest.Kind
Facts = dict[str, Any]


def _saved(row: Model, user: User) -> None:
    row._history_user = user  # type: ignore[attr-defined]
    row.save()


def _deleted(row: Model, user: User) -> None:
    row._history_user = user  # type: ignore[attr-defined]
    row.delete()


def _person(member: CareTeamMember | None) -> Facts | None:
    if member is None:
        return None
    facts = {field: getattr(member, field) for field in PERSON_FIELDS}
    facts["license_expires_on"] = (
        member.license_expires_on.isoformat() if member.license_expires_on else ""
    )
    facts["fte"] = str(member.fte)
    return facts


def _care_team(change_request: ChangeRequest, user: User) -> tuple[Facts, Facts]:
    application = change_request.application
    proposal = change_request.proposal
    action = proposal["action"]
    member = application.care_team.filter(pk=proposal.get("member")).first()
    before = {"member": _person(member)}
    added = None
    if action == RENEW and member is not None:
        member.license_number = proposal.get("license_number") or member.license_number
        member.license_expires_on = person_from(proposal, application).license_expires_on
        _saved(member, user)
        _on_record(change_request)
        return before, {"member": _person(member)}
    if member is not None:  # removed, or replaced
        member.screening_results.update(is_current=False)
        _deleted(member, user)
    if action in {ADD, REPLACE}:
        added = person_from(proposal, application)
        _saved(added, user)
        # The person was screened as part of the request: those results are now the member's.
        change_request.screening_results.filter(is_current=True).update(care_team_member=added)
    return before, {"member": _person(added)}


def _capacity(change_request: ChangeRequest, user: User) -> tuple[Facts, Facts]:
    application = change_request.application
    proposal = change_request.proposal
    key = {"population": proposal["population"], "county": proposal["county"]}
    row = application.capacities.filter(**key).first()
    before = {**key, "member_capacity": row.member_capacity if row else 0}
    after = capacity_after(change_request)
    if row is not None:
        _deleted(row, user)
    for capacity in after.capacities:
        if capacity.pk is None:
            _saved(capacity, user)
    kept = {p.population for p in after.populations}
    for served in application.populations.all():
        if served.population not in kept:
            _deleted(served, user)
    for served in after.populations:
        if served.pk is None:
            _saved(served, user)
    return before, {**key, "member_capacity": int(proposal.get("member_capacity") or 0)}


def _on_record(change_request: ChangeRequest) -> None:
    """The copy sent with the request becomes part of the record."""
    if change_request.document is not None:
        change_request.document.awaiting_approval = False
        change_request.document.save(update_fields=["awaiting_approval"])


def _licence(change_request: ChangeRequest, user: User) -> tuple[Facts, Facts]:
    """The organization's renewed licence: its copy becomes the one in force."""
    title = change_request.proposed("requirement_title")
    in_force = [
        d
        for d in current_licences(change_request.application.documents.all())
        if d.requirement == title
    ]
    expired = in_force[0].expires_on if in_force else None
    before = {"licence": title, "expires_on": expired.isoformat() if expired else ""}
    _on_record(change_request)
    return before, {"licence": title, "expires_on": change_request.proposed("expires_on")}


def _profile_facts(profile: EntityProfile, fields: tuple[str, ...]) -> Facts:
    return {field: getattr(profile, field) for field in fields}


def _locations(change_request: ChangeRequest, user: User) -> tuple[Facts, Facts]:
    profile = change_request.application.entity_profile
    proposal = change_request.proposal
    before = {**_profile_facts(profile, ADDRESS_FIELDS), "counties": profile.county_codes}
    for field in ADDRESS_FIELDS:
        setattr(profile, field, proposal.get(field, ""))
    _saved(profile, user)
    wanted = set(proposal.get("counties", []))
    for row in profile.counties.all():
        if row.county not in wanted:
            _deleted(row, user)
    for county in sorted(wanted - set(before["counties"])):
        _saved(ServiceCounty(profile=profile, county=county), user)
    after = {**_profile_facts(profile, ADDRESS_FIELDS), "counties": sorted(wanted)}
    return before, after


def _contact(change_request: ChangeRequest, user: User) -> tuple[Facts, Facts]:
    profile = change_request.application.entity_profile
    before = _profile_facts(profile, CONTACT_FIELDS)
    for field in CONTACT_FIELDS:
        setattr(profile, field, change_request.proposal.get(field, ""))
    _saved(profile, user)
    return before, _profile_facts(profile, CONTACT_FIELDS)


def _official(change_request: ChangeRequest, user: User) -> tuple[Facts, Facts]:
    """The nominee becomes the authorized official; the official before stays, as a preparer."""
    application = change_request.application
    organization = application.organization
    memberships = Membership.objects.select_for_update().select_related("user")
    outgoing = memberships.get(organization=organization, role=Membership.Role.AUTHORIZED_OFFICIAL)
    incoming = memberships.get(organization=organization, user=change_request.nominee_id)
    profile = application.entity_profile
    before = {"official": outgoing.user.email, **_profile_facts(profile, _OFFICIAL_FIELDS)}
    outgoing.role = Membership.Role.PREPARER
    _saved(outgoing, user)
    incoming.role = Membership.Role.AUTHORIZED_OFFICIAL
    _saved(incoming, user)
    profile.official_name = incoming.user.display_name
    profile.official_title = incoming.title or profile.official_title
    _saved(profile, user)
    _hand_over_tasks(application, outgoing.user, incoming.user)
    return before, {"official": incoming.user.email, **_profile_facts(profile, _OFFICIAL_FIELDS)}


_OFFICIAL_FIELDS = ("official_name", "official_title")


def _hand_over_tasks(application: Application, outgoing: User, incoming: User) -> None:
    """Tasks waiting for the official (a change request's preparation, the packet's
    acknowledgement) now wait for the new one."""
    processes = [
        application.process.pk,
        *ChangeRequestProcess.objects.filter(change_request__application=application).values_list(
            "pk", flat=True
        ),
    ]
    Task.objects.filter(process_id__in=processes, owner=outgoing, status__in=OPEN_STATUSES).update(
        owner=incoming
    )


def _ownership(change_request: ChangeRequest, user: User) -> tuple[Facts, Facts]:
    """The provider's disclosure becomes the request's, and is screened again at once: a
    reviewer's decision on a match of the request stands for its copy. Before and after name
    people and their roles, never an identifier."""
    application = change_request.application
    before = _disclosed(application.disclosure)
    copied = disclosure_copy(change_request.disclosure, application=application)
    screen_changed_disclosure(change_request=change_request, copied=copied)
    return before, {
        "changed_on": change_request.proposed("changed_on"),
        **_disclosed(application.disclosure),
    }


def _disclosed(disclosure: Disclosure) -> Facts:
    roles = party_roles(disclosure_view(disclosure))
    return {"disclosed": [f"{name} ({said})" if said else name for name, said in roles.items()]}


APPLY: dict[str, Callable[[ChangeRequest, User], tuple[Facts, Facts]]] = {
    Kind.CARE_TEAM: _care_team,
    Kind.CAPACITY: _capacity,
    Kind.LOCATIONS: _locations,
    Kind.LICENCE: _licence,
    Kind.OFFICIAL: _official,
    Kind.CONTACT: _contact,
    Kind.OWNERSHIP: _ownership,
}


def change_apply(change_request: ChangeRequest, user: User) -> None:
    """Write the change to the record and keep what it was and what it became on the request."""
    before, after = APPLY[change_request.kind](change_request, user)
    change_request.before = before
    change_request.after = after
    change_request.applied_at = timezone.now()
    change_request.save()
    application = change_request.application
    event_record(
        application=application,
        kind=ApplicationEvent.Kind.CHANGE_APPLIED,
        actor=user,
        detail=f"{change_request.reference}: {change_request.summary}",
    )
    compliance_recheck(application)
