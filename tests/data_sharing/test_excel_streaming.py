"""An Excel sheet is read a row at a time as the worksheet part streams in: each row is read once
it is complete, however the part's chunks fall, and whatever else the sheet holds between rows."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from data_exchange import xlsx
from data_exchange.readers import read_lines

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"


def workbook(worksheet: str, *, date1904: bool = False) -> SimpleUploadedFile:
    """A workbook whose first sheet is ``worksheet`` (the whole part, root element included),
    with one date style (index 1) and no shared strings."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
            f'<workbookPr date1904="{int(date1904)}"/>'
            '<sheets><sheet name="RTF" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{PACKAGE}">'
            f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" '
            'Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{RELATIONSHIPS}/styles" Target="styles.xml"/>'
            "</Relationships>",
        )
        archive.writestr(
            "xl/styles.xml",
            f'<styleSheet xmlns="{MAIN}"><cellXfs><xf numFmtId="0"/><xf numFmtId="14"/>'
            "</cellXfs></styleSheet>",
        )
        archive.writestr("xl/worksheets/sheet1.xml", worksheet)
    return SimpleUploadedFile("sample.xlsx", out.getvalue())


def sheet(rows: str) -> str:
    return f'<worksheet xmlns="{MAIN}"><sheetData>{rows}</sheetData></worksheet>'


def lines_of(upload: SimpleUploadedFile) -> list[tuple[int, list[str]]]:
    return [(line.number, line.values) for line in read_lines(upload, "xlsx")]


def inline(reference: str, text: str) -> str:
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


def test_every_row_of_a_sheet_many_chunks_long_is_read_once_in_order():
    count = 4_000
    rows = "".join(
        f'<row r="{n}">{inline(f"A{n}", f"9{n:07d}A")}<c r="B{n}"><v>{n}</v></c></row>'
        for n in range(1, count + 1)
    )
    worksheet = sheet(rows)
    assert len(worksheet) > 5 * xlsx.CHUNK_BYTES

    assert lines_of(workbook(worksheet)) == [
        (n, [f"9{n:07d}A", str(n)]) for n in range(1, count + 1)
    ]


def test_a_row_longer_than_a_chunk_is_read_whole():
    texts = [f"Member note {n:05d} " + "x" * 200 for n in range(600)]
    cells = "".join(inline(f"A{n}", text) for n, text in enumerate(texts, start=1))
    long_row = f'<row r="2">{cells}</row>'
    assert len(long_row) > 2 * xlsx.CHUNK_BYTES

    upload = workbook(sheet(f'<row r="1">{inline("A1", "Note")}</row>{long_row}'))

    assert lines_of(upload) == [(1, ["Note"]), (2, texts)]


def test_the_last_row_is_read_when_the_part_ends_right_after_it():
    upload = workbook(sheet(f'<row r="1">{inline("A1", "Only")}</row>'))

    assert lines_of(upload) == [(1, ["Only"])]


def test_comments_and_processing_instructions_between_rows_and_cells_are_not_lines():
    rows = (
        "<!-- written by hand -->"
        f'<row r="1">{inline("A1", "CIN")}<!-- a note -->{inline("B1", "Name")}</row>'
        "<?tool keep?>"
        f'<row r="2">{inline("A2", "90000001A")}<?tool keep?>{inline("B2", "Sample")}</row>'
        "<!-- the end -->"
    )

    assert lines_of(workbook(sheet(rows))) == [
        (1, ["CIN", "Name"]),
        (2, ["90000001A", "Sample"]),
    ]


def test_a_sheet_whose_tags_carry_a_namespace_prefix_reads_the_same():
    worksheet = (
        f'<x:worksheet xmlns:x="{MAIN}"><x:sheetData>'
        '<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>CIN</x:t></x:is></x:c>'
        '<x:c r="C1" t="inlineStr"><x:is><x:r><x:t>Enrollment </x:t></x:r><x:r><x:t>date</x:t>'
        "</x:r></x:is></x:c></x:row>"
        '<x:row r="2"><x:c r="A2" t="inlineStr"><x:is><x:t>90000001A</x:t></x:is></x:c>'
        '<x:c r="C2" s="1"><x:f>B2</x:f><x:v>45853</x:v></x:c></x:row>'
        "</x:sheetData></x:worksheet>"
    )

    assert lines_of(workbook(worksheet)) == [
        (1, ["CIN", "", "Enrollment date"]),
        (2, ["90000001A", "", "2025-07-15"]),
    ]


def test_a_sheet_without_rows_has_no_lines():
    assert lines_of(workbook(f'<worksheet xmlns="{MAIN}"><sheetData/></worksheet>')) == []
    assert lines_of(workbook(f'<worksheet xmlns="{MAIN}"/>')) == []


def test_the_same_serial_number_is_a_date_only_in_a_date_style_and_by_the_workbooks_epoch():
    rows = '<row r="1"><c r="A1" s="1"><v>45853</v></c><c r="B1"><v>45853</v></c></row>'

    assert lines_of(workbook(sheet(rows))) == [(1, ["2025-07-15", "45853"])]
    assert lines_of(workbook(sheet(rows), date1904=True)) == [(1, ["2029-07-16", "45853"])]
