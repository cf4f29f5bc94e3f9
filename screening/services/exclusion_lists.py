"""Importing a release of an exclusion list: all of it replaces the previous release, or nothing.

A list of 80,000 rows or more is read whole before anything is written (``_read``: a malformed
file changes nothing), each row straight into the values of its records; then one transaction
deletes the previous release's rows and inserts the new ones (``_insert_rows``).
"""

import hashlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper
from django.db.models import Min

from portal.audit import audit_record
from portal.models import AuditEvent, User
from screening.importers import PARSERS, RECORD_COLUMNS, ImportFormatError, ParsedRow, decode
from screening.models import ExclusionNumber, ExclusionRecord, ExclusionRelease, ExclusionSource


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


def _insert_rows(table: str, columns: list[str], values: Sequence[tuple[Any, ...]]) -> None:
    """Insert rows of plain values, already checked by the parser, in the caller's transaction:
    COPY on PostgreSQL, one prepared INSERT run for every row elsewhere.

    ``bulk_create`` prepares every value of every model instance in Python, which made an
    80,000-row LEIE file take most of a minute; these go to the database driver directly.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _copy_rows(cursor, table, columns, values)
        else:
            _insert_many(cursor, table, columns, values)


def _into(table: str, columns: list[str]) -> str:
    """``"table" ("column", …)``: the names come from the models, quoted; values are parameters."""
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    return f"{connection.ops.quote_name(table)} ({names})"


def _copy_rows(
    cursor: CursorWrapper, table: str, columns: list[str], values: Sequence[tuple[Any, ...]]
) -> None:
    """PostgreSQL: the rows through COPY, psycopg's copy API."""
    with cursor.cursor.copy(f"COPY {_into(table, columns)} FROM STDIN") as copy:
        for row in values:
            copy.write_row(row)


def _insert_many(
    cursor: CursorWrapper, table: str, columns: list[str], values: Sequence[tuple[Any, ...]]
) -> None:
    """Any database: the rows through one prepared INSERT, run for each (executemany)."""
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {_into(table, columns)} VALUES ({placeholders})"  # noqa: S608
    cursor.executemany(sql, values)


# SQLite keeps 2 MB of a database in memory by default; replacing a release of 80,000 rows
# touches tens of megabytes (the previous rows, the new ones and their indexes).
SQLITE_IMPORT_CACHE_KIB = 64 * 1024


@contextmanager
def _import_page_cache() -> Iterator[None]:
    """On SQLite, a page cache as large as a whole list for the import's transaction, the
    connection's own size put back after: with the default, half-written indexes went to disk
    and back again and again. Nothing elsewhere (PostgreSQL's buffers are the server's)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (size,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(size)}")


@dataclass
class ListFile:
    """A list file read whole, as the values its records and numbers are inserted with."""

    rows: int = 0
    individuals: int = 0
    records: list[tuple[object, ...]] = field(default_factory=list)  # RECORD_COLUMNS' values
    numbers: list[tuple[int, str, str]] = field(default_factory=list)  # line, kind, number

    def add(self, row: ParsedRow) -> None:
        self.rows += 1
        self.individuals += row.kind == ExclusionRecord.Kind.INDIVIDUAL
        self.records += row.records()
        if row.license_number or row.provider_number:  # only the Medi-Cal list has numbers
            self.numbers += [(row.line_number, kind, number) for kind, number in row.numbers()]


def _read(source: str, content: bytes) -> ListFile:
    """Every row of the file as the values of its records and numbers, or ImportFormatError.

    The ``ParsedRow`` objects are not kept: 80,000 of them alive made Python's garbage collector
    walk them all again and again (a fifth of the import), where tuples of plain values are soon
    left out of its walks.
    """
    parsed = ListFile()
    for row in _parsed_rows(source, content):
        parsed.add(row)
    _at_least_one_row(parsed.rows)
    return parsed


def _parsed_rows(source: str, content: bytes) -> Iterator[ParsedRow]:
    """The file's rows as the source's parser reads them (ImportFormatError at the first fault);
    an unknown source is refused before the file is read."""
    if source not in ExclusionSource.values:
        raise ImportFormatError(f"unknown source {source!r}", line=0)
    return PARSERS[source](decode(content))


def _at_least_one_row(count: int) -> int:
    if not count:
        raise ImportFormatError("the file has a header but no rows", line=2)
    return count


def _insert_records(release: ExclusionRelease, parsed: ListFile) -> None:
    """Insert the release's rows, then one row per licence or provider number they list."""
    _insert_rows(
        ExclusionRecord._meta.db_table,
        ["release_id", *RECORD_COLUMNS],
        [(release.pk, *values) for values in parsed.records],
    )
    listed = parsed.numbers
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
    return _at_least_one_row(sum(1 for _ in _parsed_rows(source, content)))


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
    parsed = _read(source, content)
    with _import_page_cache(), transaction.atomic():
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
            row_count=parsed.rows,
            imported_by=user,
            imported_by_name=(user.display_name if user else operator)[:200],
            is_active=True,
        )
        _insert_records(release, parsed)
        summary = ImportSummary(
            release, parsed.rows - parsed.individuals, parsed.individuals, previous
        )
        audit_record(
            action=AuditEvent.Action.ADMIN_CHANGE,
            actor=user,
            target=release,
            summary=str(summary),
        )
    return summary
