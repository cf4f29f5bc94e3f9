"""Screening an application: identifiers, the NPI registry and the exclusion lists.

Every check records a ``ScreeningResult`` with its evidence. A check that could not run is an
``error``, and an error is never a pass: the step cannot be approved until screening runs clean.
"""

import re
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import islice
from typing import TYPE_CHECKING, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from onboarding import notifications
from onboarding.exceptions import NotAllowed, OnboardingError
from onboarding.models import Application, ApplicationEvent, CareTeamMember
from onboarding.services.events import event_record, events_record
from onboarding.steps import by_kind, definition_screening
from portal.models import User
from portal.roles import is_plan_staff
from screening import tasks
from screening.identifiers import validate_npi
from screening.labels import NPI_REGISTRY, adjudication_label, check_label, outcome_label
from screening.matching import (
    Organization,
    Person,
    SourceFindings,
    organizations_findings,
    people_findings,
)
from screening.models import ExclusionRelease, ExclusionSource, ScreeningResult
from screening.normalise import normalise_business_name, split_full_name

if TYPE_CHECKING:  # changes and disclosures build on screening; screening only names their models
    from changes.models import ChangeRequest
    from disclosures.models import DisclosedParty
from screening.npi_registry import RegistryUnavailable, npi_registry

Outcome = ScreeningResult.Outcome
SubjectKind = ScreeningResult.SubjectKind
Finder = Callable[[ExclusionRelease], list[SourceFindings]]
DEFAULT_STATE = "CA"  # Medi-Cal providers; a service address naming another state overrides it
_STATE_IN_ADDRESS = re.compile(r",\s*([A-Za-z]{2})\s+\d{5}(?:-\d{4})?\s*$")


@dataclass(frozen=True)
class Check:
    """One result, before it is stored."""

    check_name: str
    outcome: str
    evidence: str
    release: ExclusionRelease | None = None
    matched_line: int | None = None
    matched_row: str = ""


@dataclass(frozen=True)
class Subject:
    """Who or what was checked and its checks, before the results are stored."""

    name: str
    checks: list[Check]
    party: "DisclosedParty | None" = None


def state_of(address: str) -> str:
    """The state of an address ending '…, CA 90012'; California when it does not say."""
    found = _STATE_IN_ADDRESS.search(address.strip())
    return found.group(1).upper() if found else DEFAULT_STATE


def _release_label(release: ExclusionRelease) -> str:
    return (
        f"{release.get_source_display()} release #{release.pk} of "
        f"{release.imported_at:%Y-%m-%d} ({release.row_count} rows)"
    )


def _active_releases() -> dict[str, ExclusionRelease]:
    return {r.source: r for r in ExclusionRelease.objects.filter(is_active=True)}


def _not_imported(source: str) -> Check:
    return Check(
        f"exclusion_{source.replace('-', '_')}",
        Outcome.ERROR,
        f"No {ExclusionSource(source).label} release has been imported, so this list was "
        "not checked. Import one (import_exclusions or the admin site), then run "
        "screening again.",
    )


def _lists_checks(
    count: int, releases: Mapping[str, ExclusionRelease], find: Finder
) -> list[list[Check]]:
    """Each exclusion list's checks of each of ``count`` subjects, ``find`` giving what a release
    says about each of them."""
    checks: list[list[Check]] = [[] for _ in range(count)]
    for source in ExclusionSource.values:
        release = releases.get(source)
        if release is None:
            missing = _not_imported(source)
            for subject_checks in checks:
                subject_checks.append(missing)
            continue
        label = _release_label(release)
        for subject_checks, findings in zip(checks, find(release) if count else [], strict=True):
            subject_checks += _findings_checks(source, findings, label)
    return checks


def _findings_checks(source: str, findings: SourceFindings, label: str) -> list[Check]:
    """The checks of one subject against one list: ``label`` names its release."""
    check_name = f"exclusion_{source.replace('-', '_')}"
    release = findings.release
    ended = "".join(
        f" Line {r.line_number} ({r.display_name}) is not counted: the exclusion ended on "
        f"{r.reinstated_on:%Y-%m-%d}."
        for r in findings.ended
    )
    if not findings.matches:
        return [Check(check_name, Outcome.CLEAR, f"No current entry in {label}.{ended}", release)]
    checks = []
    for match in findings.matches:
        record = match.record
        since = f"; excluded since {record.excluded_on:%Y-%m-%d}" if record.excluded_on else ""
        kind = f" ({record.exclusion_type})" if record.exclusion_type else ""
        checks.append(
            Check(
                check_name,
                Outcome.CONFIRMED_MATCH if match.confirmed else Outcome.POTENTIAL_MATCH,
                f"{label}, line {record.line_number}: "
                f"{record.display_name}, matched on {match.reason}{since}{kind}.",
                release,
                record.line_number,
                record.raw,
            )
        )
    return checks


def _npi_checks(npi: str, names: list[str]) -> list[Check]:
    try:
        validate_npi(npi)
    except ValidationError as error:
        return [Check("npi_format", Outcome.ERROR, error.messages[0])]
    checks = [
        Check(
            "npi_format",
            Outcome.CLEAR,
            "10 digits, prefix 1 or 2, Luhn check digit (prefix 80840) correct.",
        )
    ]
    try:
        record = npi_registry().lookup(npi)
    except RegistryUnavailable as error:
        return [*checks, Check(NPI_REGISTRY, Outcome.ERROR, str(error))]
    if record is None:
        outcome, evidence = Outcome.ERROR, f"The NPI registry has no record of NPI {npi}."
    elif not record.is_organization:
        outcome, evidence = (
            Outcome.ERROR,
            f"NPI {npi} belongs to an individual ({record.name}), not an organization.",
        )
    elif not record.is_active:
        outcome, evidence = Outcome.ERROR, f"NPI {npi} ({record.name}) is deactivated."
    elif normalise_business_name(record.name) in {normalise_business_name(n) for n in names}:
        outcome, evidence = Outcome.CLEAR, f"NPI {npi} is {record.name}, an active organization."
    else:
        outcome, evidence = (
            Outcome.POTENTIAL_MATCH,
            f"The NPI registry lists NPI {npi} under the name {record.name!r}, which is not the "
            "name given. Dismiss this if it is the same organization under another name; "
            "confirm it if the NPI belongs to a different organization.",
        )
    return [*checks, Check(NPI_REGISTRY, outcome, evidence)]


def _store(
    application: Application,
    checks: list[Check],
    *,
    subject: str,
    subject_kind: str,
    member: CareTeamMember | None,
    rescreen: bool,
    change_request: "ChangeRequest | None" = None,
) -> list[ScreeningResult]:
    """Store a subject's new results; they replace its earlier ones as the current results."""
    earlier = application.screening_results.filter(
        is_current=True, subject_kind=subject_kind, care_team_member=member, disclosed_party=None
    )
    if member is None:
        earlier = earlier.filter(change_request=change_request)
    earlier_matches = _matches_of(earlier)
    earlier.update(is_current=False)
    revision = (
        change_request.revision
        if change_request
        else application.step(definition_screening(subject_kind).kind).revision
    )
    return ScreeningResult.objects.bulk_create(
        _results(
            application,
            [Subject(subject, checks)],
            earlier_matches,
            subject_kind=subject_kind,
            member=member,
            change_request=change_request,
            revision=revision,
            rescreen=rescreen,
        )
    )


# An earlier match, by application, disclosed party, check and the list's row (or evidence).
EarlierMatches = dict[tuple[int, int | None, str, str], ScreeningResult]


def _matches_of(earlier: QuerySet[ScreeningResult]) -> EarlierMatches:
    return {
        (r.application_id, r.disclosed_party_id, r.check_name, r.matched_row or r.evidence): r
        for r in earlier.filter(outcome__in=ScreeningResult.MATCHES)
    }


def _results(
    application: Application,
    subjects: list[Subject],
    earlier_matches: EarlierMatches,
    *,
    subject_kind: str,
    member: CareTeamMember | None,
    change_request: "ChangeRequest | None",
    revision: int,
    rescreen: bool,
) -> list[ScreeningResult]:
    """The subjects' new results, not yet saved. A match of the same row as an earlier match
    keeps the reviewer's decision on it; on re-screening, a match found for the first time is
    new."""
    results = []
    for subject in subjects:
        party_id = subject.party.pk if subject.party else None
        for check in subject.checks:
            # By id rather than instance: a few hundred thousand rows on a monthly run.
            result = ScreeningResult(
                application_id=application.pk,
                check_name=check.check_name,
                subject=subject.name[:200],
                subject_kind=subject_kind,
                care_team_member=member,
                disclosed_party_id=party_id,
                change_request=change_request,
                outcome=check.outcome,
                evidence=check.evidence,
                release_id=check.release.pk if check.release else None,
                matched_line=check.matched_line,
                matched_row=check.matched_row,
                revision=revision,
            )
            key = (application.pk, party_id, check.check_name, check.matched_row or check.evidence)
            seen = earlier_matches.get(key)
            if result.is_match and seen is not None and seen.adjudication:
                # The same row matched before and a reviewer decided it: the decision stands.
                result.adjudication = seen.adjudication
                result.adjudication_note = seen.adjudication_note
                result.adjudicated_by_id = seen.adjudicated_by_id
                result.adjudicated_at = seen.adjudicated_at
            result.is_new_match = rescreen and result.is_match and seen is None
            results.append(result)
    return results


def _organizations_checks(
    organizations: Sequence[Organization], releases: Mapping[str, ExclusionRelease], on: date
) -> list[list[Check]]:
    """Each exclusion list's checks of each organization: one query per list for them all."""
    return _lists_checks(
        len(organizations),
        releases,
        lambda release: organizations_findings(release, organizations, on=on),
    )


def _people_checks(
    people: Sequence[Person], releases: Mapping[str, ExclusionRelease], on: date
) -> list[list[Check]]:
    """Each exclusion list's checks of each person, by name, date of birth where known and
    licence numbers: care-team members or anyone else the application names. One query per list
    for them all."""
    return _lists_checks(
        len(people), releases, lambda release: people_findings(release, people, on=on)
    )


Key = TypeVar("Key", bound=Hashable)


def _checks_of(
    subjects: Mapping[Key, Person | Organization],
    releases: Mapping[str, ExclusionRelease],
    on: date,
) -> dict[Key, list[Check]]:
    """Each subject's checks against each list: one query per list for the organizations, one
    for the people."""
    organizations = {k: s for k, s in subjects.items() if isinstance(s, Organization)}
    people = {k: s for k, s in subjects.items() if isinstance(s, Person)}
    checks = _organizations_checks(list(organizations.values()), releases, on)
    checks_of = dict(zip(organizations, checks, strict=True))
    checks = _people_checks(list(people.values()), releases, on)
    return checks_of | dict(zip(people, checks, strict=True))


def _member_checks(member: CareTeamMember, on: date) -> list[Check]:
    last, first = split_full_name(member.full_name)
    person = Person(last, first, member.date_of_birth, [member.license_number])
    [checks] = _people_checks([person], _active_releases(), on)
    return checks


def _summary(results: list[ScreeningResult]) -> str:
    counts: dict[str, int] = {}
    for result in results:
        counts[result.outcome] = counts.get(result.outcome, 0) + 1
    return ", ".join(f"{Outcome(outcome).label}: {n}" for outcome, n in counts.items())


def _applicant(application: Application) -> tuple[str, Organization]:
    """How the applying organization is named in its results, and what it is screened by."""
    profile = application.entity_profile
    names = [n for n in (profile.legal_name, profile.dba_name) if n]
    state = state_of(profile.service_address)
    subject = f"{profile.legal_name} ({state}, NPI {profile.npi or 'none'})"
    return subject, Organization(names, state, profile.npi, [profile.medi_cal_provider_number])


def _disclosed(party: "DisclosedParty") -> Person | Organization:
    """A disclosed person by name, date of birth and licence number; a disclosed organization
    (an owner, or a subcontractor it owns) by name in the state of its first address."""
    if party.is_person:
        return Person(
            party.last_name, party.first_name, party.date_of_birth, [party.licence_number]
        )
    state = state_of(party.business_addresses.strip().split("\n")[0])
    return Organization([party.organization_name], state)


def screen_entity(*, application: Application, rescreen: bool = False) -> list[ScreeningResult]:
    """Screen the organization (NPI format and registry, then each exclusion list), and each
    person and organization of its ownership and control disclosure (42 CFR 455.436), in one
    transaction."""
    return screen_entities(applications=[application], rescreen=rescreen)[application.pk]


@transaction.atomic
def screen_entities(
    *,
    applications: Sequence[Application],
    rescreen: bool = False,
    carried: "EarlierMatches | None" = None,
) -> dict[int, list[ScreeningResult]]:
    """Screen each of ``applications`` (each once) as ``screen_entity`` does, all together: one
    query per list for all the organizations and one for all the people they disclose, one
    select, update and insert for all the results. Each application's results, by its id.

    ``carried`` are matches found and decided elsewhere (a change of ownership's) whose decision
    stands for the same row found again, as an earlier result's does."""
    on = timezone.localdate()
    releases = _active_releases()
    # Read here rather than from the instances given, whose disclosure may be cached.
    ids = [application.pk for application in applications]
    loaded = (
        Application.objects.select_related("disclosure")
        .prefetch_related("disclosure__parties", "steps")
        .in_bulk(ids)
    )
    parties = {pk: list(application.disclosure.parties.all()) for pk, application in loaded.items()}
    applicants = {application.pk: _applicant(application) for application in applications}
    # Every organization and every person, keyed by whose it is, each list asked about them all.
    checks_of = _checks_of(
        {("applicant", pk): o for pk, (_subject, o) in applicants.items()}
        | {("party", p.pk): _disclosed(p) for pk in ids for p in parties[pk]},
        releases,
        on,
    )
    # The organizations' and their parties' earlier results give way to the new ones; so do any
    # others naming a party the application no longer discloses (no longer screened). A pending
    # change of ownership's are that request's.
    earlier = ScreeningResult.objects.filter(application__in=ids, is_current=True)
    entity = Q(subject_kind=SubjectKind.ORGANIZATION, care_team_member=None, change_request=None)
    earlier_matches = _matches_of(earlier.filter(entity)) | dict(carried or {})
    earlier.filter(entity).update(is_current=False)
    disclosed_by = {pk: {party.pk for party in parties[pk]} for pk in ids}
    named = earlier.filter(disclosed_party__isnull=False, change_request=None).exclude(entity)
    no_longer_disclosed = [
        pk
        for pk, application_id, party_id in named.values_list(
            "pk", "application_id", "disclosed_party_id"
        )
        if party_id not in disclosed_by[application_id]
    ]
    if no_longer_disclosed:
        ScreeningResult.objects.filter(pk__in=no_longer_disclosed).update(is_current=False)
    step = definition_screening(SubjectKind.ORGANIZATION).kind
    results: dict[int, list[ScreeningResult]] = {}
    for application in applications:
        subject, organization = applicants[application.pk]
        checks = _npi_checks(organization.npi, list(organization.names))
        subjects = [Subject(subject, checks + checks_of["applicant", application.pk])]
        subjects += [
            Subject(party.name, checks_of["party", party.pk], party)
            for party in parties[application.pk]
        ]
        results[application.pk] = _results(
            application,
            subjects,
            earlier_matches,
            subject_kind=SubjectKind.ORGANIZATION,
            member=None,
            change_request=None,
            revision=loaded[application.pk].step(step).revision,
            rescreen=rescreen,
        )
    ScreeningResult.objects.bulk_create([r for a in applications for r in results[a.pk]])
    events_record(
        kind=ApplicationEvent.Kind.SCREENED,
        details={
            application: _("Organization and %(n)d disclosed people and organizations: %(summary)s")
            % {"n": len(parties[application.pk]), "summary": _summary(results[application.pk])}
            for application in applications
        },
    )
    return results


@transaction.atomic
def screen_care_team(*, application: Application, rescreen: bool = False) -> list[ScreeningResult]:
    """Screen every care-team member by name, licence number and date of birth where known."""
    on = timezone.localdate()
    results: list[ScreeningResult] = []
    members = list(application.care_team.all())
    for member in members:
        results += _store(
            application,
            _member_checks(member, on),
            subject=member.full_name,
            subject_kind=SubjectKind.PERSON,
            member=member,
            rescreen=rescreen,
        )
    # People no longer on the team are no longer screened (those a pending change request would
    # add are that request's).
    application.screening_results.filter(is_current=True, subject_kind=SubjectKind.PERSON).exclude(
        care_team_member__in=members
    ).exclude(care_team_member__isnull=True, change_request__isnull=False).update(is_current=False)
    if members:
        event_record(
            application=application,
            kind=ApplicationEvent.Kind.SCREENED,
            actor=None,
            detail=_("Care team (%(n)d people): %(summary)s")
            % {"n": len(members), "summary": _summary(results)},
        )
    return results


@transaction.atomic
def screen_proposed_person(
    *, change_request: "ChangeRequest", person: CareTeamMember
) -> list[ScreeningResult]:
    """Screen the person a change request would add to the care team, by name and licence
    number, before the request can be approved. The results belong to the request until it is
    applied."""
    application = change_request.application
    results = _store(
        application,
        _member_checks(person, timezone.localdate()),
        subject=person.full_name,
        subject_kind=SubjectKind.PERSON,
        member=None,
        rescreen=False,
        change_request=change_request,
    )
    event_record(
        application=application,
        kind=ApplicationEvent.Kind.SCREENED,
        actor=None,
        detail=_("%(ref)s, a person to add: %(summary)s")
        % {"ref": change_request.reference, "summary": _summary(results)},
    )
    return results


@transaction.atomic
def screen_disclosed_change(*, change_request: "ChangeRequest") -> list[ScreeningResult]:
    """Screen every person and organization a change of ownership or control would disclose,
    before it can be approved (42 CFR 455.436), as the entity step's are. The results belong to
    the request until it is applied; a decision on a match stands when it is sent again."""
    application = change_request.application
    parties = list(change_request.disclosure.parties.all())
    checks_of = _checks_of(
        {party.pk: _disclosed(party) for party in parties}, _active_releases(), timezone.localdate()
    )
    earlier = change_request.screening_results.filter(is_current=True, care_team_member=None)
    earlier_matches = _matches_of(earlier)
    earlier.update(is_current=False)
    results = ScreeningResult.objects.bulk_create(
        _results(
            application,
            [Subject(party.name, checks_of[party.pk], party) for party in parties],
            earlier_matches,
            subject_kind=SubjectKind.ORGANIZATION,
            member=None,
            change_request=change_request,
            revision=change_request.revision,
            rescreen=False,
        )
    )
    event_record(
        application=application,
        kind=ApplicationEvent.Kind.SCREENED,
        actor=None,
        detail=_("%(ref)s, %(n)d people and organizations disclosed: %(summary)s")
        % {"ref": change_request.reference, "n": len(parties), "summary": _summary(results)},
    )
    return results


def screen_changed_disclosure(
    *, change_request: "ChangeRequest", copied: Mapping[int, int]
) -> list[ScreeningResult]:
    """Screen the provider again once an approved change of ownership has made its disclosure
    the request's (``copied``: which party of the provider's each of the request's became). A
    reviewer's decision on a match of the request stands for the same row found again; the
    request's own results are then no longer current."""
    application = change_request.application
    theirs = change_request.screening_results.filter(is_current=True, care_team_member=None)
    carried: EarlierMatches = {
        (application.pk, copied[pk], check, row): result
        for (_app, pk, check, row), result in _matches_of(theirs).items()
        if pk is not None and pk in copied
    }
    results = screen_entities(applications=[application], carried=carried)[application.pk]
    theirs.update(is_current=False)
    return results


def screening_run(*, application_id: int, subject_kind: str) -> int:
    """The background job's work: screen the organization or the care team of an application."""
    application = Application.objects.get(pk=application_id)
    if subject_kind == SubjectKind.ORGANIZATION:
        return len(screen_entity(application=application))
    return len(screen_care_team(application=application))


def screening_request(*, application: Application, subject_kind: str) -> None:
    """Ask for screening as a background job; in the embedded default (eager) it runs now.

    With a broker the job is sent once the submission has committed; until its results exist
    the step cannot be approved (``screening_blockers``).
    """
    if settings.CELERY_TASK_ALWAYS_EAGER:
        screening_run(application_id=application.pk, subject_kind=subject_kind)
        return
    application_id = application.pk
    transaction.on_commit(lambda: tasks.screen_application_job.delay(application_id, subject_kind))


def screen_application(
    *, application: Application, rescreen: bool = False
) -> list[ScreeningResult]:
    """Screen the organization and, once it has one, its care team."""
    return [
        *screen_entity(application=application, rescreen=rescreen),
        *screen_care_team(application=application, rescreen=rescreen),
    ]


@dataclass(frozen=True)
class RescreenSummary:
    providers: int
    alerts: dict[str, list[ScreeningResult]]  # application reference -> what needs a look

    def __str__(self) -> str:
        return (
            f"Re-screened {self.providers} providers; {len(self.alerts)} with a new match "
            f"or a check that could not run."
        )


RESCREENED_STATUSES = sorted(Application.IN_NETWORK_STATUSES)
RESCREENED_TOGETHER = 200  # providers whose organizations and disclosures are screened at once


def rescreen_active_providers() -> RescreenSummary:
    """Screen every approved or active provider and its team again (monthly, 42 CFR 455.436).

    A match the last run did not find, or a check that could not run, is recorded on the
    provider's timeline and emailed to the network managers.
    """
    alerts: dict[str, list[ScreeningResult]] = {}
    applications = Application.objects.filter(status__in=RESCREENED_STATUSES).select_related(
        "organization", "entity_profile"
    )
    count = 0
    providers = applications.iterator(chunk_size=RESCREENED_TOGETHER)
    while chunk := list(islice(providers, RESCREENED_TOGETHER)):
        with transaction.atomic():
            screened = screen_entities(applications=chunk, rescreen=True)
            for application in chunk:
                count += 1
                results = [
                    *screened[application.pk],
                    *screen_care_team(application=application, rescreen=True),
                ]
                flagged = [r for r in results if r.is_new_match or r.outcome == Outcome.ERROR]
                if flagged:
                    alerts[application.reference] = flagged
                    event_record(
                        application=application,
                        kind=ApplicationEvent.Kind.NEW_EXCLUSION_MATCH,
                        actor=None,
                        detail="; ".join(
                            f"{check_label(r.check_name)} ({r.subject}): {outcome_label(r)}"
                            for r in flagged
                        ),
                    )
                    notifications.exclusion_alert(application, flagged)
    return RescreenSummary(count, alerts)


# The screening subject of each step that has one, as the step definitions name it.
STAGE_SUBJECTS: Mapping[str, str] = by_kind(lambda definition: definition.screening_subject)


@transaction.atomic
def screening_result_adjudicate(
    *, result: ScreeningResult, user: User, adjudication: str, note: str
) -> ScreeningResult:
    """A reviewer confirms or dismisses a potential match, with a note saying why."""
    if not is_plan_staff(user):
        raise NotAllowed(_("Only plan reviewers can adjudicate screening results."))
    if adjudication not in ScreeningResult.Adjudication.values:
        raise OnboardingError(_("Choose whether to confirm or dismiss the match."))
    if not note.strip():
        raise OnboardingError(_("Write a note saying why; it is kept with the decision."))
    result = ScreeningResult.objects.select_for_update().get(pk=result.pk)
    if not result.is_current or not result.is_match:
        raise OnboardingError(_("This result is no longer current, or is not a match."))
    if result.adjudication:
        raise OnboardingError(_("Someone has already decided this match."))
    result.adjudication = adjudication
    result.adjudication_note = note.strip()
    result.adjudicated_by = user
    result.adjudicated_at = timezone.now()
    result.full_clean()
    result.save()
    event_record(
        application=result.application,
        kind=ApplicationEvent.Kind.SCREENING_ADJUDICATED,
        actor=user,
        detail=f"{check_label(result.check_name)} ({result.subject}): {adjudication_label(result)}",
    )
    return result
