"""Importing a release of an exclusion list: all of it replaces the previous release, or nothing."""

import hashlib
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Min

from portal.audit import audit_record
from portal.models import AuditEvent, User
from screening.importers import PARSERS, ImportFormatError, ParsedRow, decode
from screening.models import ExclusionNumber, ExclusionRecord, ExclusionRelease, ExclusionSource

RECORD_COLUMNS = [
    "line_number",
    "kind",
    "business_name",
    "normalised_name",
    "last_name",
    "first_name",
    "middle_name",
    "person_key",
    "npi",
    "date_of_birth",
    "address",
    "city",
    "state",
    "zip_code",
    "exclusion_type",
    "excluded_on",
    "reinstated_on",
    "license_number",
    "provider_number",
    "raw",
]


@dataclass(frozen=True)
class ImportSummary:
    release: ExclusionRelease
    entities: int
    individuals: int
    replaced: ExclusionRelease | None

    def __str__(self) -> str:
        replaced = f"; replaced release #{self.replaced.pk}" if self.replaced else ""
        return (
            f"{self.release.get_source_display()}: release #{self.release.pk} imported, "
            f"{self.release.row_count} rows ({self.entities} entities, "
            f"{self.individuals} individuals), SHA-256 {self.release.sha256[:16]}…{replaced}"
        )


def _insert_rows(table: str, columns: list[str], values: list[tuple[Any, ...]]) -> None:
    """COPY on PostgreSQL, one prepared INSERT executemany elsewhere, in the caller's transaction.

    ``bulk_create`` prepares every value of every model instance in Python, which made an
    80,000-row LEIE file take most of a minute; the rows are plain values already validated by
    the parser, so they go to the database driver directly.
    """
    # The table and column names come from the model and are quoted; values are parameters.
    quoted = connection.ops.quote_name(table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quoted} ({names}) FROM STDIN") as copy:
                for row_values in values:
                    copy.write_row(row_values)
            return
        placeholders = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {quoted} ({names}) VALUES ({placeholders})"  # noqa: S608
        cursor.executemany(sql, values)


def _insert_records(release: ExclusionRelease, parsed: list[ParsedRow]) -> None:
    """Insert the release's rows, then one row per licence or provider number they list."""
    _insert_rows(
        ExclusionRecord._meta.db_table,
        ["release_id", *RECORD_COLUMNS],
        [
            (release.pk, *(row_values[c] for c in RECORD_COLUMNS))
            for row in parsed
            for row_values in row.rows()
        ],
    )
    listed = [(row.line_number, kind, number) for row in parsed for kind, number in row.numbers()]
    if not listed:
        return  # the LEIE and SAM list no licence or provider numbers
    # Each row's first record is the one under its own name; its AKA/DBA records come after it.
    first_record = dict(
        ExclusionRecord.objects.filter(release=release)
        .values("line_number")
        .annotate(first=Min("pk"))
        .values_list("line_number", "first")
    )
    _insert_rows(
        ExclusionNumber._meta.db_table,
        ["release_id", "record_id", "kind", "number"],
        [(release.pk, first_record[line], kind, number) for line, kind, number in listed],
    )


def exclusion_file_check(*, source: str, content: bytes) -> int:
    """Read a whole list file without importing it; the number of rows, or ImportFormatError."""
    if source not in ExclusionSource.values:
        raise ImportFormatError(f"unknown source {source!r}", line=0)
    count = sum(1 for _ in PARSERS[source](decode(content)))
    if not count:
        raise ImportFormatError("the file has a header but no rows", line=2)
    return count


def exclusion_release_import(
    *,
    source: str,
    content: bytes,
    file_name: str = "",
    user: User | None = None,
    operator: str = "",
) -> ImportSummary:
    """Parse a whole list file, then make it the source's active release in one transaction.

    A file that is not in the published format raises ``ImportFormatError`` before anything is
    written, so the previous release stays active.
    """
    if source not in ExclusionSource.values:
        raise ImportFormatError(f"unknown source {source!r}", line=0)
    parsed = list(PARSERS[source](decode(content)))
    if not parsed:
        raise ImportFormatError("the file has a header but no rows", line=2)
    individuals = sum(1 for row in parsed if row.kind == ExclusionRecord.Kind.INDIVIDUAL)
    with transaction.atomic():
        previous = (
            ExclusionRelease.objects.select_for_update()
            .filter(source=source, is_active=True)
            .first()
        )
        if previous is not None:
            previous.is_active = False
            previous.save(update_fields=["is_active"])
            # Results keep the matched row as text; the old rows themselves are not kept. Their
            # numbers go first; then nothing refers to a row, so each is one DELETE statement.
            ExclusionNumber.objects.filter(release=previous).delete()
            previous.records.all().delete()
        release = ExclusionRelease.objects.create(
            source=source,
            file_name=file_name[:255],
            sha256=hashlib.sha256(content).hexdigest(),
            row_count=len(parsed),
            imported_by=user,
            imported_by_name=(user.display_name if user else operator)[:200],
            is_active=True,
        )
        _insert_records(release, parsed)
        summary = ImportSummary(release, len(parsed) - individuals, individuals, previous)
        audit_record(
            action=AuditEvent.Action.ADMIN_CHANGE,
            actor=user,
            target=release,
            summary=str(summary),
        )
    return summary
