"""Finding an organization or a person in the active exclusion-list releases.

Organizations match by normalised business name plus state, by NPI where the list has one, and by
provider number; people by normalised name, date of birth where both sides know it, and licence
number. Numbers (only the Medi-Cal list has them) are compared without case, spaces or dashes, so
that a name written differently cannot hide a listed number. Rows whose exclusion has ended (LEIE
reinstatement, SAM termination) on or before the screening date are not matches.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet

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


def _is_ended(record: ExclusionRecord, on: date) -> bool:
    return record.reinstated_on is not None and record.reinstated_on <= on


def _found(*lookups: QuerySet[ExclusionRecord]) -> list[ExclusionRecord]:
    """The records any lookup finds, once each, in list order. One UNION ALL query, each part on
    its own index, rather than one OR the planner may scan for."""
    first, *others = (lookup.order_by() for lookup in lookups)
    records = {r.pk: r for r in first.union(*others, all=True)}
    return sorted(records.values(), key=lambda r: (r.line_number, r.pk))


def _listed(release: ExclusionRelease, kind: str, numbers: list[str]) -> QuerySet[ExclusionRecord]:
    """The records of the rows listing one of the numbers (normalised) as a number of ``kind``."""
    if not numbers:
        return ExclusionRecord.objects.none()
    return ExclusionRecord.objects.filter(
        numbers__release=release, numbers__kind=kind, numbers__number__in=numbers
    )


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
    keys = sorted({k for k in (normalise_business_name(n) for n in names) if k})
    state = state.upper()
    numbers = _normalised(provider_numbers)
    rows = ExclusionRecord.objects.filter(release=release)
    records = _found(
        rows.filter(normalised_name__in=keys, state=state),
        rows.filter(npi=npi) if npi else rows.none(),
        _listed(release, ExclusionNumber.Kind.PROVIDER, numbers),
    )
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
    key = normalise_person_name(last=last_name, first=first_name)
    numbers = _normalised(licence_numbers)
    rows = ExclusionRecord.objects.filter(release=release)
    records = _found(
        rows.filter(person_key=key) if key else rows.none(),
        _listed(release, ExclusionNumber.Kind.LICENCE, numbers),
    )
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
