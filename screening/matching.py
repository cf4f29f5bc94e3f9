"""Finding an organization or a person in the active exclusion-list releases.

Organizations match by normalised business name plus state, and by NPI where the list has one;
people by normalised name, and date of birth where both sides know it. Rows whose exclusion has
ended (LEIE reinstatement, SAM termination) on or before the screening date are not matches.
"""

from dataclasses import dataclass, field
from datetime import date

from screening.models import ExclusionRecord, ExclusionRelease
from screening.normalise import normalise_business_name, normalise_person_name


@dataclass(frozen=True)
class Match:
    record: ExclusionRecord
    confirmed: bool  # the strongest evidence: NPI and name agree, or name and date of birth
    reason: str


@dataclass
class SourceFindings:
    """What one release says about one subject."""

    release: ExclusionRelease
    matches: list[Match] = field(default_factory=list)
    ended: list[ExclusionRecord] = field(default_factory=list)


def _is_ended(record: ExclusionRecord, on: date) -> bool:
    return record.reinstated_on is not None and record.reinstated_on <= on


def organization_findings(
    release: ExclusionRelease, *, names: list[str], state: str, npi: str, on: date
) -> SourceFindings:
    keys = sorted({k for k in (normalise_business_name(n) for n in names) if k})
    rows = ExclusionRecord.objects.filter(release=release)
    # Two queries, each on its own index, rather than one OR the planner may scan for.
    found = {r.pk: r for r in rows.filter(normalised_name__in=keys, state=state.upper())}
    if npi:
        found.update((r.pk, r) for r in rows.filter(npi=npi))
    findings = SourceFindings(release)
    for record in sorted(found.values(), key=lambda r: r.line_number):
        if _is_ended(record, on):
            findings.ended.append(record)
            continue
        name_agrees = record.normalised_name in keys and record.state == state.upper()
        npi_agrees = bool(npi) and record.npi == npi
        if npi_agrees and name_agrees:
            reason = f"NPI {npi} and name {record.normalised_name!r} in {record.state}"
        elif npi_agrees:
            reason = f"NPI {npi} (the list names {record.display_name!r})"
        else:
            reason = f"name {record.normalised_name!r} in {record.state}"
        findings.matches.append(Match(record, npi_agrees and name_agrees, reason))
    return findings


def person_findings(
    release: ExclusionRelease,
    *,
    last_name: str,
    first_name: str,
    date_of_birth: date | None,
    on: date,
) -> SourceFindings:
    key = normalise_person_name(last=last_name, first=first_name)
    findings = SourceFindings(release)
    if not key:
        return findings
    records = ExclusionRecord.objects.filter(release=release, person_key=key)
    for record in sorted(records, key=lambda r: r.line_number):
        if _is_ended(record, on):
            findings.ended.append(record)
            continue
        if date_of_birth and record.date_of_birth:
            if record.date_of_birth != date_of_birth:
                continue  # a namesake: the dates of birth differ
            findings.matches.append(Match(record, True, f"name {key!r} and date of birth"))
        else:
            findings.matches.append(
                Match(record, False, f"name {key!r} (no date of birth to compare)")
            )
    return findings
