"""Reading an Excel sample the way a person sees it in Excel, one row at a time."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from onboarding.data_exchange.readers import UnreadableFile, read_lines


def saved(workbook: Workbook) -> SimpleUploadedFile:
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile("sample.xlsx", out.getvalue())


def lines_of(upload: SimpleUploadedFile) -> list[tuple[int, list[str]]]:
    return [(line.number, line.values) for line in read_lines(upload, "xlsx")]


def test_texts_numbers_flags_and_dates_read_as_their_csv_export_would():
    workbook = Workbook()  # a regular workbook keeps its texts in the shared-string table
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
