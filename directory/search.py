"""FHIR search: reading the query string into criteria, and finding what matches them.

A resource type's resources come from *sources*: a few fixed resources built in memory (the plan,
its network, the counties) and database rows (providers, care-team members). A row source turns
each criterion into a ``Q`` so that searching, counting and paging happen in the database; a
fixed source checks the criterion against the built resource. A page runs a fixed number of
queries whatever the number of providers.
"""

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Generic, Literal, TypeVar
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Model, Q, QuerySet
from django.http import QueryDict

JSON = dict[str, Any]
Kind = Literal["token", "string", "reference", "date"]

DEFAULT_COUNT = 50
MAX_COUNT = 500
# Bounds that keep any query small: values longer than this, or more alternatives than this in
# one parameter, are refused rather than sent to the database.
MAX_VALUE_LENGTH = 256
MAX_ALTERNATIVES = 100
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
RESOURCE_ID = re.compile(r"[A-Za-z0-9\-.]{1,64}")
RESOURCE_TYPE = re.compile(r"[A-Z][A-Za-z]{1,63}")
# Parameters about the result rather than the resources.
RESULT_PARAMETERS = {"_count", "_offset", "_include", "_revinclude", "_format"}
JSON_FORMATS = {"json", "application/json", "application/fhir+json"}
DATE_PREFIXES = {"eq", "ne", "gt", "lt", "ge", "le"}
DATE_VALUE = re.compile(
    r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2})"
    r"(?:T(?P<time>\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(?P<zone>Z|[+-]\d{2}:\d{2}))?)?)?$"
)


class SearchError(Exception):
    """A request the server refuses; the message goes back in an OperationOutcome (400)."""


@dataclass(frozen=True)
class Token:
    system: str | None  # None: any system; "": no system
    code: str | None  # None: any code (``system|``)


@dataclass(frozen=True)
class Text:
    value: str
    modifier: str  # "", "exact" or "contains"


@dataclass(frozen=True)
class Ref:
    resource_type: str | None
    id: str

    @property
    def key(self) -> str:
        return f"{self.resource_type}/{self.id}"


@dataclass(frozen=True)
class When:
    prefix: str
    start: datetime
    end: datetime  # exclusive


Value = Token | Text | Ref | When


@dataclass(frozen=True)
class Param:
    """A search parameter of one resource type: its code, kind and what it reads from a built
    resource (for fixed resources and for ``_include``)."""

    code: str
    kind: Kind
    extract: Callable[[JSON], list[Any]]
    targets: tuple[str, ...] = ()  # for references: the types they may point to


@dataclass(frozen=True)
class Criterion:
    """One parameter of the query: resources match if they match any of ``values``."""

    param: Param
    values: tuple[Value, ...]


# Reading what a built resource holds, for matching fixed resources and for _include.


def walk(data: Any, path: str) -> list[Any]:
    """The values at a dotted ``path`` of JSON, through lists (``type.coding``)."""
    found = [data]
    for name in path.split("."):
        following = []
        for item in found:
            value = item.get(name) if isinstance(item, dict) else None
            if isinstance(value, list):
                following.extend(value)
            elif value is not None:
                following.append(value)
        found = following
    return found


def codings(*paths: str) -> Callable[[JSON], list[Any]]:
    """(system, code) of each coding of the CodeableConcepts at ``paths``."""
    return lambda resource: [
        (coding.get("system", ""), coding.get("code", ""))
        for path in paths
        for coding in walk(resource, f"{path}.coding")
    ]


def identifiers(path: str) -> Callable[[JSON], list[Any]]:
    return lambda resource: [
        (identifier.get("system", ""), identifier.get("value", ""))
        for identifier in walk(resource, path)
    ]


def strings(*paths: str) -> Callable[[JSON], list[Any]]:
    return lambda resource: [
        value for path in paths for value in walk(resource, path) if isinstance(value, str)
    ]


def references(*paths: str) -> Callable[[JSON], list[Any]]:
    """The "Type/id" of the references at ``paths``."""
    return lambda resource: [
        value for path in paths for value in walk(resource, f"{path}.reference")
    ]


def extension_references(url: str) -> Callable[[JSON], list[Any]]:
    return lambda resource: [
        extension["valueReference"]["reference"]
        for extension in resource.get("extension", [])
        if extension.get("url") == url and "valueReference" in extension
    ]


def nothing(resource: JSON) -> list[Any]:
    """For parameters no resource of ours ever has a value for (``endpoint``)."""
    return []


# Reading the query string.


def parse_reference(value: str, targets: tuple[str, ...]) -> Ref:
    """``Type/id``, a bare ``id`` or an absolute URL ending in ``Type/id``."""
    parts = value.rstrip("/").split("/")
    if len(parts) == 1:
        resource_type, resource_id = (targets[0] if len(targets) == 1 else None), parts[0]
    else:
        resource_type, resource_id = parts[-2], parts[-1]
        if not RESOURCE_TYPE.fullmatch(resource_type):
            raise SearchError(f"'{value}' is not a reference (Type/id).")
        if targets and resource_type not in targets:
            raise SearchError(
                f"'{value}' cannot be searched here: it must refer to {', '.join(targets)}."
            )
    if not RESOURCE_ID.fullmatch(resource_id):
        raise SearchError(f"'{resource_id}' is not a resource id.")
    return Ref(resource_type, resource_id)


def parse_token(value: str) -> Token:
    if "|" not in value:
        return Token(None, value)
    system, code = value.split("|", 1)
    return Token(system, code or None)


def plan_time_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def parse_date(value: str) -> When:
    """A FHIR date search value: an optional prefix and a date of any precision, read as the
    period it covers (a day is midnight to midnight, plan time, when no zone is given)."""
    prefix = value[:2] if value[:2] in DATE_PREFIXES else "eq"
    text = value[2:] if value[:2] in DATE_PREFIXES else value
    match = DATE_VALUE.match(text)
    if not match:
        raise SearchError(f"'{value}' is not a date (YYYY, YYYY-MM, YYYY-MM-DD or an instant).")
    try:
        year = int(match["year"])
        if match["time"]:
            instant = datetime.fromisoformat(text.replace("Z", "+00:00"))
            return When(prefix, instant, instant + timedelta(seconds=1))
        if match["day"]:
            day = date(year, int(match["month"]), int(match["day"]))
            start, end = day, day + timedelta(days=1)
        elif match["month"]:
            month = int(match["month"])
            start = date(year, month, 1)
            end = date(year + month // 12, month % 12 + 1, 1)
        else:
            start, end = date(year, 1, 1), date(year + 1, 1, 1)
    except (ValueError, OverflowError) as error:
        raise SearchError(f"'{value}' is not a valid date.") from error
    zone = plan_time_zone()
    return When(
        prefix,
        datetime.combine(start, time(), tzinfo=zone),
        datetime.combine(end, time(), tzinfo=zone),
    )


def parse_value(param: Param, modifier: str, value: str) -> Value:
    if param.kind == "string":
        return Text(value, modifier)
    if param.kind == "token":
        return parse_token(value)
    if param.kind == "reference":
        return parse_reference(value, param.targets)
    return parse_date(value)


MODIFIERS: dict[str, set[str]] = {"string": {"", "exact", "contains"}}


@dataclass
class Query:
    """A search request read and checked: criteria, paging and what to include."""

    criteria: list[Criterion] = field(default_factory=list)
    count: int = DEFAULT_COUNT
    offset: int = 0
    include: list[str] = field(default_factory=list)
    revinclude: list[str] = field(default_factory=list)


def single_number(query: QueryDict, name: str, default: int) -> int:
    values = query.getlist(name)
    if not values:
        return default
    if len(values) > 1 or not values[0].isdigit() or len(values[0]) > 9:
        raise SearchError(f"{name} must be given once, as a whole number of 0 or more.")
    return int(values[0])


def parse_query(query: QueryDict, params: dict[str, Param]) -> Query:
    """The criteria of a query string, or ``SearchError`` for anything the server does not
    support: an unknown parameter or modifier, a bad value, chaining."""
    parsed = Query()
    for key in query:
        for value in query.getlist(key):
            if len(value) > MAX_VALUE_LENGTH or CONTROL_CHARACTERS.search(key + value):
                raise SearchError(f"The value of {key[:40]} is too long or not printable.")
        if key in RESULT_PARAMETERS:
            continue
        code, _, modifier = key.partition(":")
        param = params.get(code)
        if param is None:
            raise SearchError(
                f"Unknown or unsupported search parameter '{key[:60]}'. Supported: "
                f"{', '.join(sorted(params))}, {', '.join(sorted(RESULT_PARAMETERS))}."
            )
        if modifier not in MODIFIERS.get(param.kind, {""}):
            raise SearchError(f"The modifier ':{modifier[:30]}' is not supported on {code}.")
        for value in query.getlist(key):
            alternatives = value.split(",")
            if not value or any(not part for part in alternatives):
                raise SearchError(f"{key} needs a value.")
            if len(alternatives) > MAX_ALTERNATIVES:
                raise SearchError(f"{key} has more than {MAX_ALTERNATIVES} alternatives.")
            parsed.criteria.append(
                Criterion(param, tuple(parse_value(param, modifier, v) for v in alternatives))
            )
    parsed.count = min(single_number(query, "_count", DEFAULT_COUNT), MAX_COUNT)
    parsed.offset = single_number(query, "_offset", 0)
    for value in query.getlist("_format"):
        if value not in JSON_FORMATS:
            raise SearchError("Only JSON is served (_format=json).")
    parsed.include = query.getlist("_include")
    parsed.revinclude = query.getlist("_revinclude")
    return parsed


# Matching built resources (fixed sources).


def text_matches(candidate: str, wanted: Text) -> bool:
    if wanted.modifier == "exact":
        return candidate == wanted.value
    candidate, value = candidate.casefold(), wanted.value.casefold()
    return value in candidate if wanted.modifier == "contains" else candidate.startswith(value)


def token_matches(system: str, code: str, wanted: Token) -> bool:
    return (wanted.system is None or wanted.system == system) and (
        wanted.code is None or wanted.code == code
    )


def reference_matches(candidate: str, wanted: Ref) -> bool:
    resource_type, _, resource_id = candidate.rpartition("/")
    return resource_id == wanted.id and wanted.resource_type in (None, resource_type)


def when_matches(instant: datetime, wanted: When) -> bool:
    inside = wanted.start <= instant < wanted.end
    return {
        "eq": inside,
        "ne": not inside,
        "gt": instant >= wanted.end,
        "ge": instant >= wanted.start,
        "lt": instant < wanted.start,
        "le": instant < wanted.end,
    }[wanted.prefix]


def value_matches(candidate: Any, wanted: Value) -> bool:
    if isinstance(wanted, Text):
        return isinstance(candidate, str) and text_matches(candidate, wanted)
    if isinstance(wanted, Token):
        system, code = candidate if isinstance(candidate, tuple) else ("", candidate)
        return token_matches(system, code, wanted)
    if isinstance(wanted, Ref):
        return reference_matches(candidate, wanted)
    return when_matches(datetime.fromisoformat(candidate), wanted)


def resource_matches(resource: JSON, criterion: Criterion) -> bool:
    candidates = criterion.param.extract(resource)
    return any(value_matches(c, v) for c in candidates for v in criterion.values)


# Database conditions (row sources).


def when_q(field_name: str, wanted: When) -> Q:
    inside = Q(**{f"{field_name}__gte": wanted.start, f"{field_name}__lt": wanted.end})
    return {
        "eq": inside,
        "ne": ~inside,
        "gt": Q(**{f"{field_name}__gte": wanted.end}),
        "ge": Q(**{f"{field_name}__gte": wanted.start}),
        "lt": Q(**{f"{field_name}__lt": wanted.start}),
        "le": Q(**{f"{field_name}__lt": wanted.end}),
    }[wanted.prefix]


def text_q(field_names: Sequence[str], wanted: Text) -> Q:
    """A string search over database columns: starts with (the FHIR default), ``:contains`` or
    ``:exact``, case-insensitive except for ``:exact``."""
    lookup = {"exact": "exact", "contains": "icontains"}.get(wanted.modifier, "istartswith")
    condition = Q(pk__in=[])
    for name in field_names:
        condition |= Q(**{f"{name}__{lookup}": wanted.value})
    return condition


def any_of(values: Sequence[Value], condition: Callable[[Any], Q]) -> Q:
    combined = Q(pk__in=[])
    for value in values:
        combined |= condition(value)
    return combined


def row_pks(values: Sequence[Value], resource_type: str, prefix: str) -> list[int]:
    """The database keys of the references or ids among ``values`` to ``prefix-<pk>`` resources
    of ``resource_type``."""
    pattern = re.compile(rf"{re.escape(prefix)}-([1-9]\d{{0,17}})")
    pks = []
    for value in values:
        if isinstance(value, Ref) and value.resource_type not in (None, resource_type):
            continue
        raw = value.id if isinstance(value, Ref) else value.code if isinstance(value, Token) else ""
        match = pattern.fullmatch(raw or "")
        if match:
            pks.append(int(match.group(1)))
    return pks


def everything_if(condition: bool) -> Q:
    """All rows, or none: for what every row of a source has, or none has."""
    return Q() if condition else Q(pk__in=[])


def refers_to(values: Sequence[Value], resource_type: str, resource_id: str) -> bool:
    return any(
        isinstance(v, Ref) and reference_matches(f"{resource_type}/{resource_id}", v)
        for v in values
    )


def has_token(values: Sequence[Value], system: str, code: str) -> bool:
    return any(isinstance(v, Token) and token_matches(system, code, v) for v in values)


def has_text(values: Sequence[Value], candidate: str) -> bool:
    return any(isinstance(v, Text) and text_matches(candidate, v) for v in values)


# Sources and searching.

M = TypeVar("M", bound=Model)
RowFilter = Callable[[Sequence[Value]], Q]


class Source:
    """Resources of one type from one place; counted and paged on the criteria."""

    def count(self, criteria: list[Criterion]) -> int:
        raise NotImplementedError

    def page(self, criteria: list[Criterion], offset: int, limit: int) -> list[JSON]:
        raise NotImplementedError


@dataclass
class FixedSource(Source):
    """A handful of resources built in memory (the plan, its network, the counties)."""

    build: Callable[[], list[JSON]]

    def matching(self, criteria: list[Criterion]) -> list[JSON]:
        return [r for r in self.build() if all(resource_matches(r, c) for c in criteria)]

    def count(self, criteria: list[Criterion]) -> int:
        return len(self.matching(criteria))

    def page(self, criteria: list[Criterion], offset: int, limit: int) -> list[JSON]:
        return self.matching(criteria)[offset : offset + limit]


@dataclass
class RowSource(Source, Generic[M]):
    """Resources built from database rows, one resource per row, ids ``<prefix>-<pk>``.

    ``filters`` gives, per parameter, the condition on the rows; a parameter without one
    matches no row here (no row of this source has the element).
    """

    rows: Callable[[], QuerySet[M]]
    build: Callable[[M], JSON]
    prefix: str
    resource_type: str
    filters: dict[str, RowFilter]
    # Where the rows of a page are kept, by resource id, for what else is built from them.
    loaded: dict[str, M] | None = None

    def queryset(self, criteria: list[Criterion]) -> QuerySet[M]:
        rows = self.rows()
        for criterion in criteria:
            code, values = criterion.param.code, criterion.values
            if code == "_id":
                condition = Q(pk__in=row_pks(values, self.resource_type, self.prefix))
            elif code == "_lastUpdated":
                condition = any_of(values, lambda v: when_q("last_updated", v))
            elif code in self.filters:
                condition = self.filters[code](values)
            else:
                condition = Q(pk__in=[])
            rows = rows.filter(condition)
        return rows

    def count(self, criteria: list[Criterion]) -> int:
        return self.queryset(criteria).count()

    def page(self, criteria: list[Criterion], offset: int, limit: int) -> list[JSON]:
        if limit <= 0:
            return []
        rows = list(self.queryset(criteria)[offset : offset + limit])
        built = [self.build(row) for row in rows]
        if self.loaded is not None:
            self.loaded.update(zip((resource["id"] for resource in built), rows, strict=True))
        return built


@dataclass
class Found:
    total: int
    resources: list[JSON]


def find(sources: list[Source], criteria: list[Criterion], offset: int, count: int) -> Found:
    """The ``count`` matches from ``offset`` on, across the sources in order, and the total."""
    total = 0
    resources: list[JSON] = []
    for source in sources:
        matching = source.count(criteria)
        wanted = count - len(resources)
        if wanted > 0 and offset < total + matching:
            resources += source.page(criteria, max(0, offset - total), wanted)
        total += matching
    return Found(total, resources)
