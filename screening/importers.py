"""Readers of the three exclusion-list formats (reference/screening.md).

Each reader turns a published file into ``ParsedRow`` values, or refuses the whole file with an
``ImportFormatError`` naming the line and column at fault: a list is imported whole or not at all.

A full list has 80,000 rows or more, read in one go: per row, the readers strip each cell once,
write the row back as CSV with one writer for the whole file, and leave dates and names to
caches, as the lists repeat them.
"""

import csv
import io
import operator
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from screening.identifiers import is_ascii_digits
from screening.models import ExclusionNumber, ExclusionRecord, ExclusionSource
from screening.normalise import normalise_business_name, normalise_person_name
from screening.numbers import numbers_in

Kind = ExclusionRecord.Kind
LICENCE, PROVIDER = ExclusionNumber.Kind.LICENCE.value, ExclusionNumber.Kind.PROVIDER.value

LEIE_HEADER = [
    "LASTNAME",
    "FIRSTNAME",
    "MIDNAME",
    "BUSNAME",
    "GENERAL",
    "SPECIALTY",
    "UPIN",
    "NPI",
    "DOB",
    "ADDRESS",
    "CITY",
    "STATE",
    "ZIP",
    "EXCLTYPE",
    "EXCLDATE",
    "REINDATE",
    "WAIVERDATE",
    "WVRSTATE",
]
SAM_HEADER = [
    "Classification",
    "Name",
    "Prefix",
    "First",
    "Middle",
    "Last",
    "Suffix",
    "Address 1",
    "Address 2",
    "Address 3",
    "Address 4",
    "City",
    "State / Province",
    "Country",
    "Zip Code",
    "Open Data Flag",
    "Blank (Deprecated)",
    "Unique Entity ID",
    "Exclusion Program",
    "Excluding Agency",
    "CT Code",
    "Exclusion Type",
    "Additional Comments",
    "Active Date",
    "Termination Date",
    "Record Status",
    "Cross-Reference",
    "SAM Number",
    "CAGE",
    "NPI",
    "Creation_Date",
]
SAM_CLASSIFICATIONS = {
    "individual": Kind.INDIVIDUAL,
    "firm": Kind.ENTITY,
    "special entity designation": Kind.ENTITY,
    "vessel": Kind.ENTITY,
}
LEIE_EMPTY_DATE = "00000000"
LEIE_EMPTY_NPI = "0000000000"
# The columns of ExclusionRecord an import fills, in the order of ``ParsedRow.records()``.
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


class ImportFormatError(Exception):
    """The file is not in the published format; ``str()`` says where and what, for people."""

    def __init__(self, message: str, *, line: int, column: str = "") -> None:
        self.line, self.column, self.detail = line, column, message
        where = f"line {line}, column {column}" if column else f"line {line}"
        super().__init__(f"{where}: {message}")


@dataclass(slots=True)
class ParsedRow:
    """The fields screening needs from one row, and the row itself as evidence."""

    line_number: int
    kind: str
    raw: str
    business_name: str = ""
    last_name: str = ""
    first_name: str = ""
    middle_name: str = ""
    npi: str = ""
    date_of_birth: date | None = None
    address: str = ""
    city: str = ""
    state: str = ""
    zip_code: str = ""
    exclusion_type: str = ""
    excluded_on: date | None = None
    reinstated_on: date | None = None
    license_number: str = ""
    provider_number: str = ""
    aliases: tuple[str, ...] = ()

    def records(self) -> list[tuple[object, ...]]:
        """Values of ``RECORD_COLUMNS`` for the row's record, then one more per AKA/DBA name it
        lists (a business name; the person is matched once): cut to their columns' lengths."""
        # The kind's plain value, not the enum member: tuples of plain values are soon left out of
        # the garbage collector's walks, and an import keeps 80,000 of them until it inserts them.
        kind = str(self.kind)
        person_key = (
            normalise_person_name(last=self.last_name, first=self.first_name)[:200]
            if self.kind == Kind.INDIVIDUAL
            else ""
        )
        person = (self.last_name[:100], self.first_name[:100], self.middle_name[:100])
        rest = (
            self.npi,
            self.date_of_birth,
            self.address[:300],
            self.city[:100],
            self.state[:32],
            self.zip_code[:16],
            self.exclusion_type[:100],
            self.excluded_on,
            self.reinstated_on,
            self.license_number[:100],
            self.provider_number[:100],
            self.raw,
        )
        name = self.business_name
        records: list[tuple[object, ...]] = [
            (self.line_number, kind, name[:300], _business_key(name), *person, person_key, *rest)
        ]
        for alias in self.aliases:
            records.append(
                (self.line_number, kind, alias[:300], _business_key(alias), *person, "", *rest)
            )
        return records

    def numbers(self) -> Iterator[tuple[str, str]]:
        """(kind, number) of each licence and provider number the row lists, normalised, read
        from the cells as stored, so that screening finds in a record the numbers it was found by.
        The kinds are plain values, as in ``records()``.
        """
        for kind, cell in (
            (LICENCE, self.license_number[:100]),
            (PROVIDER, self.provider_number[:100]),
        ):
            if cell:
                for number in numbers_in(cell):
                    yield kind, number


def _business_key(name: str) -> str:
    """The normalised business name as stored (an individual's row has none)."""
    return normalise_business_name(name)[:300] if name else ""


def decode(content: bytes) -> str:
    """UTF-8 (with or without a byte-order mark); older government files are Latin-1."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("latin-1")


def _records_of(text: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1
    try:
        for cells in reader:
            yield start, cells
            start = reader.line_num + 1
    except csv.Error as error:
        raise ImportFormatError(
            f"the file cannot be read as CSV ({error}); it may be truncated or damaged",
            line=reader.line_num,
        ) from error


class _RowWriter:
    """A row's cells written back as one CSV line, the evidence kept with each record: one
    writer and buffer for a whole file (a writer for each row cost as much as reading it)."""

    def __init__(self) -> None:
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, lineterminator="")

    def __call__(self, cells: list[str]) -> str:
        self._buffer.seek(0)
        self._buffer.truncate()
        self._writer.writerow(cells)
        return self._buffer.getvalue()


def _check_header(found: list[str], expected: list[str], source: str) -> None:
    cleaned = [cell.strip() for cell in found]
    for position, name in enumerate(expected, start=1):
        if position > len(cleaned):
            raise ImportFormatError(
                f"the {source} header has {len(cleaned)} columns, expected {len(expected)}; "
                f"column {name} is missing",
                line=1,
                column=f"{position} ({name})",
            )
        if cleaned[position - 1].casefold() != name.casefold():
            raise ImportFormatError(
                f"the {source} header should have {name} here, found "
                f"{cleaned[position - 1]!r} (is this the right file?)",
                line=1,
                column=f"{position} ({name})",
            )
    if len(cleaned) > len(expected):
        raise ImportFormatError(
            f"the {source} header has {len(cleaned)} columns, expected {len(expected)}",
            line=1,
            column=str(len(expected) + 1),
        )


def _check_width(cells: list[str], width: int, line: int) -> None:
    if len(cells) != width:
        raise ImportFormatError(
            f"expected {width} columns, found {len(cells)} (the file may be truncated)",
            line=line,
        )


def _blank(cells: list[str]) -> bool:
    """True for a row whose every cell is empty or blank (skipped, as the lists end with some)."""
    return not "".join(cells).strip()


def _cells(header: list[str], *names: str) -> Callable[[list[str]], tuple[str, ...]]:
    """The cells of a row under the named columns, in that order: one C call for a whole row."""
    return operator.itemgetter(*(header.index(name) for name in names))


LEIE_CELLS = _cells(
    LEIE_HEADER, "LASTNAME", "FIRSTNAME", "MIDNAME", "BUSNAME", "NPI", "DOB", "ADDRESS", "CITY",
    "STATE", "ZIP", "EXCLTYPE", "EXCLDATE", "REINDATE",
)  # fmt: skip
SAM_CELLS = _cells(
    SAM_HEADER, "Classification", "Name", "First", "Middle", "Last", "Address 1", "Address 2",
    "Address 3", "Address 4", "City", "State / Province", "Zip Code", "Exclusion Type",
    "Active Date", "Termination Date", "NPI",
)  # fmt: skip


@lru_cache(maxsize=65536)
def _yyyymmdd(value: str) -> date:
    """``strptime(value, "%Y%m%d")``, without its cost for the usual eight digits: an LEIE file
    has about 150,000 dates, most of them repeated. Anything else takes ``strptime`` itself, so
    what is accepted and what is refused (ValueError) is exactly as before."""
    if len(value) == 8 and value.isascii() and value.isdigit():
        return date(int(value[:4]), int(value[4:6]), int(value[6:]))
    return datetime.strptime(value, "%Y%m%d").date()


def _leie_date(value: str, line: int, column: str) -> date | None:
    value = value.strip()
    if value in ("", LEIE_EMPTY_DATE):
        return None
    try:
        return _yyyymmdd(value)
    except ValueError:
        raise ImportFormatError(
            f"{value!r} is not a date in the form YYYYMMDD (00000000 when there is none)",
            line=line,
            column=column,
        ) from None


def _npi(value: str, line: int, column: str) -> str:
    value = value.strip()
    if value in ("", LEIE_EMPTY_NPI):
        return ""
    if not (is_ascii_digits(value) and len(value) == 10):
        raise ImportFormatError(f"{value!r} is not a 10-digit NPI", line=line, column=column)
    return value


def parse_leie(text: str) -> Iterator[ParsedRow]:
    """The OIG LEIE full file (UPDATED.csv): exactly 18 columns, dates YYYYMMDD."""
    rows = _records_of(text)
    header = next(rows, None)
    if header is None:
        raise ImportFormatError("the file is empty", line=1)
    _check_header(header[1], LEIE_HEADER, "LEIE")
    raw = _RowWriter()
    for line, cells in rows:
        if _blank(cells):
            continue
        _check_width(cells, len(LEIE_HEADER), line)
        (last, first, middle, business, npi, born, address, city, state, zip_code, excl_type,
         excluded, reinstated) = map(str.strip, LEIE_CELLS(cells))  # fmt: skip
        if not (last or business):
            raise ImportFormatError("neither a last name nor a business name", line=line)
        yield ParsedRow(
            line_number=line,
            kind=Kind.INDIVIDUAL if last else Kind.ENTITY,
            raw=raw(cells),
            business_name=business,
            last_name=last,
            first_name=first,
            middle_name=middle,
            npi=_npi(npi, line, "NPI"),
            date_of_birth=_leie_date(born, line, "DOB"),
            address=address,
            city=city,
            state=state.upper(),
            zip_code=zip_code,
            exclusion_type=excl_type,
            excluded_on=_leie_date(excluded, line, "EXCLDATE"),
            reinstated_on=_leie_date(reinstated, line, "REINDATE"),
        )


@lru_cache(maxsize=65536)
def _us_or_iso(value: str) -> date | None:
    """MM/DD/YYYY or YYYY-MM-DD, or None; cached, as the lists repeat their dates."""
    for pattern in ("%m/%d/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    return None


def _us_date(
    value: str, line: int, column: str, *, open_ended: tuple[str, ...] = ()
) -> date | None:
    value = value.strip()
    if not value:
        return None
    parsed = _us_or_iso(value)  # cached: most cells are dates, and the lists repeat them
    if parsed is not None or value.casefold() in open_ended:
        return parsed
    raise ImportFormatError(
        f"{value!r} is not a date in the form MM/DD/YYYY", line=line, column=column
    )


def parse_sam(text: str) -> Iterator[ParsedRow]:
    """The SAM.gov public exclusions extract: 31 columns, dates MM/DD/YYYY."""
    rows = _records_of(text)
    header = next(rows, None)
    if header is None:
        raise ImportFormatError("the file is empty", line=1)
    _check_header(header[1], SAM_HEADER, "SAM")
    raw = _RowWriter()
    for line, cells in rows:
        if _blank(cells):
            continue
        _check_width(cells, len(SAM_HEADER), line)
        (classification, name, first, middle, last, *address_lines, city, state, zip_code,
         excl_type, active, terminated, npi) = map(str.strip, SAM_CELLS(cells))  # fmt: skip
        kind = SAM_CLASSIFICATIONS.get(classification.casefold())
        if kind is None:
            raise ImportFormatError(
                f"{classification!r} is not a SAM classification "
                "(Individual, Firm, Special Entity Designation or Vessel)",
                line=line,
                column="Classification",
            )
        person = kind == Kind.INDIVIDUAL
        yield ParsedRow(
            line_number=line,
            kind=kind,
            raw=raw(cells),
            business_name="" if person else name,
            last_name=last if person else "",
            first_name=first if person else "",
            middle_name=middle if person else "",
            npi=_npi(npi, line, "NPI"),
            address=", ".join(filter(None, address_lines)),
            city=city,
            state=state.upper(),
            zip_code=zip_code,
            exclusion_type=excl_type,
            excluded_on=_us_date(active, line, "Active Date"),
            reinstated_on=_us_date(
                terminated, line, "Termination Date", open_ended=("indefinite",)
            ),
        )


def _header_key(value: str) -> str:
    return re.sub(r"[^a-z0-9]", "", value.casefold())


# Our field -> the header names DHCS has used for it (compared without case or punctuation).
MEDI_CAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": (
        "Last Name or Business Name",
        "Last Name/Business Name",
        "Provider Name",
        "Business Name",
        "Last Name",
        "Name",
    ),
    "first": ("First Name",),
    "middle": ("Middle Name", "Middle Initial"),
    "aka": ("A.K.A. / D.B.A.", "AKA/DBA", "AKA DBA", "Also Known As", "AKA", "DBA"),
    "address": ("Addresses", "Address"),
    "provider_type": ("Provider Type",),
    "license": ("License Number", "License Numbers", "License"),
    "provider_number": ("Provider Number", "Provider Numbers"),
    "suspended_on": ("Date of Suspension", "Suspension Date", "Date Suspended"),
}
MEDI_CAL_REQUIRED = ("name", "suspended_on")
_ALIAS_SEPARATORS = re.compile(r"[;\n]")  # between the names of an AKA/DBA cell


def _medi_cal_layout(header: list[str]) -> dict[str, int]:
    keys = [_header_key(cell) for cell in header]
    layout: dict[str, int] = {}
    for field_name, names in MEDI_CAL_COLUMNS.items():
        for name in names:
            if _header_key(name) in keys:
                layout[field_name] = keys.index(_header_key(name))
                break
    missing = [f for f in MEDI_CAL_REQUIRED if f not in layout]
    if missing:
        wanted = "; ".join(" or ".join(repr(n) for n in MEDI_CAL_COLUMNS[f]) for f in missing)
        raise ImportFormatError(
            f"unknown Medi-Cal Suspended and Ineligible layout: no column named {wanted} "
            f"(found {', '.join(repr(c.strip()) for c in header)})",
            line=1,
        )
    return layout


def parse_medi_cal(text: str) -> Iterator[ParsedRow]:
    """The DHCS Medi-Cal Suspended and Ineligible Provider List, columns found by header name.

    A row with a first name is a person; any other is an entity. A row named only in its AKA/DBA
    column is the entity of its first AKA/DBA name; a row with no name at all is refused.
    """
    rows = _records_of(text)
    header = next(rows, None)
    if header is None:
        raise ImportFormatError("the file is empty", line=1)
    layout = _medi_cal_layout(header[1])
    width = len(header[1])
    suspended_on_column = header[1][layout["suspended_on"]].strip()  # as named in refusals
    # The cells of MEDI_CAL_COLUMNS in a row, "" for those the file has no column for (a cell
    # added after the row's last).
    fields = operator.itemgetter(*(layout.get(name, width) for name in MEDI_CAL_COLUMNS))
    raw = _RowWriter()
    for line, cells in rows:
        if _blank(cells):
            continue
        _check_width(cells, width, line)
        (name, first, middle, aka, address, provider_type, licence, provider_number,
         suspended_on) = map(str.strip, fields([*cells, ""]))  # fmt: skip
        aliases = [a.strip() for a in _ALIAS_SEPARATORS.split(aka) if a.strip()]
        if not (name or first) and aliases:
            # Some rows name the provider only in the AKA/DBA column: an entity known by those.
            name, *aliases = aliases
        if not name:
            raise ImportFormatError("the provider's name is empty", line=line, column="name")
        kind = Kind.INDIVIDUAL if first else Kind.ENTITY
        yield ParsedRow(
            line_number=line,
            kind=kind,
            raw=raw(cells),
            business_name=name if kind == Kind.ENTITY else "",
            last_name=name if kind == Kind.INDIVIDUAL else "",
            first_name=first,
            middle_name=middle,
            address=address,
            state="CA",
            exclusion_type=provider_type,
            excluded_on=_us_date(suspended_on, line, suspended_on_column),
            license_number=licence,
            provider_number=provider_number,
            aliases=tuple(aliases),
        )


PARSERS: dict[str, Callable[[str], Iterator[ParsedRow]]] = {
    ExclusionSource.LEIE: parse_leie,
    ExclusionSource.SAM: parse_sam,
    ExclusionSource.MEDI_CAL: parse_medi_cal,
}
