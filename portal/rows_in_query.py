"""Related rows read inside the parent's own query, as if ``prefetch_related`` had read them.

``prefetch_related`` costs one query per relation. A page that shows one record made of many small
tables (the reviewer's application page) pays a round trip for each. ``with_rows_in_query`` reads
such relations in the parent's query instead: each becomes a correlated subquery that returns the
related rows as one JSON array, and the rows are built back into model instances and put where
``prefetch_related`` puts them, so ``parent.relation.all()`` reads no more.

It suits short lists of plain rows: every concrete column is read, but no relation of the related
rows is followed (their foreign keys are kept as ids). The rows keep their model's ordering.
PostgreSQL and SQLite only, the two databases the portal runs on.
"""

from __future__ import annotations

import datetime
import functools
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, TypeVar

from django.db import models
from django.db.models import F, JSONField, QuerySet
from django.db.models.expressions import Expression
from django.db.models.fields.related import ManyToManyField
from django.db.models.fields.reverse_related import ManyToOneRel
from django.db.models.query import ModelIterable
from django.utils import timezone

M = TypeVar("M", bound=models.Model)

ANNOTATION_PREFIX = "rows_in_query_"
UNSUPPORTED_FIELDS = (models.JSONField, models.BinaryField)


class ExactNumbersDecoder(json.JSONDecoder):
    """JSON numbers with a fraction become ``Decimal``, as a ``DecimalField`` reads them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **{**kwargs, "parse_float": Decimal})


class RelatedRows(Expression):
    """The rows of one relation of the outer row, as a JSON array of objects keyed by attname.

    The SQL is made once per relation and database from the models' metadata (building the same
    subquery through the ORM on every request cost more than the round trip it saves); only the
    outer row's key is compiled each time.
    """

    output_field = JSONField(decoder=ExactNumbersDecoder)

    def __init__(self, model: type[models.Model], lookup: str) -> None:
        super().__init__()
        self.model = model
        self.lookup = lookup
        hops, _relation = _relation_of(model, lookup)
        self.outer: Any = F("__".join([*hops, "pk"]))

    def get_source_expressions(self) -> list[Any]:
        return [self.outer]

    def set_source_expressions(self, exprs: Any) -> None:
        (self.outer,) = exprs

    def as_sql(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, Any]:
        outer_sql, params = compiler.compile(self.outer)
        template = _rows_sql(self.model, self.lookup, connection.vendor)
        return template.replace("{outer}", outer_sql), params


def with_rows_in_query(queryset: QuerySet[M], *lookups: str) -> QuerySet[M]:
    """``queryset`` reading ``lookups`` inside its own query.

    A lookup names a reverse foreign key or a many-to-many field (``"steps"``), optionally behind
    one-to-one or foreign-key hops that the queryset follows with ``select_related``
    (``"entity_profile__counties"``).
    """
    annotations = {
        f"{ANNOTATION_PREFIX}{index}": RelatedRows(queryset.model, lookup)
        for index, lookup in enumerate(lookups)
    }
    clone = queryset.annotate(**annotations)
    clone._iterable_class = _adopting_iterable(lookups)
    return clone


@functools.cache
def _relation_of(model: type[models.Model], lookup: str) -> tuple[tuple[str, ...], Any]:
    *hops, name = lookup.split("__")
    for hop in hops:
        model = model._meta.get_field(hop).related_model  # type: ignore[assignment]
    relation = model._meta.get_field(name)
    if not isinstance(relation, ManyToOneRel | ManyToManyField):
        raise TypeError(f"{lookup} is not a reverse foreign key or a many-to-many field")
    return tuple(hops), relation


@functools.cache
def _rows_sql(model: type[models.Model], lookup: str, vendor: str) -> str:
    """``SELECT`` of the relation's rows as a JSON array, with ``{outer}`` for the outer key.

    Rows are ordered by their model's ``Meta.ordering``; a foreign key in it orders by its id.
    Every name in the SQL is a table or column name from the models' metadata, quoted; nothing
    from a request reaches it, hence the S608 exceptions below.
    """
    _hops, relation = _relation_of(model, lookup)
    related: type[models.Model] = relation.related_model
    fields = related._meta.concrete_fields
    for field in fields:
        if isinstance(field, UNSUPPORTED_FIELDS):
            raise TypeError(f"{related.__name__}.{field.name}: not readable as a JSON row")
    q = _quote_name
    columns = ", ".join(f"t.{q(field.column)} AS {q(field.attname)}" for field in fields)
    if isinstance(relation, ManyToOneRel):
        source = f"{q(related._meta.db_table)} t WHERE t.{q(relation.field.column)} = {{outer}}"
    else:
        source = (
            f"{q(related._meta.db_table)} t JOIN {q(relation.m2m_db_table())} x"
            f" ON x.{q(relation.m2m_reverse_name())} = t.{q(related._meta.pk.column)}"
            f" WHERE x.{q(relation.m2m_column_name())} = {{outer}}"
        )
    order = ", ".join(_order_by(related, name) for name in related._meta.ordering or ["pk"])
    rows = f"(SELECT {columns} FROM {source}) r"  # noqa: S608
    if vendor == "postgresql":
        # jsonb, which Django reads as text and decodes itself (psycopg would decode json).
        return (
            f"(SELECT COALESCE(jsonb_agg(to_jsonb(r) ORDER BY {order}), '[]'::jsonb) FROM {rows})"  # noqa: S608
        )
    if vendor == "sqlite":
        # SQLite 3.40 cannot order inside an aggregate; it aggregates an ordered subquery in order.
        pairs = ", ".join(f"'{field.attname}', r.{q(field.attname)}" for field in fields)
        ordered = f"(SELECT * FROM {rows} ORDER BY {order}) r"  # noqa: S608
        return f"(SELECT json_group_array(json_object({pairs})) FROM {ordered})"  # noqa: S608
    raise NotImplementedError(f"rows in query on {vendor}")


def _order_by(model: type[models.Model], name: Any) -> str:
    if not isinstance(name, str):
        raise TypeError(f"{model.__name__}: only field names in Meta.ordering are supported")
    field_name = name.lstrip("-")
    field = model._meta.pk if field_name == "pk" else model._meta.get_field(field_name)
    column = f"r.{_quote_name(field.attname)}"  # type: ignore[union-attr]  # a concrete field
    return f"{column} DESC" if name.startswith("-") else column


def _quote_name(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _adopting_iterable(lookups: tuple[str, ...]) -> type[ModelIterable]:
    class AdoptingIterable(ModelIterable):
        def __iter__(self) -> Iterator[models.Model]:
            db = self.queryset.db
            for instance in super().__iter__():
                for index, lookup in enumerate(lookups):
                    rows = getattr(instance, f"{ANNOTATION_PREFIX}{index}")
                    delattr(instance, f"{ANNOTATION_PREFIX}{index}")
                    _adopt(instance, lookup, rows, db)
                yield instance

    return AdoptingIterable


def _adopt(instance: models.Model, lookup: str, rows: list[dict[str, Any]], db: str) -> None:
    hops, relation = _relation_of(type(instance), lookup)
    owner: models.Model | None = instance
    for hop in hops:
        owner = getattr(owner, hop, None)
    if owner is None:  # an empty one-to-one: nothing to read rows for
        return
    related: type[models.Model] = relation.related_model
    objects = [_instance(related, row, db) for row in rows]
    manager = getattr(owner, lookup.rsplit("__", 1)[-1])
    if isinstance(relation, ManyToOneRel):
        cache_name = relation.cache_name
        for obj in objects:
            relation.field.set_cached_value(obj, owner)
    else:
        cache_name = manager.prefetch_cache_name
    cached = manager.get_queryset()
    cached._result_cache = objects
    cached._prefetch_done = True
    if not hasattr(owner, "_prefetched_objects_cache"):
        owner._prefetched_objects_cache = {}  # type: ignore[attr-defined]
    owner._prefetched_objects_cache[cache_name] = cached  # type: ignore[attr-defined]


def _instance(model: type[M], row: dict[str, Any], db: str) -> M:
    fields = model._meta.concrete_fields
    return model.from_db(
        db,
        [field.attname for field in fields],
        [_value(field, row[field.attname]) for field in fields],
    )


def _value(field: models.Field[Any, Any], value: Any) -> Any:
    if value is None:
        return None
    value = field.to_python(value)
    if isinstance(field, models.DecimalField):
        value = value.quantize(Decimal(1).scaleb(-field.decimal_places))
    if isinstance(field, models.DateTimeField) and timezone.is_naive(value):
        # SQLite keeps date-times as UTC without an offset.
        value = timezone.make_aware(value, datetime.UTC)
    return value
