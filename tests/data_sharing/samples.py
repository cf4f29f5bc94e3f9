"""Generated sample RTF and OTF files: valid lines for any specification, as CSV or Excel."""

import csv
import io
import zipfile
from collections.abc import Iterator
from typing import IO

from openpyxl import Workbook

from data_exchange.models import FileSpecification
from data_exchange.specs import ColumnFormat

F = ColumnFormat
VALID_BY_FORMAT = {
    F.TEXT: "Sample",
    F.DATE: "07/15/2025",
    F.YES_NO: "Y",
    F.ZIP: "90012",
    F.PHONE: "(213) 555-0100",
    F.EMAIL: "lcm@sunrise.example",
    F.WHOLE_NUMBER: "2",
}


def specification(kind: str, version: str | None = None) -> FileSpecification:
    """The seeded specification of ``kind``: the given version, or the current one."""
    rows = FileSpecification.objects.filter(kind=kind)
    return rows.get(version=version) if version else rows.get(is_current=True)


def headings(spec: FileSpecification) -> list[str]:
    return [column.name for column in spec.columns.all()]


def valid_lines(spec: FileSpecification, count: int, *, npi: str, tin: str) -> Iterator[list[str]]:
    """``count`` lines of made-up members that meet every rule of ``spec``."""
    columns = list(spec.columns.all())
    tin = "".join(ch for ch in tin if ch.isdigit())
    for n in range(count):
        values = []
        for column in columns:
            if column.format == F.CIN:
                values.append(f"{90000000 + n % 10_000_000:08d}A")
            elif column.format == F.NPI:
                values.append(npi)
            elif column.format == F.TIN:
                values.append(f"{tin[:2]}-{tin[2:]}")
            elif column.format == F.CODE:
                values.append(column.code_list[n % len(column.code_list)])
            else:
                values.append(VALID_BY_FORMAT[ColumnFormat(column.format)])
        yield values


def sample_rows(spec: FileSpecification, count: int = 3, *, npi: str, tin: str) -> list[list[str]]:
    """The heading line and ``count`` valid lines, to change before writing them out."""
    return [headings(spec), *valid_lines(spec, count, npi=npi, tin=tin)]


def write_csv(rows: object, out: IO[str]) -> None:
    writer = csv.writer(out)
    for row in rows:  # type: ignore[attr-defined]
        writer.writerow(row)


def as_csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    write_csv(rows, out)
    return out.getvalue().encode()


def as_xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("RTF")
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def handmade_xlsx(*, sheet: bytes, shared_strings: bytes | None = None) -> bytes:
    """A minimal workbook around the given worksheet and shared-string parts (the XML between
    their root tags), for files no spreadsheet program would write."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    kinds = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": (
            b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            b'content-types"/>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{main}" xmlns:r="{relationships}"><sheets>'
            '<sheet name="RTF" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ).encode(),
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{kinds}/worksheet" Target="worksheets/sheet1.xml"/>'
            + (
                f'<Relationship Id="rId2" Type="{kinds}/sharedStrings" Target="sharedStrings.xml"/>'
                if shared_strings is not None
                else ""
            )
            + "</Relationships>"
        ).encode(),
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{main}"><sheetData>'.encode() + sheet + b"</sheetData></worksheet>"
        ),
    }
    if shared_strings is not None:
        parts["xl/sharedStrings.xml"] = (
            f'<sst xmlns="{main}">'.encode() + shared_strings + b"</sst>"
        )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()
