"""Streaming the first worksheet of an Excel workbook, one row at a time.

openpyxl's read-only mode parses with the standard library's ElementTree and took minutes for
a 50,000-line sample; python-calamine is fast but holds the whole sheet in memory (about 30 times
the file's size). This reader parses the sheet with lxml, in C, and keeps one row at a time, so
memory stays flat however long the file is. Only the shared-string table (the workbook's distinct
texts) and the list of date styles are held; the upload check has already refused a workbook
that unpacks to an absurd size. openpyxl still supplies the rules it knows best:
which number formats are dates, and how Excel serial numbers become dates.
"""

import posixpath
import zipfile
from collections.abc import Iterator
from typing import IO

from lxml import etree
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, from_excel

RELATIONSHIP_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


class NotAWorkbook(Exception):
    """The zip is not a workbook this reader can follow (a part is missing or malformed)."""


def rows(upload: IO[bytes]) -> Iterator[tuple[int, list[object]]]:
    """``(row number, cell values)`` for each row of the first worksheet that has a cell.

    Values are what a reader of the sheet sees: text, int, float, bool, and dates or datetimes
    for numbers in a date format. Gaps between cells are filled with ``None``.
    """
    try:
        with zipfile.ZipFile(upload) as archive:
            yield from _Workbook(archive).rows()
    except (
        zipfile.BadZipFile,
        KeyError,
        IndexError,
        ValueError,
        OSError,
        etree.XMLSyntaxError,
    ) as error:
        raise NotAWorkbook(str(error)) from error


def _parse(
    archive: zipfile.ZipFile, name: str, tag: str | tuple[str, ...]
) -> Iterator[etree._Element]:
    with archive.open(name) as part:
        for _event, element in etree.iterparse(
            part,
            events=("end",),
            tag=tag,
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
        ):
            yield element
            element.clear(keep_tail=True)
            while element.getprevious() is not None:
                del element.getparent()[0]


def _text(element: etree._Element) -> str:
    """The text of a shared or inline string, without its phonetic (``rPh``) runs."""
    return "".join(
        t.text or "" for t in element.iter("{*}t") if etree.QName(t.getparent()).localname != "rPh"
    )


class _Workbook:
    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        targets = self._relationship_targets()
        self.date1904 = False
        first_sheet_id = None
        for element in _parse(archive, "xl/workbook.xml", "{*}*"):
            name = etree.QName(element).localname
            if name == "workbookPr":
                self.date1904 = element.get("date1904", "0").lower() in ("1", "true")
            elif name == "sheet" and first_sheet_id is None:
                first_sheet_id = element.get(RELATIONSHIP_ID)
        if first_sheet_id not in targets:
            raise KeyError("The workbook names no worksheet.")
        self.sheet = targets[first_sheet_id][1]
        parts = dict(targets.values())
        self.strings = self._shared_strings(parts.get("sharedStrings"))
        self.date_styles = self._date_styles(parts.get("styles"))

    def _relationship_targets(self) -> dict[str, tuple[str, str]]:
        """Relationship id → (kind, path inside the zip), for the workbook's parts."""
        targets = {}
        for element in _parse(self.archive, "xl/_rels/workbook.xml.rels", "{*}Relationship"):
            target = element.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            kind = element.get("Type", "").rsplit("/", 1)[-1]
            targets[element.get("Id", "")] = (kind, posixpath.normpath(path))
        return targets

    def _shared_strings(self, path: str | None) -> list[str]:
        strings: list[str] = []
        if path is None:
            return strings
        for element in _parse(self.archive, path, "{*}si"):
            strings.append(_text(element))
        return strings

    def _date_styles(self, path: str | None) -> frozenset[int]:
        """Indexes of the cell styles whose number format shows a date or time."""
        if path is None:
            return frozenset()
        formats: dict[int, str] = dict(BUILTIN_FORMATS)
        style_formats: list[int] = []
        for element in _parse(self.archive, path, ("{*}numFmt", "{*}cellXfs")):
            if etree.QName(element).localname == "numFmt":
                formats[int(element.get("numFmtId", "0"))] = element.get("formatCode", "")
            else:
                style_formats = [int(xf.get("numFmtId", "0")) for xf in element.iter("{*}xf")]
        return frozenset(
            index
            for index, format_id in enumerate(style_formats)
            if is_date_format(formats.get(format_id, ""))
        )

    def rows(self) -> Iterator[tuple[int, list[object]]]:
        epoch = MAC_EPOCH if self.date1904 else WINDOWS_EPOCH
        number = 0
        tags: _Tags | None = None
        for row in _parse(self.archive, self.sheet, "{*}row"):
            tags = tags or _Tags(row.tag)
            number = int(row.get("r") or number + 1)
            cells = [cell for cell in row if cell.tag == tags.cell]
            if cells and _column(cells[-1], len(cells)) == len(cells):  # no gaps: the usual case
                values = [self._value(cell, tags, epoch) for cell in cells]
            else:
                values = []
                for cell in cells:
                    values.extend([None] * (_column(cell, len(values) + 1) - 1 - len(values)))
                    values.append(self._value(cell, tags, epoch))
            if values:
                yield number, values

    def _value(self, cell: etree._Element, tags: "_Tags", epoch: object) -> object:
        kind = cell.get("t", "n")
        child = cell[0] if len(cell) else None  # <v> or <is>, first unless a formula precedes
        if child is not None and child.tag == tags.formula:
            child = cell[1] if len(cell) > 1 else None
        if child is None:
            return None
        if kind == "inlineStr":
            plain = child[0] if len(child) == 1 else None
            if plain is not None and plain.tag == tags.text:
                return plain.text or ""
            return _text(child)  # rich text: runs of formatting
        raw = child.text
        if not raw:
            return None
        if kind == "s":
            return self.strings[int(raw)]
        if kind == "b":
            return raw == "1"
        if kind != "n":  # formula text ("str"), error ("e"), ISO date ("d")
            return raw
        number: int | float = float(raw) if any(c in raw for c in ".eE") else int(raw)
        if int(cell.get("s", "0")) in self.date_styles:
            return from_excel(number, epoch)
        return number


def _column(cell: etree._Element, default: int) -> int:
    """The cell's column number (A is 1) from its reference such as ``C7``."""
    reference = cell.get("r")
    return column_index_from_string(reference.rstrip("0123456789")) if reference else default


class _Tags:
    """The sheet's qualified tag names, so that each cell is matched without wildcards."""

    def __init__(self, row_tag: str) -> None:
        namespace = row_tag[: row_tag.index("}") + 1] if row_tag.startswith("{") else ""
        self.cell = f"{namespace}c"
        self.formula = f"{namespace}f"
        self.text = f"{namespace}t"
