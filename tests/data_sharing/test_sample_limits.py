"""What one sample check may take in: text, shared strings, cells, row size and time."""

import os
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from data_exchange import xlsx
from data_exchange.readers import UnreadableFile, file_format_of, read_lines
from data_exchange.services import sample_file_check
from tests.data_sharing.samples import as_csv, as_xlsx, handmade_xlsx, sample_rows, specification
from tests.factories import VALID_NPI, VALID_TIN

FEWER_LINES = (
    "A sample needs only a few hundred lines: save one with at most 1,000 lines and upload it."
)


def inflated_shared_strings(count: int = 400_000) -> bytes:
    """About 47 MB of shared strings in a zip of about 1 MB: within the upload checks' limits
    on unpacked size (it unpacks to about 40 times its size, where they refuse 100)."""
    strings = b"".join(
        b"<si><t>Member note %07d %s</t></si>" % (n, b"lorem ipsum dolor sit amet " * 3)
        for n in range(count)
    )
    return handmade_xlsx(
        sheet=b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>', shared_strings=strings
    )


def refusal(content: bytes) -> str:
    upload = SimpleUploadedFile("sample.xlsx", content)
    with pytest.raises(UnreadableFile) as refused:
        list(read_lines(upload, file_format_of(upload)))
    return refused.value.message


def test_inflated_shared_strings_are_refused_before_they_are_in_memory(settings):
    content = inflated_shared_strings()
    assert len(content) < 2 * 1024 * 1024
    settings.SAMPLE_XLSX_MAX_TEXT_CHARACTERS = 1_000_000
    upload = SimpleUploadedFile("sample.xlsx", content)
    file_format = file_format_of(upload)

    tracemalloc.start()
    try:
        with pytest.raises(UnreadableFile) as refused:
            list(read_lines(upload, file_format))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert refused.value.message == (
        "This spreadsheet holds more text than a sample file can (the limit is 1,000,000 "
        f"characters). {FEWER_LINES}"
    )
    assert peak < 8 * 1024 * 1024  # the strings part unpacks to 47 MB


@pytest.mark.django_db
def test_the_inflated_workbook_gets_a_report_saying_so_with_the_default_limits(
    entity_filled, authorized_official
):
    report = sample_file_check(
        application=entity_filled,
        user=authorized_official,
        kind="rtf",
        upload=SimpleUploadedFile("inflated.xlsx", inflated_shared_strings()),
    )

    assert not report.passed
    assert [problem.message for problem in report.problems.all()] == [
        "This spreadsheet holds more text than a sample file can (the limit is 10,000,000 "
        f"characters). {FEWER_LINES}"
    ]


def test_too_many_shared_strings_are_refused(settings):
    settings.SAMPLE_XLSX_MAX_SHARED_STRINGS = 10
    strings = b"".join(b"<si><t>Text %d</t></si>" % n for n in range(11))

    message = refusal(handmade_xlsx(sheet=b"", shared_strings=strings))

    assert message == (
        "This spreadsheet holds more different pieces of text than a sample file can (the limit "
        f"is 10). {FEWER_LINES}"
    )


@pytest.mark.django_db
def test_a_workbook_past_the_cell_limit_is_refused(settings):
    settings.SAMPLE_XLSX_MAX_CELLS = 50
    rows = sample_rows(specification("rtf"), 5, npi=VALID_NPI, tin=VALID_TIN)
    assert sum(map(len, rows)) > 50

    message = refusal(as_xlsx(rows))  # type: ignore[arg-type]

    assert message == (
        f"This spreadsheet has more cells than a sample file can (the limit is 50 cells). "
        f"{FEWER_LINES}"
    )


def test_gaps_between_cells_count_as_cells(settings):
    settings.SAMPLE_XLSX_MAX_CELLS = 1_000
    sheet = b"".join(b'<row r="%d"><c r="ZZ%d"><v>1</v></c></row>' % (n, n) for n in range(1, 3))

    assert "more cells" in refusal(handmade_xlsx(sheet=sheet))


def test_one_giant_row_is_refused_before_it_is_built(monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_ITEM_BYTES", 256 * 1024)
    cells = b"".join(
        b'<c t="inlineStr"><is><t>%s</t></is></c>' % os.urandom(50).hex().encode()
        for _ in range(20_000)
    )

    message = refusal(handmade_xlsx(sheet=b'<row r="1">' + cells + b"</row>"))

    assert message.startswith(
        "A line or a cell of this spreadsheet holds far more than a sample's lines do (the limit "
        "is 256.0\xa0KB for one line)."
    )


def test_a_row_holding_more_text_than_allowed_is_refused(settings):
    settings.SAMPLE_XLSX_MAX_TEXT_CHARACTERS = 1_000
    cells = b"".join(b'<c t="inlineStr"><is><t>%s</t></is></c>' % (b"x" * 100) for _ in range(11))

    message = refusal(handmade_xlsx(sheet=b'<row r="1">' + cells + b"</row>"))

    assert message.startswith("This spreadsheet holds more text than a sample file can")


@pytest.mark.django_db
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_check_past_its_time_limit_stops_with_a_report_saying_so(
    entity_filled, authorized_official, settings, file_format
):
    settings.SAMPLE_CHECK_MAX_SECONDS = 0  # the deadline has passed when the first line is read
    rows = sample_rows(specification("rtf"), 3, npi=VALID_NPI, tin=VALID_TIN)
    content = as_csv(rows) if file_format == "csv" else as_xlsx(rows)  # type: ignore[arg-type]

    report = sample_file_check(
        application=entity_filled,
        user=authorized_official,
        kind="rtf",
        upload=SimpleUploadedFile(f"sample.{file_format}", content),
    )

    assert [problem.message for problem in report.problems.all()] == [
        "Checking this file took longer than a sample may take (the limit is 0 seconds). "
        f"{FEWER_LINES}"
    ]
