"""Reading a sample file line by line, whether CSV or Excel, without holding it in memory."""

import csv
import datetime
import io
import re
import time
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any, NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from data_exchange import xlsx
from documents.validators import CSV, JPEG, OFFICE_TYPES, PDF, PNG, sniff_content_type

XLSX = OFFICE_TYPES["xl/"]
DESCRIBED_TYPES = {
    PDF: gettext_lazy("a PDF document"),
    PNG: gettext_lazy("an image"),
    JPEG: gettext_lazy("an image"),
    OFFICE_TYPES["word/"]: gettext_lazy("a Word document"),
}


# A few hundred lines show every kind of problem a file has; a thousand stay well within every
# limit, so the messages about limits suggest that many.
SUGGESTED_LINES = 1_000
SEND_FEWER_LINES = gettext_lazy(
    "A sample needs only a few hundred lines: save one with at most %(lines)s lines and upload it."
)
PAST_LIMIT = {
    xlsx.Limit.TEXT_CHARACTERS: gettext_lazy(
        "This spreadsheet holds more text than a sample file can (the limit is %(limit)s "
        "characters)."
    ),
    xlsx.Limit.SHARED_STRINGS: gettext_lazy(
        "This spreadsheet holds more different pieces of text than a sample file can (the limit "
        "is %(limit)s)."
    ),
    xlsx.Limit.CELLS: gettext_lazy(
        "This spreadsheet has more cells than a sample file can (the limit is %(limit)s cells)."
    ),
    xlsx.Limit.SECONDS: gettext_lazy(
        "Checking this file took longer than a sample may take (the limit is %(limit)s seconds)."
    ),
    xlsx.Limit.ITEM_BYTES: gettext_lazy(
        "A line or a cell of this spreadsheet holds far more than a sample's lines do (the limit "
        "is %(limit)s for one line)."
    ),
}

CANNOT_OPEN_XLSX = gettext_lazy(
    "This Excel file cannot be opened. Save it again in Excel as .xlsx and upload it."
)
UNPACKS_TOO_LARGE = gettext_lazy(
    "This Excel file unpacks to far more data than a real spreadsheet does, so it cannot be "
    "checked. Save the sample again from Excel, or as a CSV file, and upload it."
)
NOT_UTF8 = gettext_lazy(
    "Line %(line)d is not saved as UTF-8 text. In Excel, save the file as “CSV UTF-8 (comma "
    "delimited)” and upload it again."
)


class UnreadableFile(Exception):
    """The file cannot be read as a CSV or Excel sample; ``message`` says what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Line(NamedTuple):
    """One line of the file: its number as the applicant sees it, and its values as text."""

    number: int
    values: list[str]


@dataclass(frozen=True)
class ReadLimits:
    """What reading one sample may take (from settings), with the moment it must end by."""

    seconds: int
    workbook: xlsx.Limits

    @classmethod
    def from_settings(cls) -> "ReadLimits":
        """The limits of a read starting now."""
        seconds = settings.SAMPLE_CHECK_MAX_SECONDS
        return cls(
            seconds=seconds,
            workbook=xlsx.Limits(
                shared_strings=settings.SAMPLE_XLSX_MAX_SHARED_STRINGS,
                text_characters=settings.SAMPLE_XLSX_MAX_TEXT_CHARACTERS,
                cells=settings.SAMPLE_XLSX_MAX_CELLS,
                deadline=time.monotonic() + seconds,
            ),
        )

    def past(self, limit: xlsx.Limit) -> "UnreadableFile":
        """The refusal of a file that passed ``limit``, saying what to send instead."""
        allowed = {
            xlsx.Limit.TEXT_CHARACTERS: number_format(
                self.workbook.text_characters, force_grouping=True
            ),
            xlsx.Limit.SHARED_STRINGS: number_format(
                self.workbook.shared_strings, force_grouping=True
            ),
            xlsx.Limit.CELLS: number_format(self.workbook.cells, force_grouping=True),
            xlsx.Limit.SECONDS: number_format(self.seconds, force_grouping=True),
            xlsx.Limit.ITEM_BYTES: filesizeformat(xlsx.MAX_ITEM_BYTES),
        }[limit]
        said = str(PAST_LIMIT[limit]) % {"limit": allowed}
        advice = str(SEND_FEWER_LINES) % {
            "lines": number_format(SUGGESTED_LINES, force_grouping=True)
        }
        return UnreadableFile(f"{said} {advice}")

    def check_time(self) -> None:
        if time.monotonic() > self.workbook.deadline:
            raise self.past(xlsx.Limit.SECONDS)


def file_format_of(upload: Any) -> str:
    """``csv`` or ``xlsx``, judged from the content; anything else is refused with a reason."""
    upload.seek(0)
    if not upload.read(1):
        raise UnreadableFile(_("The file is empty. Choose your sample file and upload it again."))
    try:
        content_type = sniff_content_type(upload)
    except ValidationError as error:  # a "zip bomb", refused by the upload checks
        raise UnreadableFile(str(UNPACKS_TOO_LARGE)) from error
    except (zlib.error, EOFError) as error:  # a damaged compressed part the sniffing let through
        raise UnreadableFile(str(CANNOT_OPEN_XLSX)) from error
    if content_type == CSV:
        return "csv"
    if content_type == XLSX:
        return "xlsx"
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if content_type is None and b"," in head and b"\x00" not in head:
        raise UnreadableFile(str(NOT_UTF8) % {"line": 1})
    what = str(DESCRIBED_TYPES.get(content_type or "", _("not a CSV or Excel file")))
    raise UnreadableFile(
        _(
            "This file is %(what)s. Upload the sample as a CSV file (comma-separated, saved as "
            "“CSV UTF-8” in Excel) or as an Excel workbook (.xlsx)."
        )
        % {"what": what}
    )


def read_lines(upload: Any, file_format: str, limits: ReadLimits | None = None) -> Iterator[Line]:
    """The non-blank lines of the file, heading line first.

    Reading stops with ``UnreadableFile`` past any of ``limits`` (by default the settings',
    the time counted from the first line asked for).
    """
    limits = limits or ReadLimits.from_settings()
    upload.seek(0)
    if file_format == "xlsx":
        yield from _xlsx_lines(upload, limits)
    else:
        yield from _csv_lines(upload, limits)


def _delimiter(upload: IO[bytes]) -> str:
    """Comma, unless the heading line is plainly separated by tabs or pipes."""
    heading = upload.read(4096).split(b"\n", 1)[0]
    upload.seek(0)
    counts = {delimiter: heading.count(delimiter.encode()) for delimiter in (",", "\t", "|")}
    return max(counts, key=lambda delimiter: counts[delimiter]) if any(counts.values()) else ","


# What the "surrogateescape" error handler makes of bytes that are not UTF-8.
UNDECODABLE = re.compile("[\udc80-\udcff]")


class _NotUtf8(Exception):
    """A line of the file holds bytes that are not UTF-8."""


def _csv_lines(upload: IO[bytes], limits: ReadLimits) -> Iterator[Line]:
    delimiter = _delimiter(upload)
    # Decoded in C, a chunk at a time; bytes that are not UTF-8 are let through and looked for
    # line by line, so that the message names the line holding them (a strict decoder fails on
    # the whole chunk, lines ahead of the one being read).
    text = io.TextIOWrapper(upload, encoding="utf-8-sig", errors="surrogateescape", newline="")
    reader = csv.reader(_utf8_only(text), delimiter=delimiter)
    previous_end = 0
    try:
        for values in reader:
            limits.check_time()
            number = previous_end + 1
            previous_end = reader.line_num
            if any(map(str.strip, values)):
                yield Line(number, values)
    except _NotUtf8 as error:
        raise UnreadableFile(str(NOT_UTF8) % {"line": previous_end + 1}) from error
    except csv.Error as error:
        raise UnreadableFile(
            _(
                "Line %(line)d cannot be read as CSV (a quote is probably not closed). Open the "
                "file in Excel, save it as CSV again and upload it."
            )
            % {"line": previous_end + 1}
        ) from error
    finally:
        text.detach()  # the upload stays open: closing it is its owner's business


def _utf8_only(text: Iterable[str]) -> Iterator[str]:
    """The lines of ``text``, stopping with ``_NotUtf8`` at the first that was not UTF-8."""
    for line in text:
        if not line.isascii() and UNDECODABLE.search(line):
            raise _NotUtf8
        yield line


def _xlsx_lines(upload: IO[bytes], limits: ReadLimits) -> Iterator[Line]:
    try:
        for number, row in xlsx.rows(upload, limits.workbook):
            # Most cells hold text: it is stripped here, the rest converted by _cell_text.
            values = [value.strip() if type(value) is str else _cell_text(value) for value in row]
            if any(values):
                yield Line(number, values)
    except xlsx.LimitExceeded as error:
        raise limits.past(error.limit) from error
    except xlsx.NotAWorkbook as error:
        raise UnreadableFile(str(CANNOT_OPEN_XLSX)) from error


def _cell_text(value: object) -> str:
    """A cell's value as the text a CSV export of it would hold."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
