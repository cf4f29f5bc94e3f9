"""Plain rows written straight into a model's table, for loading data in bulk.

``bulk_create`` builds a model instance for every row and prepares every value through its field.
Seeding 100,000 applications (about fifty rows each) spent most of its time there, not in the
database. ``TableRows`` takes rows as tuples of values the database already understands and writes
them with ``COPY`` on PostgreSQL (``executemany`` elsewhere). Primary keys are handed out before
the rows are written, so related rows can name their parents without reading anything back.

No signal is sent and no ``save()`` runs: it is for loading data that needs neither.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

# Fields whose Python values psycopg adapts exactly as the field would prepare them.
PLAIN_ON_POSTGRESQL = (
    models.AutoField,
    models.BigAutoField,
    models.BigIntegerField,
    models.BooleanField,
    models.CharField,
    models.DateField,
    models.DateTimeField,
    models.DecimalField,
    models.EmailField,
    models.ForeignKey,
    models.IntegerField,
    models.OneToOneField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.SmallIntegerField,
    models.TextField,
)


class TableRows:
    """Writes rows into models' tables on one database connection."""

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection

    def new_ids(self, model: type[models.Model], count: int) -> list[int]:
        """``count`` primary keys no other row of ``model`` has or will be given."""
        quote = self.connection.ops.quote_name
        table, pk = quote(model._meta.db_table), model._meta.pk.column
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [table, pk, count],
                )
                return [row[0] for row in cursor.fetchall()]
            # Elsewhere the caller's transaction holds the only writer (SQLite locks the file).
            cursor.execute(f"SELECT COALESCE(MAX({quote(pk)}), 0) FROM {table}")  # noqa: S608
            (highest,) = cursor.fetchone()
            return list(range(highest + 1, highest + 1 + count))

    def write(
        self,
        model: type[models.Model],
        names: Sequence[str],
        rows: Iterable[Sequence[Any]],
    ) -> int:
        """Write ``rows``, each a tuple of values for the fields ``names`` (attnames for keys).

        A column left out takes its field's default, or the current time for ``auto_now`` and
        ``auto_now_add`` fields. Returns the number of rows written.
        """
        columns_of = {
            key: f for f in model._meta.local_concrete_fields for key in (f.name, f.attname)
        }
        unknown = [name for name in names if name not in columns_of]
        if unknown:
            raise ValueError(f"{model.__name__} has no column of its own table named {unknown}.")
        given = [columns_of[name] for name in names]
        filled = [
            f for f in model._meta.local_concrete_fields if f not in given and not f.primary_key
        ]
        fields = given + filled
        missing = [self._missing_value(f) for f in filled]
        prepare = [self._preparer(f) for f in fields]
        columns = ", ".join(self.connection.ops.quote_name(f.column) for f in fields)
        table = self.connection.ops.quote_name(model._meta.db_table)
        count = 0
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(self._prepared(row, missing, prepare))
                        count += 1
                return count
            placeholders = ", ".join(["%s"] * len(fields))
            prepared = [self._prepared(row, missing, prepare) for row in rows]
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",  # noqa: S608
                prepared,
            )
            return len(prepared)

    @staticmethod
    def _prepared(
        row: Sequence[Any],
        missing: list[Callable[[], Any]],
        prepare: list[Callable[[Any], Any] | None],
    ) -> list[Any]:
        values = [*row, *(value() for value in missing)]
        return [v if p is None or v is None else p(v) for v, p in zip(values, prepare, strict=True)]

    def _preparer(self, field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
        """How a value becomes a database value: ``None`` where psycopg does it unaided."""
        if self.connection.vendor == "postgresql" and type(field) in PLAIN_ON_POSTGRESQL:
            return None
        connection = self.connection
        return lambda value: field.get_db_prep_save(value, connection)

    @staticmethod
    def _missing_value(field: models.Field[Any, Any]) -> Callable[[], Any]:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            return timezone.now
        if field.has_default() and callable(field.default):
            return field.get_default
        value = field.get_default()  # "" for text fields without a default, as bulk_create does
        if value is None and not field.null:
            raise ValueError(
                f"{field.model.__name__}.{field.name} needs a value: it has no default."
            )
        return lambda: value
