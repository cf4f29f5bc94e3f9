"""Checking a sample file's lines against a file specification, in one streaming pass.

Messages name the line and the column and say what to change, in words a non-technical person can
act on. Values of columns holding member data (names, CIN, address, phone) are never repeated in a
message: the report is kept after the file is deleted, and must not become a copy of member data.
"""

import datetime
import difflib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from itertools import islice

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from data_exchange.readers import Line
from data_exchange.specs import ColumnFormat, normalize_heading
from screening.identifiers import validate_npi

# Enough for the applicant to see every kind of problem; the total is always counted.
MAX_LISTED_PROBLEMS = 200
MAX_QUOTED_LENGTH = 40

CIN = re.compile(r"\d{8}[A-Za-z]")
ZIP = re.compile(r"\d{5}(-?\d{4})?")
WHOLE_NUMBER = re.compile(r"\d+")
NON_DIGITS = re.compile(r"\D")
YES_NO = {"y", "n", "yes", "no"}
DATE_PATTERN = re.compile(
    r"(?P<y1>\d{4})-(?P<m1>\d{1,2})-(?P<d1>\d{1,2})"
    r"|(?P<m2>\d{1,2})/(?P<d2>\d{1,2})/(?P<y2>\d{4})"
    r"|(?P<y3>\d{4})(?P<m3>\d{2})(?P<d3>\d{2})"
)
# The ways DATE_PATTERN reads, with an example of each: the column list and the problem message
# both say them from here, so what applicants are told is what the check accepts.
DATE_FORMATS = (
    (gettext_noop("MM/DD/YYYY"), "07/31/2025"),
    (gettext_noop("YYYY-MM-DD"), "2025-07-31"),
    (gettext_noop("YYYYMMDD"), "20250731"),
)


@dataclass(frozen=True)
class ColumnRule:
    """What one column of the specification requires (read from a SpecColumn)."""

    name: str
    format: str
    required: bool = False
    codes: tuple[str, ...] = ()
    member_data: bool = False


@dataclass(frozen=True)
class FoundProblem:
    line: int | None
    column: str
    message: str


@dataclass
class CheckResult:
    """What the check found: the lines read, the first problems in full, and how many in all."""

    line_count: int = 0
    problem_count: int = 0
    problems: list[FoundProblem] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return self.problem_count == 0

    def add(self, line: int | None, column: str, message: str) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_LISTED_PROBLEMS:
            self.problems.append(FoundProblem(line, column, message))


@dataclass(frozen=True)
class Expected:
    """What the file must say about the provider: the NPI and TIN of the application."""

    npi: str
    tin: str


def _quote(value: str) -> str:
    shown = value if len(value) <= MAX_QUOTED_LENGTH else value[:MAX_QUOTED_LENGTH] + "…"
    return f"“{shown}”"


def accepted_date_formats() -> str:
    """The ways of writing a date the check reads, e.g. "MM/DD/YYYY (07/31/2025), … or …"."""
    return get_text_list(
        [
            _("%(pattern)s (%(example)s)") % {"pattern": _(pattern), "example": example}
            for pattern, example in DATE_FORMATS
        ],
        _("or"),
    )


def _is_date(value: str) -> bool:
    """A real calendar date written 2025-07-31, 07/31/2025 or 20250731 (a time after it is fine)."""
    match = DATE_PATTERN.fullmatch(value.split("T", 1)[0].split(" ", 1)[0])
    if match is None:
        return False
    groups = match.groupdict()
    year = groups["y1"] or groups["y2"] or groups["y3"]
    month = groups["m1"] or groups["m2"] or groups["m3"]
    day = groups["d1"] or groups["d2"] or groups["d3"]
    try:
        parsed = datetime.date(int(year), int(month), int(day))
    except ValueError:
        return False
    return 1900 <= parsed.year <= 2100


# Why a value does not fit its column's format, without the value itself; None when it fits.
# One such function is chosen for each column before the lines are read (_column_check).
ValueCheck = Callable[[str], str | None]


def _date_problem(value: str) -> str | None:
    if _is_date(value):
        return None
    return _("is not a date we can read; write dates as %(formats)s.") % {
        "formats": accepted_date_formats()
    }


def _cin_problem(value: str) -> str | None:
    if CIN.fullmatch(value):
        return None
    return _(
        "should be 8 digits followed by a letter, like 91234567A (this value has %(n)d characters)."
    ) % {"n": len(value)}


def _yes_no_problem(value: str) -> str | None:
    return None if value.casefold() in YES_NO else _("should be Y or N (yes or no).")


def _code_problem(codes: tuple[str, ...], folded: frozenset[str], value: str) -> str | None:
    if value.casefold() in folded:
        return None
    return _("is not one of the allowed codes: %(codes)s.") % {"codes": ", ".join(codes)}


def _zip_problem(value: str) -> str | None:
    if ZIP.fullmatch(value):
        return None
    return _("should be a 5-digit ZIP code, like 90012 (or ZIP+4, like 90012-3456).")


def _phone_problem(value: str) -> str | None:
    digits = NON_DIGITS.sub("", value)
    if len(digits) == 10 or (len(digits) == 11 and digits.startswith("1")):
        return None
    return _("should be a 10-digit phone number, like (213) 555-0100.")


def _email_problem(value: str) -> str | None:
    try:
        validate_email(value)
    except ValidationError:
        return _("is not an email address.")
    return None


def _whole_number_problem(value: str) -> str | None:
    return None if WHOLE_NUMBER.fullmatch(value) else _("should be a whole number, like 30.")


def _npi_problem(npi: str, value: str) -> str | None:
    if value == npi:
        return None  # the application's NPI passed the check-digit test when it was entered
    digits = NON_DIGITS.sub("", value)
    if len(digits) != 10 or digits != value.strip():
        return _("should be your organization's 10-digit NPI.")
    try:
        validate_npi(digits)
    except ValidationError:
        return _("is not a valid NPI: its last digit does not match. Check for a typing mistake.")
    if npi and digits != npi:
        return _("is not your organization's NPI (%(npi)s, as entered in Entity verification).") % {
            "npi": npi
        }
    return None


def _tin_problem(tin: str, value: str) -> str | None:
    digits = NON_DIGITS.sub("", value)
    if len(digits) != 9 or len(value.replace("-", "").strip()) != 9:
        return _("should be your organization's 9-digit TIN, like 12-3456789.")
    if tin and digits != tin:
        return _(
            "does not match your organization's TIN (the one ending %(last4)s, as entered in "
            "Entity verification)."
        ) % {"last4": tin[-4:]}
    return None


# The formats whose check needs nothing but the value (codes, NPI and TIN need more).
CHECKS: dict[str, ValueCheck] = {
    ColumnFormat.DATE: _date_problem,
    ColumnFormat.CIN: _cin_problem,
    ColumnFormat.YES_NO: _yes_no_problem,
    ColumnFormat.ZIP: _zip_problem,
    ColumnFormat.PHONE: _phone_problem,
    ColumnFormat.EMAIL: _email_problem,
    ColumnFormat.WHOLE_NUMBER: _whole_number_problem,
}


def _value_message(rule: ColumnRule, value: str, problem: str) -> str:
    if rule.member_data:
        return _("the value %(problem)s") % {"problem": problem}
    return f"{_quote(value)} {problem}"


def _check_headings(
    headings: list[str], rules: list[ColumnRule], label: str, result: CheckResult
) -> list[tuple[int, ColumnRule]]:
    """Report missing, unknown and repeated headings; return where each known column is."""
    by_name = {normalize_heading(rule.name): rule for rule in rules}
    found: dict[str, int] = {}
    placed: list[tuple[int, ColumnRule]] = []
    for index, heading in enumerate(headings):
        key = normalize_heading(heading)
        if not key:
            continue
        if key in found:
            result.add(
                1, heading, _("Column “%(name)s” appears more than once.") % {"name": heading}
            )
            continue
        found[key] = index
        rule = by_name.get(key)
        if rule is not None:
            placed.append((index, rule))
            continue
        close = difflib.get_close_matches(key, list(by_name), n=1, cutoff=0.75)
        hint = _(" Did you mean “%(name)s”?") % {"name": by_name[close[0]].name} if close else ""
        result.add(
            1,
            heading,
            _(
                "Column “%(name)s” is not in the %(spec)s template. Remove it or correct its "
                "heading."
            )
            % {"name": heading, "spec": label}
            + hint,
        )
    for rule in rules:
        if normalize_heading(rule.name) not in found:
            result.add(
                1,
                rule.name,
                _(
                    "Column “%(name)s” is missing. The %(spec)s template needs it in the "
                    "heading line."
                )
                % {"name": rule.name, "spec": label},
            )
    return placed


# Lines are checked a block at a time, column by column: each different value of a column is
# checked once per block, and only a column with a problem is gone through line by line. A block
# is small enough that memory stays flat however long the file is.
BLOCK_LINES = 250


def _column_check(rule: ColumnRule, expected: Expected) -> ValueCheck | None:
    """The check of the values of ``rule``'s column, chosen once for the whole file; None when
    any value fits (free text, or a code column without a list of codes)."""
    if rule.format == ColumnFormat.CODE:
        folded = frozenset(code.casefold() for code in rule.codes)
        return partial(_code_problem, rule.codes, folded) if rule.codes else None
    if rule.format == ColumnFormat.NPI:
        return partial(_npi_problem, expected.npi)
    if rule.format == ColumnFormat.TIN:
        return partial(_tin_problem, expected.tin)
    return CHECKS.get(rule.format)


@dataclass(frozen=True)
class _Column:
    """A column of the file as it is checked: where its values are, its rule and its check."""

    index: int
    rule: ColumnRule
    check: ValueCheck | None


# A problem found in a block: line number, the column's place in the check (-1 for the line as a
# whole), the column's name and the message. Sorted, they come in the order of the file.
_BlockProblem = tuple[int, int, str, str]


def _blocks(lines: Iterator[Line]) -> Iterator[list[Line]]:
    while block := list(islice(lines, BLOCK_LINES)):
        yield block


def _block_problems(
    block: list[Line], width: int, columns: list[_Column]
) -> Iterator[_BlockProblem]:
    """The problems of a block of lines of data, each line cut or padded to ``width`` values."""
    rows = []
    for line in block:
        values = line.values
        if len(values) > width:
            if any(value.strip() for value in values[width:]):
                message = _("Line %(line)d has more values than the heading line has columns.")
                yield line.number, -1, "", message % {"line": line.number}
            values = values[:width]
        elif len(values) < width:
            values = values + [""] * (width - len(values))
        rows.append(values)
    numbers = [line.number for line in block]
    by_column = list(zip(*rows, strict=True))
    for place, column in enumerate(columns):
        values = list(map(str.strip, by_column[column.index]))
        yield from _column_problems(column, place, numbers, values)


def _column_problems(
    column: _Column, place: int, numbers: list[int], values: list[str]
) -> Iterator[_BlockProblem]:
    """The problems of one column's ``values`` (stripped) on the lines ``numbers``."""
    rule, check = column.rule, column.check
    different = set(values)
    missing = rule.required and "" in different
    problems = {}
    if check is not None:
        for value in different:
            if value and (problem := check(value)) is not None:
                problems[value] = problem
    if not missing and not problems:
        return
    for number, value in zip(numbers, values, strict=True):
        if not value:
            if rule.required:
                message = _(
                    "Line %(line)d, column %(column)s: this value is required, but it is empty."
                ) % {"line": number, "column": rule.name}
                yield number, place, rule.name, message
        elif value in problems:
            message = _("Line %(line)d, column %(column)s: %(problem)s") % {
                "line": number,
                "column": rule.name,
                "problem": _value_message(rule, value, problems[value]),
            }
            yield number, place, rule.name, message


def check_lines(
    lines: Iterable[Line], rules: list[ColumnRule], label: str, expected: Expected
) -> CheckResult:
    """Check the heading line, then every line of data, against ``rules``."""
    result = CheckResult()
    iterator: Iterator[Line] = iter(lines)
    heading_line = next(iterator, None)
    if heading_line is None:
        result.add(
            None, "", _("The file has no lines. Upload a sample with a heading line and data.")
        )
        return result
    placed = _check_headings(heading_line.values, rules, label, result)
    formats = {rule.format for _index, rule in placed}
    for identifier, value, name in (
        (ColumnFormat.NPI, expected.npi, _("NPI")),
        (ColumnFormat.TIN, expected.tin, _("TIN")),
    ):
        if identifier in formats and not value:
            result.add(
                None,
                "",
                _(
                    "Enter your organization's %(name)s in Entity verification first, so that "
                    "the %(name)s in the file can be compared with it."
                )
                % {"name": name},
            )
    width = len(heading_line.values)
    columns = [_Column(index, rule, _column_check(rule, expected)) for index, rule in placed]
    for block in _blocks(iterator):
        result.line_count += len(block)
        for number, _place, column_name, message in sorted(_block_problems(block, width, columns)):
            result.add(number, column_name, message)
    if result.line_count == 0:
        result.add(
            None,
            "",
            _(
                "The file has a heading line but no lines of data. Add at least one sample line "
                "(made-up member data is fine)."
            ),
        )
    return result
