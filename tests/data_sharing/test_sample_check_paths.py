"""The faster paths of the sample check read and judge a file exactly as a line-by-line reading
would: CSV decoded a chunk at a time still names the line that is not UTF-8, lines checked a block
at a time, column by column, still report in the file's order, and Excel cells are read by what
they hold."""

import contextlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from data_exchange import validation
from data_exchange.readers import Line, UnreadableFile, read_lines
from data_exchange.validation import ColumnRule, Expected, check_lines
from tests.data_sharing.samples import handmade_xlsx


def csv_upload(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("sample.csv", content)


def lines_of(upload: SimpleUploadedFile, file_format: str = "csv") -> list[tuple[int, list[str]]]:
    return [(line.number, line.values) for line in read_lines(upload, file_format)]


def not_utf8_refusal(content: bytes) -> str:
    with pytest.raises(UnreadableFile) as refused:
        lines_of(csv_upload(content))
    return refused.value.message


def test_the_line_that_is_not_utf8_is_named_even_far_into_a_large_file():
    good = b"Sample,Y,07/15/2025\n"
    bad = "Café,Y,07/15/2025\n".encode("cp1252")
    content = b"Name,Flag,Date\n" + good * 2_999 + bad + good * 99

    assert not_utf8_refusal(content).startswith("Line 3001 is not saved as UTF-8 text.")


def test_a_line_continued_inside_quotes_is_named_by_its_first_line():
    content = b'Name,Note\nSample,"two\nlines"\nSample,"again\nthe caf\xe9"\n'

    assert not_utf8_refusal(content).startswith("Line 4 is not saved as UTF-8 text.")


def test_a_csv_with_carriage_returns_alone_ending_its_lines_is_read_line_by_line():
    content = b"Name,Flag\rSample,Y\r\rOther,N\r"

    assert lines_of(csv_upload(content)) == [
        (1, ["Name", "Flag"]),
        (2, ["Sample", "Y"]),
        (4, ["Other", "N"]),
    ]


@pytest.mark.parametrize("separator", ["\x0c", "\x85", "\u2028"], ids=["form feed", "NEL", "LS"])
def test_a_value_holding_a_unicode_line_separator_stays_on_its_line(separator):
    content = f"Name,Note\nSample,one{separator}two\nOther,three\n".encode()

    assert lines_of(csv_upload(content)) == [
        (1, ["Name", "Note"]),
        (2, ["Sample", f"one{separator}two"]),
        (3, ["Other", "three"]),
    ]


def test_utf8_text_and_the_byte_order_mark_read_as_text():
    content = "\ufeffName,Note\nJosé,“quoted” ✓\n".encode()

    assert lines_of(csv_upload(content)) == [(1, ["Name", "Note"]), (2, ["José", "“quoted” ✓"])]


@pytest.mark.parametrize(
    "content", [b"Name\nSample\n", b"Name\nSample\n\xff\n"], ids=["read", "refused"]
)
def test_reading_a_csv_leaves_the_upload_open_for_its_owner_to_close(content):
    upload = csv_upload(content)

    with contextlib.suppress(UnreadableFile):
        lines_of(upload)

    assert not upload.closed
    upload.seek(0)
    assert upload.read() == content


RULES = [
    ColumnRule("Date", "date"),
    ColumnRule("Flag", "yes_no", required=True),
    ColumnRule("CIN", "cin", member_data=True),
]


def test_problems_are_listed_in_the_files_order_across_blocks_and_columns(monkeypatch):
    monkeypatch.setattr(validation, "BLOCK_LINES", 2)
    lines = [
        Line(1, ["Date", "Flag", "CIN"]),
        Line(2, ["soon", "Y", "90000001A"]),
        Line(3, ["07/15/2025", "", "123"]),
        Line(4, ["soon", "maybe", "90000001A", "extra"]),
        Line(7, ["07/15/2025", "N"]),
        Line(8, ["", "", "", " "]),
    ]

    result = check_lines(lines, RULES, "RTF", Expected("", ""))

    not_a_date = (
        "“soon” is not a date we can read; write dates as MM/DD/YYYY (07/31/2025), YYYY-MM-DD "
        "(2025-07-31) or YYYYMMDD (20250731)."
    )
    assert [(problem.line, problem.column, problem.message) for problem in result.problems] == [
        (
            2,
            "Date",
            f"Line 2, column Date: {not_a_date}",
        ),
        (3, "Flag", "Line 3, column Flag: this value is required, but it is empty."),
        (
            3,
            "CIN",
            "Line 3, column CIN: the value should be 8 digits followed by a letter, like "
            "91234567A (this value has 3 characters).",
        ),
        (4, "", "Line 4 has more values than the heading line has columns."),
        (
            4,
            "Date",
            f"Line 4, column Date: {not_a_date}",
        ),
        (4, "Flag", "Line 4, column Flag: “maybe” should be Y or N (yes or no)."),
        (8, "Flag", "Line 8, column Flag: this value is required, but it is empty."),
    ]
    assert result.line_count == 5
    assert result.problem_count == 7


def test_a_line_shorter_than_the_heading_line_has_its_missing_values_empty():
    lines = [Line(1, ["Date", "Flag", "CIN"]), Line(2, ["07/15/2025"])]

    result = check_lines(lines, RULES, "RTF", Expected("", ""))

    assert [problem.message for problem in result.problems] == [
        "Line 2, column Flag: this value is required, but it is empty."
    ]


def test_a_repeated_bad_value_is_reported_on_every_line_it_is_on(monkeypatch):
    monkeypatch.setattr(validation, "BLOCK_LINES", 3)
    lines = [Line(1, ["Date", "Flag", "CIN"])] + [
        Line(number, ["07/15/2025", "maybe", "90000001A"]) for number in range(2, 9)
    ]

    result = check_lines(lines, RULES, "RTF", Expected("", ""))

    assert [problem.line for problem in result.problems] == list(range(2, 9))


def test_formula_cells_read_as_the_values_they_gave():
    sheet = (
        b'<row r="1"><c r="A1"><f>1+1</f><v>2</v></c>'
        b'<c r="B1" t="str"><f>A1&amp;"x"</f><v>2x</v></c>'
        b'<c r="C1"><f>A1</f></c>'
        b'<c r="D1" t="b"><v>1</v></c>'
        b'<c r="E1"><v>2.5</v></c>'
        b'<c r="F1" t="e"><v>#N/A</v></c></row>'
    )

    assert lines_of(SimpleUploadedFile("s.xlsx", handmade_xlsx(sheet=sheet)), "xlsx") == [
        (1, ["2", "2x", "", "Y", "2.5", "#N/A"])
    ]


def test_cells_without_references_and_gaps_between_cells_keep_their_columns():
    sheet = (
        b'<row r="1"><c t="inlineStr"><is><t>A</t></is></c><c t="inlineStr"><is><t>B</t></is>'
        b'</c></row><row r="2"><c r="B2" t="inlineStr"><is><t>b</t></is></c>'
        b'<c r="D2"><v>4</v></c></row>'
    )

    assert lines_of(SimpleUploadedFile("s.xlsx", handmade_xlsx(sheet=sheet)), "xlsx") == [
        (1, ["A", "B"]),
        (2, ["", "b", "", "4"]),
    ]


def test_inline_text_reads_whether_plain_in_runs_or_with_a_phonetic_reading():
    sheet = (
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>Plain</t></is></c>'
        b'<c r="B1" t="inlineStr"><is><r><rPr><b/></rPr><t>One run</t></r></is></c>'
        b'<c r="C1" t="inlineStr"><is><r><t>Two </t></r><r><t>runs</t></r></is></c>'
        b'<c r="D1" t="inlineStr"><is><t>Kanji</t><rPh sb="0" eb="1"><t>kana</t></rPh></is></c>'
        b'<c r="E1" t="inlineStr"><is><t/></is></c>'
        b'<c r="F1" t="inlineStr"><f>A1</f><is><t>After a formula</t></is></c></row>'
    )

    assert lines_of(SimpleUploadedFile("s.xlsx", handmade_xlsx(sheet=sheet)), "xlsx") == [
        (1, ["Plain", "One run", "Two runs", "Kanji", "", "After a formula"])
    ]
