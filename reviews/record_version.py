"""Stamps of an application's record that change with every committed write to it.

PostgreSQL stamps every row version with the transaction that wrote it (the ``xmin`` system
column). For each table of the record, the number of the application's rows and the sum of their
stamps change whenever a row is added, changed or deleted, by any path: a service, the admin, a
bulk update, a migration or a hand-written SQL statement. (Rows written by one transaction all
carry its id, which is higher than every id already in the table, so a write that deletes some
rows and adds as many cannot leave the sum as it was.) Within one transaction, which writes
every row with the same id, the statement's number within it (``cmin``) tells a later write from
an earlier one. The staff pages cache what they render of the record under these stamps: a
reviewer never sees a rendering older than the rows it shows.

``_RECORD_TABLES`` names the record's rows table by table; each part of the record on the staff
pages is stamped by the rows of the tables it shows (``record_rows``, ``reviews.record_parts``),
and ``tests/reviews/test_record_cache.py`` fails if a part reads a table its rows do not cover.
Other databases (SQLite, the embedded default) have no such stamp: ``RowsStamp`` gives None and
the record is rendered on every request. ``RowsStamp`` stamps other rows the same way (the
applications list's rows, ``reviews.application_rows``; the filters' options, ``reviews.queues``).
"""

import hashlib
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import DatabaseError, connection
from django.db.models import ForeignKey, Model

from data_exchange.models import FileSpecification, SampleFileProblem, SampleFileReport
from disclosures.models import (
    Conviction,
    DisclosedParty,
    Disclosure,
    FamilyRelationship,
    OtherInterest,
    OwnershipInterest,
)
from documents.models import Document, PacketDelivery, WelcomePacket
from onboarding.models import (
    Application,
    ApplicationEvent,
    ApplicationStep,
    CapabilityAttestation,
    CareTeamMember,
    CommunityPartner,
    CriterionAttestation,
    DataSharingProfile,
    EntityProfile,
    EntityType,
    Organization,
    PopulationCapacity,
    PopulationServed,
    ServiceCounty,
)
from portal.models import User
from reviews.models import AcceptedItem, Deficiency, ReviewDecision
from screening.models import ScreeningResult


@dataclass(frozen=True)
class Rows:
    """The rows of ``model``'s table that a rendering shows: ``where`` is an SQL condition on the
    table (aliased ``t``) in which ``$1`` chooses them (the record's application id, or the ids of
    a page of the list). (The statement is built from these and the models' table and column
    names alone, never from input.)"""

    model: type[Model]
    where: str
    # Where only these columns show, they are stamped instead of the rows' versions,
    shown: tuple[str, ...] = ()
    # with whether these conditions on a row (SQL over ``t``) hold, where only that shows.
    held: tuple[str, ...] = ()

    @property
    def table(self) -> str:
        return _table(self.model)

    @property
    def stamp(self) -> str:
        """The SQL expression, over the rows, that changes when they do."""
        if self.shown or self.held:
            values = ", ".join(
                [*(f"t.{_column(self.model, name)}" for name in self.shown), *self.held]
            )
            # (A row's text keeps each value in its place, the empty ones too.)
            named = f"string_agg(ROW(t.id, {values})::text, ',' ORDER BY t.id)"
            return f"coalesce(md5({named}), '')"  # no rows: no names
        return (
            "coalesce(sum(t.xmin::text::bigint), 0) || ':' "
            "|| coalesce(sum(t.cmin::text::bigint), 0)"
        )


# The rows of a table with a foreign key to the application ($1, the application's id).
_OWN = "application_id = $1"


def _table(model: type[Model]) -> str:
    return model._meta.db_table


def _column(model: type[Model], name: str) -> str:
    return str(model._meta.get_field(name).column)  # type: ignore[union-attr]


def _own(model: type[Model]) -> Rows:
    """Rows with a foreign key to the application."""
    return Rows(model, f"t.{_OWN}")


def _under(model: type[Model], key: str, parent: type[Model]) -> Rows:
    """Rows that belong to the application through ``parent``'s rows (``parent`` has a foreign
    key to the application and ``model`` one, ``key``, to ``parent``)."""
    column = _column(model, key)
    return Rows(
        model,
        f"t.{column} IN (SELECT id FROM {_table(parent)} WHERE {_OWN})",  # noqa: S608
    )


def named_by(
    model: type[Model], owner: type[Model], key: str, where: str, shown: tuple[str, ...] = ()
) -> Rows:
    """Rows that rows of ``owner`` (chosen by ``where``) point to through ``key``."""
    column = _column(owner, key)
    where = f"t.id IN (SELECT {column} FROM {_table(owner)} WHERE {where})"  # noqa: S608
    return Rows(model, where, shown)


def application_shown_as(*, whether_among: Iterable[str]) -> Rows:
    """The application's row where what shows of it is every column but when it was last saved
    and, of its status, only whether it is among ``whether_among``: a status that moves within
    them (the first claim puts an application in review) leaves the stamp as it was."""
    hidden = {"id", "status", "updated_at"}
    shown = tuple(
        field.name for field in Application._meta.concrete_fields if field.name not in hidden
    )
    statuses = ", ".join(f"'{status}'" for status in sorted(whether_among))
    return Rows(Application, "t.id = $1", shown, held=(f"t.status IN ({statuses})",))


def _reference(model: type[Model]) -> Rows:
    """A small table of reference data the record names (all of its rows)."""
    return Rows(model, "TRUE")


_ENTITY_TYPES = EntityProfile.entity_types.through

_RECORD_TABLES: tuple[Rows, ...] = (
    Rows(Application, "t.id = $1"),
    named_by(Organization, Application, "organization", "id = $1"),
    _own(ApplicationStep),
    _own(EntityProfile),
    _under(_ENTITY_TYPES, "entityprofile", EntityProfile),
    _reference(EntityType),
    _under(ServiceCounty, "profile", EntityProfile),
    _own(Disclosure),
    _under(DisclosedParty, "disclosure", Disclosure),
    _under(OwnershipInterest, "disclosure", Disclosure),
    _under(FamilyRelationship, "disclosure", Disclosure),
    _under(OtherInterest, "disclosure", Disclosure),
    _under(Conviction, "disclosure", Disclosure),
    _own(CapabilityAttestation),
    _own(CriterionAttestation),
    _own(CareTeamMember),
    _own(CommunityPartner),
    _own(PopulationServed),
    _own(PopulationCapacity),
    _own(DataSharingProfile),
    _own(SampleFileReport),
    _under(SampleFileProblem, "report", SampleFileReport),
    _reference(FileSpecification),
    _own(Document),
    _own(ScreeningResult),
    _own(ReviewDecision),
    _under(Deficiency, "decision", ReviewDecision),
    _under(AcceptedItem, "decision", ReviewDecision),
    _own(PacketDelivery),
    named_by(WelcomePacket, PacketDelivery, "packet", _OWN),
    _own(ApplicationEvent),
)


def record_rows(shows: Iterable[type[Model] | Rows]) -> tuple[Rows, ...]:
    """The record's rows in the tables of the models ``shows`` names (each in
    ``_RECORD_TABLES``) or as it gives them, and, if they name people, those people's names."""
    by_model = {rows.model: rows for rows in _RECORD_TABLES}
    chosen = tuple(item if isinstance(item, Rows) else by_model[item] for item in shows)
    # The people of each table apart: the same rows for every part that shows the table.
    people = (_people(rows) for rows in chosen)
    return (*chosen, *(named for named in people if named is not None))


def _people(rows: Rows) -> Rows | None:
    """The people ``rows`` name (who uploaded, decided, signed, acted): only their names show,
    and their rows change at every sign-in."""
    named = [
        f"SELECT {field.column} FROM {rows.table} t WHERE {rows.where}"  # noqa: S608
        for field in rows.model._meta.concrete_fields
        if isinstance(field, ForeignKey) and field.related_model is User
    ]
    if not named:
        return None
    return Rows(User, f"t.id IN ({' UNION '.join(named)})", shown=User.NAME_FIELDS)


# What PostgreSQL says when a connection pooler in transaction mode (PgBouncer) has handed a
# statement's PREPARE and its EXECUTE to different server connections.
_ALREADY_PREPARED = "42P05"
_NOT_PREPARED = "26000"


class RowsStamp:
    """A short stamp of ``rows`` as committed now, read by one statement in which ``$1`` (of
    SQL type ``parameter``) chooses the rows; None where the database keeps no row versions."""

    def __init__(self, name: str, rows: tuple[Rows, ...], parameter: str) -> None:
        self.parameter = parameter
        self.stamps = ",\n".join(
            f"(SELECT count(*) || ':' || {r.stamp} FROM {r.table} t WHERE {r.where})"  # noqa: S608
            for r in rows
        )
        # Planning the statement costs several times running it, so each database connection
        # prepares it once (a prepared statement outlives the connection's transactions, not
        # the connection).
        digest = hashlib.blake2b(self.stamps.encode(), digest_size=4).hexdigest()
        self.statement = f"{name}_{digest}"
        self.prepared: weakref.WeakSet[object] = weakref.WeakSet()
        # The same statement for a connection on which the prepared one is not to be found.
        self.unprepared = f"SELECT {self.stamps.replace('$1', '%s')}"
        self.unprepared_parameters = self.stamps.count("$1")

    def __call__(self, chosen: Any) -> str | None:
        stamps = self.each(chosen)
        return None if stamps is None else digest(stamps)

    def each(self, chosen: Any) -> tuple[str, ...] | None:
        """The stamp of each of the rows, in their order; None where the database keeps no row
        versions."""
        if not row_versions_kept():
            return None
        with connection.cursor() as cursor:
            if connection.connection not in self.prepared:
                _tolerating(
                    _ALREADY_PREPARED,
                    cursor,
                    f"PREPARE {self.statement}({self.parameter}) AS SELECT {self.stamps}",
                )
                self.prepared.add(connection.connection)
            if not _tolerating(_NOT_PREPARED, cursor, f"EXECUTE {self.statement}(%s)", [chosen]):
                cursor.execute(self.unprepared, [chosen] * self.unprepared_parameters)
            return tuple(cursor.fetchone())


def digest(stamps: Iterable[str]) -> str:
    """A short stamp of ``stamps``."""
    return hashlib.blake2b(",".join(stamps).encode(), digest_size=12).hexdigest()


def row_versions_kept() -> bool:
    """Whether the database stamps row versions (PostgreSQL); elsewhere nothing is stamped."""
    return connection.vendor == "postgresql"


def _tolerating(sqlstate: str, cursor: Any, sql: str, params: list[Any] | None = None) -> bool:
    """Runs ``sql``; False when PostgreSQL refuses it with ``sqlstate``, which leaves the
    connection as it was outside a transaction (pages are not rendered inside one; inside one,
    where the refusal would abort it, the refusal is raised)."""
    try:
        cursor.execute(sql, params)
    except DatabaseError as error:
        if connection.in_atomic_block or getattr(error.__cause__, "sqlstate", None) != sqlstate:
            raise
        return False
    return True
