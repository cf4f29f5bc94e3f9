"""Streaming the first worksheet of an Excel workbook, one row at a time.

openpyxl's read-only mode parses with the standard library's ElementTree and took minutes for
a 50,000-line sample. python-calamine (Rust) read it in a third of the time this reader took but
holds the whole sheet in memory before handing over the first row (its ``iter_rows`` walks the
sheet already loaded: +215 MB resident for the 6.5 MB sample, 33 times its size), and so could
not stop at a limit midway either. This reader parses the sheet with lxml, in C, and keeps one
row at a time, so memory stays flat however long the file is. Only the shared-string table (the
workbook's distinct texts) and the list of date styles are held.

The 50,000-line sample's sheet is 112 MB of XML, six million elements. Reading it takes about
2 s of CPU on an idle machine (it took 2.6 s): 1.3 s for libxml2 to parse it, build each row's
elements and free them, and the rest to read the cells. What was cut, and why:

- lxml is asked for one event, the start of ``sheetData``, and the rows are taken from it
  between chunks, as they complete. Asked for the end of each row instead, lxml also stops at
  the end of every element of the sheet, taking the GIL back, to see whether it is a row: half
  of its stops, 0.2 s.
- Each row's cells are let go of before the row is freed: lxml gives every element still held
  in Python its own copy of the namespace declarations when it is unlinked, which took an
  eighth of the reading time while the previous row's cells were still held.
- A cell is read with as few lxml calls as its content allows (each makes a Python object of
  an element, or a string); the two commonest, an inline text and a ``<v>``, in one loop.

Measured and left: the standard library's C ElementTree (expat) takes four times as long as
lxml to build the same elements (1.4 s against 0.35 s for the first 10,000 rows, before reading
a cell), and calling Python from expat at each element's start alone takes longer than lxml's
whole parse (2.2 s against 1.6 s); regular expressions over the text take 1.7 s for the cells
alone. Inflating the sheet takes 0.06 s, so a second thread for it saves nothing; and lxml takes
the GIL back at every element it reports, so a parse in a second thread would fight the cell
reading for it six million times (a parse reporting nothing hands over no row before its end).

The upload check has already refused a workbook that unpacks to an absurd size, but one within
that size can still hold hundreds of megabytes of text in a few kilobytes of zip. So what a read
takes in is counted as the parts are parsed (``Limits``: shared strings, characters of text,
cells, seconds; and the size of any one row or string), and reading stops with
``LimitExceeded`` the moment one is passed, never after the text is in memory. openpyxl still
supplies the rules it knows best: which number formats are dates, and how Excel serial numbers
become dates.
"""

import datetime
import enum
import functools
import posixpath
import time
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from lxml import etree
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, from_excel

RELATIONSHIP_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
# The workbook, relationship and style parts are read whole into small tables; real ones are a
# few kilobytes (a heavily styled workbook's styles a megabyte or two). Larger is not a sample.
MAX_SMALL_PART_BYTES = 10 * 1024 * 1024
# lxml builds each element whole before handing it on: a row (or a shared string) is held until
# it ends. A real one is a few kilobytes, so this much XML without one ending is refused.
MAX_ITEM_BYTES = 8 * 1024 * 1024
CHUNK_BYTES = 64 * 1024


class NotAWorkbook(Exception):
    """The zip is not a workbook this reader can follow (a part is missing or malformed)."""


class Limit(enum.Enum):
    SHARED_STRINGS = "shared strings"
    TEXT_CHARACTERS = "text characters"
    CELLS = "cells"
    SECONDS = "seconds"
    ITEM_BYTES = "bytes of one row or string"


class LimitExceeded(Exception):
    """The workbook holds, or takes, more than ``Limits`` allow; reading stopped there."""

    def __init__(self, limit: Limit) -> None:
        super().__init__(limit.value)
        self.limit = limit


@dataclass(frozen=True)
class Limits:
    """What one read may take in.

    ``shared_strings`` and ``text_characters`` bound the text held at once (the shared-string
    table, plus the current row's own text); ``cells`` the cells read, gaps included, which
    bounds the work; ``deadline`` (a ``time.monotonic()`` value) the time.
    """

    shared_strings: int
    text_characters: int
    cells: int
    deadline: float

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise LimitExceeded(Limit.SECONDS)


NO_LIMITS = Limits(shared_strings=2**63, text_characters=2**63, cells=2**63, deadline=float("inf"))


def rows(upload: IO[bytes], limits: Limits = NO_LIMITS) -> Iterator[tuple[int, list[object]]]:
    """``(row number, cell values)`` for each row of the first worksheet that has a cell.

    Values are what a reader of the sheet sees: text, int, float, bool, and dates or datetimes
    for numbers in a date format. Gaps between cells are filled with ``None``. Past any of
    ``limits`` this raises ``LimitExceeded`` at once.
    """
    try:
        with zipfile.ZipFile(upload) as archive:
            yield from _Workbook(archive, limits).rows()
    except etree.XMLSyntaxError as error:
        if error.code == etree.ErrorTypes.ERR_RESOURCE_LIMIT:
            # libxml2's own bounds (a text node over 10 MB, absurd nesting): one giant item.
            raise LimitExceeded(Limit.ITEM_BYTES) from error
        raise NotAWorkbook(str(error)) from error
    except (
        zipfile.BadZipFile,
        zlib.error,  # a damaged compressed part
        EOFError,  # a truncated compressed part
        KeyError,
        IndexError,
        ValueError,
        OSError,
    ) as error:
        raise NotAWorkbook(str(error)) from error


def _parse(
    archive: zipfile.ZipFile, name: str, tag: str | tuple[str, ...], limits: Limits
) -> Iterator[etree._Element]:
    """Each ``tag`` element of the part as it ends; it is cleared once the caller moves on.

    The part is fed to the parser a chunk at a time so that between chunks the time, and the
    bytes read since an element last ended, can be checked: neither a slow part nor one giant
    element (which lxml would build whole) gets past ``limits`` and ``MAX_ITEM_BYTES``.
    """
    parser = etree.XMLPullParser(
        events=("end",), tag=tag, resolve_entities=False, no_network=True, load_dtd=False
    )
    with archive.open(name) as part:
        pending = 0
        while chunk := part.read(CHUNK_BYTES):
            parser.feed(chunk)
            pending += len(chunk)
            for _event, element in parser.read_events():
                pending = 0
                yield element
                element.clear(keep_tail=True)
                while element.getprevious() is not None:
                    del element.getparent()[0]
            if pending > MAX_ITEM_BYTES:
                raise LimitExceeded(Limit.ITEM_BYTES)
            limits.check_time()
        parser.close()
        for _event, element in parser.read_events():
            yield element


def _sheet_rows(archive: zipfile.ZipFile, name: str, limits: Limits) -> Iterator[etree._Element]:
    """Each row of the worksheet's ``sheetData`` once it is complete; it is freed once the
    caller moves on.

    Asked for the end of each row, lxml would also stop at the end of every element of the part
    (six million in the 50,000-line sample), taking the GIL back, to see whether it is a row;
    asked only for the start of ``sheetData``, it reports once. After each chunk every row of it
    but the last, which may still be coming, is complete. The limits are checked between chunks
    as in ``_parse``: a row not complete ``MAX_ITEM_BYTES`` after the last one is refused.
    """
    parser = etree.XMLPullParser(
        events=("start",),
        tag="{*}sheetData",
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
    )
    sheet_data = None
    with archive.open(name) as part:
        pending = 0
        while chunk := part.read(CHUNK_BYTES):
            parser.feed(chunk)
            pending += len(chunk)
            sheet_data = _first_start(parser, sheet_data)
            if sheet_data is not None and len(sheet_data) > 1:
                pending = 0
                yield from _complete_rows(sheet_data, len(sheet_data) - 1)
            if pending > MAX_ITEM_BYTES:
                raise LimitExceeded(Limit.ITEM_BYTES)
            limits.check_time()
        parser.close()
        sheet_data = _first_start(parser, sheet_data)
        if sheet_data is not None:
            yield from _complete_rows(sheet_data, len(sheet_data))


def _first_start(
    parser: etree.XMLPullParser, found: etree._Element | None
) -> etree._Element | None:
    """``found``, or the first element whose start ``parser`` has reported since."""
    for _event, element in parser.read_events():
        found = element if found is None else found
    return found


def _complete_rows(sheet_data: etree._Element, count: int) -> Iterator[etree._Element]:
    """The first ``count`` children of ``sheet_data`` that are rows (not comments), each
    removed, and its cells freed, once the caller moves on."""
    row_tag = sheet_data.tag[: -len("sheetData")] + "row"
    for _ in range(count):
        child = sheet_data[0]
        if child.tag == row_tag:
            yield child
        child.clear()
        del sheet_data[0]


def _text(element: etree._Element) -> str:
    """The text of a shared or inline string, without its phonetic (``rPh``) runs."""
    return "".join(
        t.text or "" for t in element.iter("{*}t") if etree.QName(t.getparent()).localname != "rPh"
    )


class _Workbook:
    def __init__(self, archive: zipfile.ZipFile, limits: Limits) -> None:
        self.archive = archive
        self.limits = limits
        targets = self._relationship_targets()
        self.date1904 = False
        first_sheet_id = None
        for element in _parse(archive, _small("xl/workbook.xml", archive), "{*}*", limits):
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
        self.text_characters = sum(map(len, self.strings))
        self.row_text = 0  # characters of the current row's own (not shared) text
        self.date_styles = self._date_styles(parts.get("styles"))

    def _relationship_targets(self) -> dict[str, tuple[str, str]]:
        """Relationship id → (kind, path inside the zip), for the workbook's parts."""
        targets = {}
        name = _small("xl/_rels/workbook.xml.rels", self.archive)
        for element in _parse(self.archive, name, "{*}Relationship", self.limits):
            target = element.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            kind = element.get("Type", "").rsplit("/", 1)[-1]
            targets[element.get("Id", "")] = (kind, posixpath.normpath(path))
        return targets

    def _shared_strings(self, path: str | None) -> list[str]:
        """The shared-string table, counted text run by text run so that reading stops as soon
        as it passes the limits, never after the whole table is in memory."""
        strings: list[str] = []
        if path is None:
            return strings
        limits = self.limits
        characters = 0
        runs: list[str] = []
        for element in _parse(self.archive, path, ("{*}si", "{*}t"), limits):
            if element.tag.endswith("si"):
                strings.append("".join(runs))
                runs = []
                if len(strings) > limits.shared_strings:
                    raise LimitExceeded(Limit.SHARED_STRINGS)
                continue
            parent = element.getparent()
            if parent is None or etree.QName(parent).localname != "rPh":  # phonetic runs: no
                text = element.text or ""
                characters += len(text)
                if characters > limits.text_characters:
                    raise LimitExceeded(Limit.TEXT_CHARACTERS)
                runs.append(text)
        return strings

    def _date_styles(self, path: str | None) -> frozenset[int]:
        """Indexes of the cell styles whose number format shows a date or time."""
        if path is None:
            return frozenset()
        formats: dict[int, str] = dict(BUILTIN_FORMATS)
        style_formats: list[int] = []
        tags = ("{*}numFmt", "{*}cellXfs")
        for element in _parse(self.archive, _small(path, self.archive), tags, self.limits):
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
        """Rows are counted (cells, gaps included, and their own text) as each one ends."""
        epoch = MAC_EPOCH if self.date1904 else WINDOWS_EPOCH
        limits = self.limits
        text_allowed = limits.text_characters - self.text_characters
        number = 0
        cells_read = 0
        tags: _Tags | None = None
        for row in _sheet_rows(self.archive, self.sheet, limits):
            tags = tags or _Tags(row.tag)
            number = int(row.get("r") or number + 1)
            values = self._row_values(row, tags, epoch)
            cells_read += len(values)
            if cells_read > limits.cells:
                raise LimitExceeded(Limit.CELLS)
            if self.row_text > text_allowed:
                raise LimitExceeded(Limit.TEXT_CHARACTERS)
            self.row_text = 0
            if values:
                yield number, values

    def _row_values(
        self, row: etree._Element, tags: "_Tags", epoch: datetime.datetime
    ) -> list[object]:
        """The values of the row's cells, each in its column.

        The cells' elements are let go of here, before the row is freed: lxml frees the elements
        of a row that nothing in Python refers to at once, but first copies the namespace
        declarations into each one that something does, in case it is used again (an eighth of
        the reading time, when the cells were still held then).
        """
        cells = list(row.iterchildren(tags.cell))
        values = self._values(cells, tags, epoch)
        if cells and _column(cells[-1], len(cells)) != len(cells):
            values = _in_their_columns(cells, values)  # gaps between cells: rare
        return values

    def _values(
        self, cells: list[etree._Element], tags: "_Tags", epoch: datetime.datetime
    ) -> list[object]:
        """What the cells hold. The two commonest kinds of cell, a text written inline
        (``<is><t>…</t></is>``, as openpyxl writes every text) and a value (``<v>``, as Excel
        writes every cell), are read here with the fewest lxml calls (each makes a Python object
        of an element, or a string); any other goes through ``_value``."""
        values: list[object] = []
        append = values.append
        strings = self.strings
        inline_text = 0
        for cell in cells:
            if len(cell):
                content = cell[0]
                inside = len(content)
                if inside == 1:
                    first = content[0]
                    if not len(first):
                        text = first.text or ""
                        inline_text += len(text)
                        append(text)
                        continue
                elif not inside and content.tag == tags.value:
                    raw = content.text
                    kind = cell.get("t")
                    if kind == "s" and raw:  # a shared string: Excel's every text
                        append(strings[int(raw)])
                    else:
                        append(self._typed(kind, raw, cell, epoch))
                    continue
            append(self._value(cell, tags, epoch))
        self.row_text += inline_text
        return values

    def _value(self, cell: etree._Element, tags: "_Tags", epoch: datetime.datetime) -> object:
        """What the cell holds: its inline text (``<is>``), or its ``<v>`` as the cell's type
        makes it; None if it has neither. A formula (``<f>``) comes first when there is one.

        Of these only ``<is>`` holds elements (its text, or runs of text), where ``<v>`` and
        ``<f>`` hold text: so they are told apart by counting what is inside, and a tag name (a
        new string each time lxml is asked for one) is read only to look for a formula.
        """
        count = len(cell)
        if not count:
            return None
        content = cell[0]
        inside = len(content)  # elements inside it
        if not inside and content.tag == tags.formula:
            if count == 1:
                return None
            content = cell[1]
            inside = len(content)
        if not inside:
            return self._typed(cell.get("t"), content.text, cell, epoch)
        first = content[0]  # one <t>, or runs of rich text (<r>), which hold elements
        text = (first.text or "") if inside == 1 and not len(first) else _text(content)
        self.row_text += len(text)
        return text

    def _typed(
        self, kind: str | None, raw: str | None, cell: etree._Element, epoch: datetime.datetime
    ) -> object:
        """The ``<v>`` text ``raw`` as what the cell's type (``kind``, its ``t``) and style
        (``s``) make it."""
        if not raw:
            return None
        if kind == "s":
            return self.strings[int(raw)]
        if kind is None or kind == "n":
            number: int | float = float(raw) if "." in raw or "e" in raw or "E" in raw else int(raw)
            if int(cell.get("s", "0")) in self.date_styles:
                return _date(number, epoch)
            return number
        if kind == "b":
            return raw == "1"
        self.row_text += len(raw)  # formula text ("str"), error ("e"), ISO date ("d")
        return raw


@functools.lru_cache(maxsize=4096)
def _date(serial: float, epoch: datetime.datetime) -> object:
    """What openpyxl makes of an Excel serial number in a date style. A sample's date columns
    repeat a few dates on many lines, and the conversion (in Python) costs more than reading the
    cell did."""
    return from_excel(serial, epoch)


def _in_their_columns(cells: list[etree._Element], values: list[object]) -> list[object]:
    """``values`` each in its cell's column, the gaps between them filled with None."""
    placed: list[object] = []
    for cell, value in zip(cells, values, strict=True):
        placed.extend([None] * (_column(cell, len(placed) + 1) - 1 - len(placed)))
        placed.append(value)
    return placed


def _small(name: str, archive: zipfile.ZipFile) -> str:
    """``name``, if its part unpacks to a size a real workbook's part has (zipfile never
    unpacks more than the size the zip declares, so the declared size can be trusted)."""
    if archive.getinfo(name).file_size > MAX_SMALL_PART_BYTES:
        raise ValueError(f"The part {name} is too large.")
    return name


def _column(cell: etree._Element, default: int) -> int:
    """The cell's column number (A is 1) from its reference such as ``C7``."""
    reference = cell.get("r")
    return column_index_from_string(reference.rstrip("0123456789")) if reference else default


class _Tags:
    """The sheet's qualified tag names, so that each cell is matched without wildcards."""

    def __init__(self, tag: str) -> None:
        namespace = tag[: tag.index("}") + 1] if tag.startswith("{") else ""
        self.cell = f"{namespace}c"
        self.formula = f"{namespace}f"
        self.value = f"{namespace}v"
