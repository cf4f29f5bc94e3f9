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


def _date_problem(rule: ColumnRule, value: str, expected: Expected) -> str | None:
    if _is_date(value):
        return None
    return _("is not a date we can read; write dates as %(formats)s.") % {
        "formats": accepted_date_formats()
    }


def _cin_problem(rule: ColumnRule, value: str, expected: Expected) -> str | None:
    if CIN.fullmatch(value):
        return None
    return _(
        "should be 8 digits followed by a letter, like 91234567A (this value has %(n)d characters)."
    ) % {"n": len(value)}


def _yes_no_problem(rule: ColumnRule, value: str, expected: Expected) -> str | None:
    return None if value.casefold() in YES_NO else _("should be Y or N (yes or no).")


def _code_problem(rule: ColumnRule, value: str, expected: Expected) -> str | None:
    if not rule.codes or value.casefold() in {code.casefold() for code in rule.codes}:
        return None
    return _("is not one of the allowed codes: %(codes)s.") % {"codes": ", ".join(rule.codes)}


def _zip_problem(rule: ColumnRule, value: str, expected: Expected) -> str | None:
    if ZIP.fullmatch(value):
        return None
    return _("should be a 5-digit ZIP code, like 90012 (or ZIP+4, like 90012-3456).")


def _phone_problem(rule: ColumnRule, value: str, expected: Expected) -> str | None:
    digits = NON_DIGITS.sub("", value)
    if len(digits) == 10 or (len(digits) == 11 and digits.startswith("1")):
        return None
    return _("should be a 10-digit phone number, like (213) 555-0100.")


def _email_problem(rule: ColumnRule, value: str, expected: Expected) -> str | None:
    try:
        validate_email(value)
    except ValidationError:
        return _("is not an email address.")
    return None


def _whole_number_problem(rule: ColumnRule, value: str, expected: Expected) -> str | None:
    return None if WHOLE_NUMBER.fullmatch(value) else _("should be a whole number, like 30.")


def _npi_problem(rule: ColumnRule, value: str, expected: Expected) -> str | None:
    npi = expected.npi
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


def _tin_problem(rule: ColumnRule, value: str, expected: Expected) -> str | None:
    tin = expected.tin
    digits = NON_DIGITS.sub("", value)
    if len(digits) != 9 or len(value.replace("-", "").strip()) != 9:
        return _("should be your organization's 9-digit TIN, like 12-3456789.")
    if tin and digits != tin:
        return _(
            "does not match your organization's TIN (the one ending %(last4)s, as entered in "
            "Entity verification)."
        ) % {"last4": tin[-4:]}
    return None


# Plain-string keys: looked up once per value, in the loop over every cell of the file.
# Why a value does not fit its column's format, without the value itself; None when it fits.
CHECKS: dict[str, Callable[[ColumnRule, str, Expected], str | None]] = {
    str(ColumnFormat.DATE.value): _date_problem,
    str(ColumnFormat.CIN.value): _cin_problem,
    str(ColumnFormat.YES_NO.value): _yes_no_problem,
    str(ColumnFormat.CODE.value): _code_problem,
    str(ColumnFormat.NPI.value): _npi_problem,
    str(ColumnFormat.TIN.value): _tin_problem,
    str(ColumnFormat.ZIP.value): _zip_problem,
    str(ColumnFormat.PHONE.value): _phone_problem,
    str(ColumnFormat.EMAIL.value): _email_problem,
    str(ColumnFormat.WHOLE_NUMBER.value): _whole_number_problem,
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


# Formats whose values repeat from line to line (dates, codes, Y/N, the organization's NPI), so
# their verdicts are remembered; free text and member identifiers are not.
REPEATING_FORMATS = frozenset(
    {
        ColumnFormat.DATE,
        ColumnFormat.YES_NO,
        ColumnFormat.CODE,
        ColumnFormat.ZIP,
        ColumnFormat.PHONE,
        ColumnFormat.EMAIL,
        ColumnFormat.WHOLE_NUMBER,
        ColumnFormat.NPI,
        ColumnFormat.TIN,
    }
)
VERDICTS_KEPT = 20_000  # at most this many remembered at once, so memory stays flat


class _Verdicts:
    """The verdicts on values already checked in this file, for formats whose values repeat.

    Only the verdict (a message without the value, or None) is kept, keyed by column and value;
    the whole memory is dropped when it is full, so a file of any length uses the same memory.
    """

    def __init__(self) -> None:
        self._kept: dict[tuple[int, str], str | None] = {}

    def of(
        self,
        index: int,
        rule: ColumnRule,
        check: Callable[[ColumnRule, str, Expected], str | None],
        value: str,
        expected: Expected,
    ) -> str | None:
        if rule.format not in REPEATING_FORMATS:
            return check(rule, value, expected)
        key = (index, value)
        try:
            return self._kept[key]
        except KeyError:
            pass
        verdict = check(rule, value, expected)
        if len(self._kept) >= VERDICTS_KEPT:
            self._kept.clear()
        self._kept[key] = verdict
        return verdict


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
    checks = [(index, rule, CHECKS.get(rule.format)) for index, rule in placed]
    verdicts = _Verdicts()
    for line in iterator:
        result.line_count += 1
        values = line.values
        if len(values) > width and any(v.strip() for v in values[width:]):
            result.add(
                line.number,
                "",
                _("Line %(line)d has more values than the heading line has columns.")
                % {"line": line.number},
            )
        for index, rule, check in checks:
            value = values[index].strip() if index < len(values) else ""
            if not value:
                if rule.required:
                    result.add(
                        line.number,
                        rule.name,
                        _(
                            "Line %(line)d, column %(column)s: this value is required, but it "
                            "is empty."
                        )
                        % {"line": line.number, "column": rule.name},
                    )
                continue
            if check is None:
                continue
            problem = verdicts.of(index, rule, check, value, expected)
            if problem is not None:
                result.add(
                    line.number,
                    rule.name,
                    _("Line %(line)d, column %(column)s: %(problem)s")
                    % {
                        "line": line.number,
                        "column": rule.name,
                        "problem": _value_message(rule, value, problem),
                    },
                )
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
