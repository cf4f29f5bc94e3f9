"""Reading a sample file line by line, whether CSV or Excel, without holding it in memory."""

import codecs
import csv
import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from documents.validators import CSV, JPEG, OFFICE_TYPES, PDF, PNG, sniff_content_type
from onboarding.data_exchange import xlsx

XLSX = OFFICE_TYPES["xl/"]
DESCRIBED_TYPES = {
    PDF: gettext_lazy("a PDF document"),
    PNG: gettext_lazy("an image"),
    JPEG: gettext_lazy("an image"),
    OFFICE_TYPES["word/"]: gettext_lazy("a Word document"),
}


NOT_UTF8 = gettext_lazy(
    "Line %(line)d is not saved as UTF-8 text. In Excel, save the file as “CSV UTF-8 (comma "
    "delimited)” and upload it again."
)


class UnreadableFile(Exception):
    """The file cannot be read as a CSV or Excel sample; ``message`` says what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Line:
    """One line of the file: its number as the applicant sees it, and its values as text."""

    number: int
    values: list[str]


def file_format_of(upload: Any) -> str:
    """``csv`` or ``xlsx``, judged from the content; anything else is refused with a reason."""
    upload.seek(0)
    if not upload.read(1):
        raise UnreadableFile(_("The file is empty. Choose your sample file and upload it again."))
    content_type = sniff_content_type(upload)
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


def read_lines(upload: Any, file_format: str) -> Iterator[Line]:
    """The non-blank lines of the file, heading line first."""
    upload.seek(0)
    if file_format == "xlsx":
        yield from _xlsx_lines(upload)
    else:
        yield from _csv_lines(upload)


def _delimiter(upload: IO[bytes]) -> str:
    """Comma, unless the heading line is plainly separated by tabs or pipes."""
    heading = upload.read(4096).split(b"\n", 1)[0]
    upload.seek(0)
    counts = {delimiter: heading.count(delimiter.encode()) for delimiter in (",", "\t", "|")}
    return max(counts, key=lambda delimiter: counts[delimiter]) if any(counts.values()) else ","


def _csv_lines(upload: IO[bytes]) -> Iterator[Line]:
    delimiter = _delimiter(upload)
    text = codecs.getreader("utf-8-sig")(upload)
    reader = csv.reader(text, delimiter=delimiter)
    previous_end = 0
    try:
        for values in reader:
            number = previous_end + 1
            previous_end = reader.line_num
            if any(value.strip() for value in values):
                yield Line(number, values)
    except UnicodeDecodeError as error:
        raise UnreadableFile(str(NOT_UTF8) % {"line": previous_end + 1}) from error
    except csv.Error as error:
        raise UnreadableFile(
            _(
                "Line %(line)d cannot be read as CSV (a quote is probably not closed). Open the "
                "file in Excel, save it as CSV again and upload it."
            )
            % {"line": previous_end + 1}
        ) from error


def _xlsx_lines(upload: IO[bytes]) -> Iterator[Line]:
    try:
        for number, row in xlsx.rows(upload):
            values = [_cell_text(value) for value in row]
            if any(values):
                yield Line(number, values)
    except xlsx.NotAWorkbook as error:
        raise UnreadableFile(
            _("This Excel file cannot be opened. Save it again in Excel as .xlsx and upload it.")
        ) from error


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
