"""Reading an Excel sample the way a person sees it in Excel, one row at a time."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from data_exchange.readers import UnreadableFile, read_lines


def saved(workbook: Workbook) -> SimpleUploadedFile:
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile("sample.xlsx", out.getvalue())


def lines_of(upload: SimpleUploadedFile) -> list[tuple[int, list[str]]]:
    return [(line.number, line.values) for line in read_lines(upload, "xlsx")]


def test_texts_numbers_flags_and_dates_read_as_their_csv_export_would():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["CIN", "NPI", "Date", "Stamp", "Successful", "Minutes"])
    sheet.append(
        [
            "90000001A",
            1234567893,
            datetime.date(2025, 7, 15),
            datetime.datetime(2025, 7, 15, 9, 30),
            True,
            2.5,
        ]
    )

    assert lines_of(saved(workbook)) == [
        (1, ["CIN", "NPI", "Date", "Stamp", "Successful", "Minutes"]),
        (2, ["90000001A", "1234567893", "2025-07-15", "2025-07-15T09:30:00", "Y", "2.5"]),
    ]


def test_empty_cells_keep_their_column_and_blank_rows_keep_the_line_numbers():
    workbook = Workbook()
    sheet = workbook.active
    sheet["A1"], sheet["B1"], sheet["C1"] = "CIN", "Name", "County"
    sheet["A2"], sheet["C2"] = "90000001A", "Los Angeles"
    sheet["B5"] = "Only a name"

    assert lines_of(saved(workbook)) == [
        (1, ["CIN", "Name", "County"]),
        (2, ["90000001A", "", "Los Angeles"]),
        (5, ["", "Only a name"]),
    ]


def test_a_workbook_dated_from_1904_reads_the_same_dates():
    workbook = Workbook()
    workbook.epoch = datetime.datetime(1904, 1, 1)
    workbook.active.append([datetime.date(2025, 7, 15)])

    assert lines_of(saved(workbook)) == [(1, ["2025-07-15"])]


def test_formatted_text_reads_as_its_plain_text():
    workbook = Workbook()
    workbook.active["A1"] = CellRichText(["Member ", TextBlock(InlineFont(b=True), "Name")])

    assert lines_of(saved(workbook)) == [(1, ["Member Name"])]


def test_only_the_first_sheet_is_read():
    workbook = Workbook()
    workbook.active.append(["First sheet"])
    workbook.create_sheet("Notes").append(["Second sheet"])

    assert lines_of(saved(workbook)) == [(1, ["First sheet"])]


def test_a_zip_that_is_not_a_workbook_asks_for_the_file_to_be_saved_again():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<worksheet/>")

    with pytest.raises(UnreadableFile) as refused:
        lines_of(SimpleUploadedFile("sample.xlsx", out.getvalue()))

    assert refused.value.message == (
        "This Excel file cannot be opened. Save it again in Excel as .xlsx and upload it."
    )


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"


def saved_by_excel(cells: str, shared: list[str]) -> SimpleUploadedFile:
    """A workbook laid out as Excel writes one: texts in the shared-string table, dates as
    numbers in a date style (openpyxl writes texts inline, so it cannot stand in for Excel)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><workbookPr/>'
            '<sheets><sheet name="RTF" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{PACKAGE}">'
            f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" '
            'Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{RELATIONSHIPS}/sharedStrings" '
            'Target="sharedStrings.xml"/>'
            f'<Relationship Id="rId3" Type="{RELATIONSHIPS}/styles" Target="styles.xml"/>'
            "</Relationships>",
        )
        archive.writestr(
            "xl/sharedStrings.xml",
            f'<sst xmlns="{MAIN}">' + "".join(f"<si>{text}</si>" for text in shared) + "</sst>",
        )
        archive.writestr(
            "xl/styles.xml",
            f'<styleSheet xmlns="{MAIN}"><numFmts><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
            '</numFmts><cellXfs><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/>'
            "</cellXfs></styleSheet>",
        )
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            f'<worksheet xmlns="{MAIN}"><sheetData>{cells}</sheetData></worksheet>',
        )
    return SimpleUploadedFile("sample.xlsx", out.getvalue())


def test_a_workbook_saved_by_excel_reads_its_shared_texts_and_dated_numbers():
    upload = saved_by_excel(
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        '<c r="C1" t="s"><v>2</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>3</v></c><c r="B2" s="1"><v>45853</v></c>'
        '<c r="C2" s="2"><v>45853</v></c></row>',
        shared=[
            "<t>CIN</t>",
            "<t>Outreach date</t>",
            "<r><t>Enrollment </t></r><r><rPr><b/></rPr><t>date</t></r>",
            "<t>90000001A</t><rPh><t>phonetic reading, not part of the text</t></rPh>",
        ],
    )

    assert lines_of(upload) == [
        (1, ["CIN", "Outreach date", "Enrollment date"]),
        (2, ["90000001A", "2025-07-15", "2025-07-15"]),
    ]


def test_a_cell_pointing_past_the_shared_texts_is_a_damaged_file_not_a_crash():
    upload = saved_by_excel('<row r="1"><c r="A1" t="s"><v>99</v></c></row>', ["<t>CIN</t>"])

    with pytest.raises(UnreadableFile):
        lines_of(upload)
