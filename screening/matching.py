"""Finding organizations and people in the active exclusion-list releases.

Organizations match by normalised business name plus state, by NPI where the list has one, and by
provider number; people by normalised name, date of birth where both sides know it, and licence
number. Numbers (only the Medi-Cal list has them) are compared without case, spaces or dashes, so
that a name written differently cannot hide a listed number. Rows whose exclusion has ended (LEIE
reinstatement, SAM termination) on or before the screening date are not matches.

Many subjects are looked up at once, in one query per list (``organizations_findings``,
``people_findings``); what each finds is exactly what looking it up alone finds.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import F, QuerySet, Value

from screening.models import ExclusionNumber, ExclusionRecord, ExclusionRelease
from screening.normalise import normalise_business_name, normalise_person_name
from screening.numbers import normalise_number, numbers_in


@dataclass(frozen=True)
class Match:
    record: ExclusionRecord
    confirmed: bool  # the strongest evidence: a number and the name agree, or name and birth date
    reason: str


@dataclass
class SourceFindings:
    """What one release says about one subject."""

    release: ExclusionRelease
    matches: list[Match] = field(default_factory=list)
    ended: list[ExclusionRecord] = field(default_factory=list)


@dataclass(frozen=True)
class Organization:
    """An organization to screen: its names, the state it is in, its NPI and provider numbers."""

    names: Sequence[str]
    state: str
    npi: str = ""
    provider_numbers: Sequence[str] = ()


@dataclass(frozen=True)
class Person:
    """A person to screen: a name, a date of birth where known, and any licence numbers."""

    last_name: str
    first_name: str
    date_of_birth: date | None = None
    licence_numbers: Sequence[str] = ()


@dataclass
class Found:
    """A record a lookup found, and the listed numbers (if any) it was found by."""

    record: ExclusionRecord
    numbers: set[str] = field(default_factory=set)


def _is_ended(record: ExclusionRecord, on: date) -> bool:
    return record.reinstated_on is not None and record.reinstated_on <= on


def _found(
    release: ExclusionRelease,
    kind: str,
    numbers: list[str],
    *lookups: QuerySet[ExclusionRecord],
) -> list[Found]:
    """The records any lookup finds, or a row listing one of the numbers (normalised) as a number
    of ``kind`` does, once each, in list order. One UNION ALL query, each part on its own index,
    rather than one OR the planner may scan for."""
    parts = [lookup.order_by() for lookup in lookups]
    if numbers:  # each part then says which number, if any, found the record
        parts = [part.annotate(listed_as=Value("")) for part in parts]
        parts.append(
            ExclusionRecord.objects.filter(
                numbers__release=release, numbers__kind=kind, numbers__number__in=numbers
            )
            .annotate(listed_as=F("numbers__number"))
            .order_by()
        )
    first, *others = parts
    found: dict[int, Found] = {}
    for record in first.union(*others, all=True):
        entry = found.setdefault(record.pk, Found(record))
        if number := getattr(record, "listed_as", ""):
            entry.numbers.add(number)
    return sorted(found.values(), key=lambda f: (f.record.line_number, f.record.pk))


def _normalised(numbers: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(n for n in map(normalise_number, numbers) if n))


def _agreeing(label: str, numbers: list[str], cell: str) -> list[str]:
    """'licence number X' for each of the numbers the record's cell lists."""
    listed = numbers_in(cell)
    return [f"{label} {n}" for n in numbers if n in listed]


def organization_findings(
    release: ExclusionRelease,
    *,
    names: list[str],
    state: str,
    npi: str,
    on: date,
    provider_numbers: Sequence[str] = (),
) -> SourceFindings:
    [findings] = organizations_findings(
        release, [Organization(names, state, npi, provider_numbers)], on=on
    )
    return findings


def organizations_findings(
    release: ExclusionRelease, organizations: Sequence[Organization], *, on: date
) -> list[SourceFindings]:
    """What the release says about each of ``organizations``, in their order, in one query."""
    keys = [{k for k in map(normalise_business_name, o.names) if k} for o in organizations]
    states = [o.state.upper() for o in organizations]
    numbers = [_normalised(o.provider_numbers) for o in organizations]
    every_key = sorted(set().union(*keys))
    npis = sorted({o.npi for o in organizations if o.npi})
    rows = ExclusionRecord.objects.filter(release=release)
    found = _found(
        release,
        ExclusionNumber.Kind.PROVIDER,
        sorted(set().union(*numbers)),
        rows.filter(normalised_name__in=every_key, state__in=sorted(set(states)))
        if every_key
        else rows.none(),
        rows.filter(npi__in=npis) if npis else rows.none(),
    )
    return [
        _organization_findings(
            release,
            [
                f.record
                for f in found
                if (f.record.normalised_name in org_keys and f.record.state == state)
                or (organization.npi and f.record.npi == organization.npi)
                or not f.numbers.isdisjoint(org_numbers)
            ],
            keys=org_keys,
            state=state,
            npi=organization.npi,
            numbers=org_numbers,
            on=on,
        )
        for organization, org_keys, state, org_numbers in zip(
            organizations, keys, states, numbers, strict=True
        )
    ]


def _organization_findings(
    release: ExclusionRelease,
    records: list[ExclusionRecord],
    *,
    keys: set[str],
    state: str,
    npi: str,
    numbers: list[str],
    on: date,
) -> SourceFindings:
    """One organization's findings among the records its names, NPI or numbers found."""
    named = {r.pk for r in records if r.normalised_name in keys and r.state == state}
    named_lines = {r.line_number for r in records if r.pk in named}
    findings = SourceFindings(release)
    for record in records:
        name_agrees = record.pk in named
        if not name_agrees and record.line_number in named_lines:
            continue  # the row matched under another of its names, with the same numbers
        if _is_ended(record, on):
            findings.ended.append(record)
            continue
        identifiers = [f"NPI {npi}"] if npi and record.npi == npi else []
        identifiers += _agreeing("provider number", numbers, record.provider_number)
        name = f"name {record.normalised_name!r} in {record.state}"
        if identifiers and name_agrees:
            reason = " and ".join([*identifiers, name])
        elif identifiers:
            reason = f"{' and '.join(identifiers)} (the list names {record.display_name!r})"
        else:
            reason = name
        findings.matches.append(Match(record, bool(identifiers) and name_agrees, reason))
    return findings


def person_findings(
    release: ExclusionRelease,
    *,
    last_name: str,
    first_name: str,
    date_of_birth: date | None,
    on: date,
    licence_numbers: Sequence[str] = (),
) -> SourceFindings:
    [findings] = people_findings(
        release, [Person(last_name, first_name, date_of_birth, licence_numbers)], on=on
    )
    return findings


def people_findings(
    release: ExclusionRelease, people: Sequence[Person], *, on: date
) -> list[SourceFindings]:
    """What the release says about each of ``people``, in their order, in one query."""
    keys = [normalise_person_name(last=p.last_name, first=p.first_name) for p in people]
    numbers = [_normalised(p.licence_numbers) for p in people]
    every_key = sorted({key for key in keys if key})
    rows = ExclusionRecord.objects.filter(release=release)
    found = _found(
        release,
        ExclusionNumber.Kind.LICENCE,
        sorted(set().union(*numbers)),
        rows.filter(person_key__in=every_key) if every_key else rows.none(),
    )
    named: dict[str, list[Found]] = {}
    listing: dict[str, list[Found]] = {}
    for f in found:
        named.setdefault(f.record.person_key, []).append(f)
        for number in f.numbers:
            listing.setdefault(number, []).append(f)
    findings = []
    for person, key, person_numbers in zip(people, keys, numbers, strict=True):
        mine = {f.record.pk: f.record for f in named.get(key, []) if key}
        mine.update((f.record.pk, f.record) for n in person_numbers for f in listing.get(n, []))
        records = sorted(mine.values(), key=lambda r: (r.line_number, r.pk))
        findings.append(
            _person_findings(release, records, key, person_numbers, person.date_of_birth, on)
        )
    return findings


def _person_findings(
    release: ExclusionRelease,
    records: list[ExclusionRecord],
    key: str,
    numbers: list[str],
    date_of_birth: date | None,
    on: date,
) -> SourceFindings:
    """One person's findings among the records their name key or licence numbers found."""
    findings = SourceFindings(release)
    for record in records:
        if _is_ended(record, on):
            findings.ended.append(record)
            continue
        licences = _agreeing("licence number", numbers, record.license_number)
        name_agrees = bool(key) and record.person_key == key
        both_born = bool(date_of_birth and record.date_of_birth)
        same_birth = both_born and record.date_of_birth == date_of_birth
        if not name_agrees:
            reason = f"{' and '.join(licences)} (the list names {record.display_name!r})"
            findings.matches.append(Match(record, False, reason))
        elif both_born and not same_birth:
            if not licences:
                continue  # a namesake: the dates of birth differ
            reason = f"{' and '.join(licences)} and name {key!r}, but not the date of birth"
            findings.matches.append(Match(record, False, reason))
        elif licences or same_birth:
            birth = ["date of birth"] if same_birth else []
            findings.matches.append(
                Match(record, True, " and ".join([*licences, f"name {key!r}", *birth]))
            )
        else:
            findings.matches.append(
                Match(record, False, f"name {key!r} (no date of birth to compare)")
            )
    return findings
