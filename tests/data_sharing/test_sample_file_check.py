"""The check of a sample RTF or OTF: each rule, reported by line and column, CSV and Excel."""

import datetime
import io
import os
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile

from data_exchange.models import SampleFileReport
from data_exchange.services import sample_file_check, specification_make_current
from data_exchange.validation import MAX_LISTED_PROBLEMS
from onboarding.models import Application
from portal.models import User
from tests.data_sharing.samples import as_csv, as_xlsx, sample_rows, specification, write_csv
from tests.factories import PDF, VALID_NPI, VALID_TIN

pytestmark = pytest.mark.django_db

RTF_CIN = "Member Client Index Number (CIN)"


def check(
    application: Application, user: User, kind: str, content: bytes, name: str = "sample.csv"
) -> SampleFileReport:
    return sample_file_check(
        application=application,
        user=user,
        kind=kind,
        upload=SimpleUploadedFile(name, content),
    )


def rows_of(kind: str, version: str | None = None, count: int = 3) -> list[list[str]]:
    return sample_rows(specification(kind, version), count, npi=VALID_NPI, tin=VALID_TIN)


def messages(report: SampleFileReport) -> list[str]:
    return [problem.message for problem in report.problems.all()]


def set_value(rows: list[list[str]], line: int, column: str, value: str) -> None:
    """Put ``value`` in ``column`` on file line ``line`` (line 1 is the heading line)."""
    rows[line - 1][rows[0].index(column)] = value


@pytest.mark.parametrize(
    ("kind", "version", "file_format"),
    [
        ("rtf", "2022", "csv"),
        ("rtf", "2022", "xlsx"),
        ("rtf", "2025-07", "csv"),
        ("rtf", "2025-07", "xlsx"),
        ("otf", "2022", "csv"),
        ("otf", "2022", "xlsx"),
    ],
)
def test_a_valid_sample_of_each_kind_and_version_passes(
    entity_filled, authorized_official, kind, version, file_format
):
    specification_make_current(specification=specification(kind, version))
    rows = rows_of(kind, version, count=5)
    content = as_csv(rows) if file_format == "csv" else as_xlsx(rows)  # type: ignore[arg-type]

    report = check(entity_filled, authorized_official, kind, content, f"sample.{file_format}")

    assert messages(report) == []
    assert report.passed
    assert report.line_count == 5
    assert report.file_format == file_format
    assert report.specification.version == version


def test_excel_dates_numbers_and_flags_stored_as_cell_types_pass(
    entity_filled, authorized_official
):
    rows: list[list[object]] = rows_of("otf")  # type: ignore[assignment]
    headings = rows[0]
    for row in rows[1:]:
        row[headings.index("Date of Outreach Attempt")] = datetime.datetime(2025, 7, 15)
        row[headings.index("ECM Provider NPI")] = int(VALID_NPI)
        row[headings.index("Time Spent Performing Outreach")] = 30
        row[headings.index("Outreach Attempt Successful")] = True

    report = check(entity_filled, authorized_official, "otf", as_xlsx(rows), "otf.xlsx")

    assert messages(report) == []


def test_a_missing_column_is_named(entity_filled, authorized_official):
    rows = rows_of("rtf")
    at = rows[0].index("Member Homelessness Indicator")
    for row in rows:
        del row[at]

    report = check(entity_filled, authorized_official, "rtf", as_csv(rows))

    assert not report.passed
    assert messages(report) == [
        "Column “Member Homelessness Indicator” is missing. The RTF (version 2025-07) template "
        "needs it in the heading line."
    ]
    assert report.problems.get().line == 1


def test_an_extra_column_is_named_with_the_heading_it_probably_meant(
    entity_filled, authorized_official
):
    rows = rows_of("otf")
    rows[0].append("Favourite colour")
    for row in rows[1:]:
        row.append("blue")
    rows[0][rows[0].index("Client Name")] = "Client Nme"

    report = check(entity_filled, authorized_official, "otf", as_csv(rows))

    assert messages(report) == [
        "Column “Client Nme” is not in the OTF (version 2022) template. Remove it or correct its "
        "heading. Did you mean “Client Name”?",
        "Column “Favourite colour” is not in the OTF (version 2022) template. Remove it or correct "
        "its heading.",
        "Column “Client Name” is missing. The OTF (version 2022) template needs it in the heading "
        "line.",
    ]


def test_a_2022_rtf_no_longer_passes_once_the_july_2025_version_is_current(
    entity_filled, authorized_official
):
    report = check(entity_filled, authorized_official, "rtf", as_csv(rows_of("rtf", "2022")))

    assert report.specification.version == "2025-07"
    assert {problem.column for problem in report.problems.all()} == {
        "Referral Status",
        "Date of Referral Status Update",
        "Reason for Referral Loop Closure",
    }


def test_a_bad_date_is_reported_by_line_and_column_with_its_value(
    entity_filled, authorized_official
):
    rows = rows_of("rtf")
    set_value(rows, 3, "ECM Enrollment Start Date", "31/07/2025")

    report = check(entity_filled, authorized_official, "rtf", as_csv(rows))

    problem = report.problems.get()
    assert (problem.line, problem.column) == (3, "ECM Enrollment Start Date")
    assert problem.message == (
        "Line 3, column ECM Enrollment Start Date: “31/07/2025” is not a date we can read; "
        "write dates as MM/DD/YYYY (07/31/2025), YYYY-MM-DD (2025-07-31) or YYYYMMDD (20250731)."
    )


def test_a_bad_cin_is_reported_without_repeating_the_member_identifier(
    entity_filled, authorized_official
):
    rows = rows_of("rtf")
    set_value(rows, 4, RTF_CIN, "8765432")

    report = check(entity_filled, authorized_official, "rtf", as_csv(rows))

    assert messages(report) == [
        f"Line 4, column {RTF_CIN}: the value should be 8 digits followed by a letter, like "
        "91234567A (this value has 7 characters)."
    ]
    assert "8765432" not in str(list(report.problems.values()))


def test_bad_flags_codes_numbers_and_required_values(entity_filled, authorized_official):
    rows = rows_of("rtf")
    set_value(rows, 2, "Member POF Indicator", "Maybe")
    set_value(rows, 2, "Member POF", "10z")
    set_value(rows, 2, "In Person", "three")
    set_value(rows, 2, "ECM Lead Care Manager Name", " ")
    set_value(rows, 2, "Zip", "9001")

    report = check(entity_filled, authorized_official, "rtf", as_csv(rows))

    assert messages(report) == [
        "Line 2, column Zip: “9001” should be a 5-digit ZIP code, like 90012 (or ZIP+4, like "
        "90012-3456).",
        "Line 2, column Member POF Indicator: “Maybe” should be Y or N (yes or no).",
        "Line 2, column Member POF: “10z” is not one of the allowed codes: 1a, 1b, 2a, 2b, 3a, "
        "3b, 4a, 4b, 5, 6, 7, 8, 9a, 9b.",
        "Line 2, column ECM Lead Care Manager Name: this value is required, but it is empty.",
        "Line 2, column In Person: “three” should be a whole number, like 30.",
    ]


def test_an_npi_that_is_not_the_applications_is_reported(entity_filled, authorized_official):
    rows = rows_of("otf")
    set_value(rows, 2, "ECM Provider NPI", "1245319599")

    report = check(entity_filled, authorized_official, "otf", as_csv(rows))

    assert messages(report) == [
        "Line 2, column ECM Provider NPI: “1245319599” is not your organization's NPI "
        f"({VALID_NPI}, as entered in Entity verification)."
    ]


def test_a_tin_that_is_not_the_applications_is_reported(entity_filled, authorized_official):
    rows = rows_of("rtf")
    set_value(rows, 3, "ECM Provider TIN", "98-7654321")

    report = check(entity_filled, authorized_official, "rtf", as_csv(rows))

    assert messages(report) == [
        "Line 3, column ECM Provider TIN: “98-7654321” does not match your organization's TIN "
        "(the one ending 6789, as entered in Entity verification)."
    ]


def test_an_npi_with_a_wrong_check_digit_is_reported(entity_filled, authorized_official):
    rows = rows_of("otf")
    set_value(rows, 2, "ECM Provider NPI", "1234567890")

    report = check(entity_filled, authorized_official, "otf", as_csv(rows))

    assert messages(report) == [
        "Line 2, column ECM Provider NPI: “1234567890” is not a valid NPI: its last digit does "
        "not match. Check for a typing mistake."
    ]


def test_without_an_npi_in_the_entity_step_the_file_cannot_be_compared(
    application, authorized_official
):
    report = check(application, authorized_official, "otf", as_csv(rows_of("otf")))

    assert messages(report) == [
        "Enter your organization's NPI in Entity verification first, so that the NPI in the file "
        "can be compared with it.",
        "Enter your organization's TIN in Entity verification first, so that the TIN in the file "
        "can be compared with it.",
    ]


def test_an_empty_file_is_refused_with_a_report(entity_filled, authorized_official):
    report = check(entity_filled, authorized_official, "rtf", b"")

    assert messages(report) == ["The file is empty. Choose your sample file and upload it again."]
    assert not report.passed


def test_a_heading_line_without_data_does_not_pass(entity_filled, authorized_official):
    report = check(entity_filled, authorized_official, "otf", as_csv(rows_of("otf", count=0)))

    assert messages(report) == [
        "The file has a heading line but no lines of data. Add at least one sample line "
        "(made-up member data is fine)."
    ]


@pytest.mark.parametrize(
    ("content", "name", "what"),
    [
        (PDF, "rtf.csv", "a PDF document"),
        (b"\x00\x01\x02binary", "rtf.csv", "not a CSV or Excel file"),
        (b"PK\x03\x04 not really a zip", "rtf.xlsx", "not a CSV or Excel file"),
    ],
)
def test_a_file_of_the_wrong_type_is_refused_whatever_its_name(
    entity_filled, authorized_official, content, name, what
):
    report = check(entity_filled, authorized_official, "rtf", content, name)

    assert messages(report) == [
        f"This file is {what}. Upload the sample as a CSV file (comma-separated, saved as "
        "“CSV UTF-8” in Excel) or as an Excel workbook (.xlsx)."
    ]


@pytest.mark.parametrize("line", [3, 40])
def test_a_csv_not_saved_as_utf8_says_how_to_save_it(entity_filled, authorized_official, line):
    rows = rows_of("otf", count=50)
    set_value(rows, line, "Provider Type", "Café")
    content = as_csv(rows).decode().encode("cp1252")

    report = check(entity_filled, authorized_official, "otf", content)

    assert len(messages(report)) == 1
    assert (
        "is not saved as UTF-8 text. In Excel, save the file as “CSV UTF-8" in messages(report)[0]
    )


def test_headings_match_regardless_of_case_spacing_and_byte_order_mark(
    entity_filled, authorized_official
):
    rows = rows_of("otf")
    rows[0] = [f"  {heading.upper()} " for heading in rows[0]]

    report = check(entity_filled, authorized_official, "otf", b"\xef\xbb\xbf" + as_csv(rows))

    assert messages(report) == []


def test_a_tab_separated_export_is_read_as_well(entity_filled, authorized_official):
    content = "\n".join("\t".join(row) for row in rows_of("otf")).encode()

    report = check(entity_filled, authorized_official, "otf", content, "otf.txt")

    assert messages(report) == []


def test_a_file_full_of_problems_lists_the_first_ones_and_counts_them_all(
    entity_filled, authorized_official
):
    rows = rows_of("otf", count=300)
    for line in range(2, 302):
        set_value(rows, line, "Date of Outreach Attempt", "soon")

    report = check(entity_filled, authorized_official, "otf", as_csv(rows))

    assert report.problem_count == 300
    assert report.problems.count() == MAX_LISTED_PROBLEMS
    assert report.problems_not_listed == 100


def test_a_50000_line_file_is_checked_in_one_pass(entity_filled, authorized_official):
    """No timing asserted here: bench/data_exchange.py prints time and peak memory."""
    spec = specification("rtf")
    upload = TemporaryUploadedFile("big.csv", "text/csv", 0, "utf-8")
    raw: Any = upload.file
    text = io.TextIOWrapper(raw, encoding="utf-8", newline="", write_through=True)
    write_csv([[column.name for column in spec.columns.all()]], text)
    write_csv(sample_rows(spec, 50_000, npi=VALID_NPI, tin=VALID_TIN)[1:], text)
    text.detach()
    upload.size = raw.tell()
    upload.seek(0)
    path = upload.temporary_file_path()

    report = sample_file_check(
        application=entity_filled, user=authorized_official, kind="rtf", upload=upload
    )

    assert report.passed, messages(report)
    assert report.line_count == 50_000
    assert not os.path.exists(path)
