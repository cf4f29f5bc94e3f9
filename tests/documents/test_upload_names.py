"""A file is kept and handed out under a name whose ending says what its content is: each kind
of file has its accepted endings, Office files with macros are refused, and CSV must be a table."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documents.models import Document, WelcomePacketItem
from documents.services import document_upload, packet_deliver, packet_publish
from documents.validators import CSV, JPEG, OFFICE_TYPES, PDF, PNG, check_upload, served_name
from onboarding.models import ApplicationStep
from tests.documents.office_files import (
    EXCEL_PLAIN,
    MB,
    VBA,
    WORKBOOK,
    office_file,
    office_package,
)
from tests.factories import PDF as PDF_CONTENT
from tests.factories import WelcomePacketFactory

DOCX, XLSX = OFFICE_TYPES["word/"], OFFICE_TYPES["xl/"]
PNG_CONTENT = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 16
JPEG_CONTENT = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 16
CSV_CONTENT = b"member_id,county,capacity\n1001,los_angeles,120\n"
TSV_CONTENT = b"member_id\tcounty\tcapacity\n1001\tlos_angeles\t120\n"


def checked(name: str, content: bytes) -> str:
    """The name an upload is kept under, or the messages the person is told (one, or several
    joined, which the tests below would notice)."""
    try:
        return check_upload(SimpleUploadedFile(name, content)).display_name
    except ValidationError as error:
        return " | ".join(error.messages)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("letter.pdf", PDF_CONTENT),
        ("LETTER.PDF", PDF_CONTENT),
        ("chart.png", PNG_CONTENT),
        ("photo.jpg", JPEG_CONTENT),
        ("photo.jpeg", JPEG_CONTENT),
        ("report.docx", office_file("docx", 20_000)),
        ("capacity.xlsx", office_file("xlsx", 20_000)),
        ("roster.csv", CSV_CONTENT),
        ("roster.txt", TSV_CONTENT),
        ("roster.tsv", TSV_CONTENT),
    ],
)
def test_each_kind_of_file_is_kept_under_its_accepted_endings(name, content):
    assert checked(name, content) == name


@pytest.mark.parametrize(
    ("name", "content", "told"),
    [
        ("letter.docx", PDF_CONTENT, "This file is a PDF, so its name must end in .pdf."),
        ("chart.jpg", PNG_CONTENT, "This file is a PNG image, so its name must end in .png."),
        ("photo.png", JPEG_CONTENT, "a JPEG image, so its name must end in .jpg or .jpeg."),
        ("report.xlsx", office_file("docx", 20_000), "a Word document, so its name must end in"),
        ("capacity.csv", office_file("xlsx", 20_000), "an Excel workbook, so its name must end"),
        ("roster.pdf", CSV_CONTENT, "a CSV table, so its name must end in .csv, .tsv or .txt."),
    ],
)
def test_a_name_ending_for_another_kind_of_file_is_refused(name, content, told):
    assert told in checked(name, content)


@pytest.mark.parametrize(
    ("name", "content", "kept"),
    [
        ("Capacity roster", CSV_CONTENT, "Capacity roster.csv"),
        ("scan", PDF_CONTENT, "scan.pdf"),
        ("photo", JPEG_CONTENT, "photo.jpg"),
        ("..pdf", PDF_CONTENT, "pdf.pdf"),
    ],
)
def test_a_name_without_an_ending_is_given_the_ending_of_its_content(name, content, kept):
    assert checked(name, content) == kept


@pytest.mark.parametrize(
    ("name", "told"),
    [
        ("evil.url", "Files ending in .url cannot be uploaded."),
        ("evil.URL ", "Files ending in .url cannot be uploaded."),
        ("desktop.scf", "Files ending in .scf cannot be uploaded."),
        ("tool.py", "Files ending in .py cannot be uploaded."),
        ("budget.xls", "Files ending in .xls cannot be uploaded."),
        ("roster.csv.lnk", "Files ending in .lnk cannot be uploaded."),
    ],
)
def test_an_ending_no_accepted_kind_has_is_refused_before_the_content_is_read(name, told):
    message = checked(name, CSV_CONTENT)

    assert message.startswith(told)
    assert "PDF, PNG, JPEG, Word (.docx), Excel (.xlsx) or CSV" in message


@pytest.mark.parametrize(
    ("name", "told"),
    [
        ("capacity.xlsm", "Save it as an Excel workbook (.xlsx) without macros"),
        ("capacity.xlsb", "Save it as an Excel workbook (.xlsx) without macros"),
        ("tools.xlam", "Save it as an Excel workbook (.xlsx) without macros"),
        ("budget.xltm", "Save it as an Excel workbook (.xlsx) without macros"),
        ("report.docm", "Save it as a Word document (.docx) without macros"),
        ("letter.dotm", "Save it as a Word document (.docx) without macros"),
    ],
)
def test_a_macro_enabled_ending_is_refused_saying_how_to_save_without_macros(name, told):
    message = checked(name, office_package(WORKBOOK, EXCEL_PLAIN))

    assert message.startswith("Files with macros cannot be uploaded.")
    assert told in message


@pytest.mark.parametrize(
    ("name", "parts", "told"),
    [
        (
            "capacity.xlsx",
            {"xl/workbook.xml": b"<workbook/>", "xl/vbaProject.bin": VBA},
            "an Excel workbook (.xlsx)",
        ),
        (
            "capacity.xlsx",
            {"xl/workbook.xml": b"<workbook/>", "xl/embeddings/VBAPROJECT.BIN": VBA},
            "an Excel workbook (.xlsx)",
        ),
        (
            "capacity.xlsx",
            {"xl/workbook.xml": b"<workbook/>", "xl/macrosheets/sheet1.xml": b"<xm:macrosheet/>"},
            "an Excel workbook (.xlsx)",
        ),
        (
            "report.docx",
            {"word/document.xml": b"<w:document/>", "word/vbaProject.bin": VBA},
            "a Word document (.docx)",
        ),
    ],
)
def test_an_office_file_carrying_macros_is_refused_whatever_its_name(name, parts, told):
    message = checked(name, office_package(parts, EXCEL_PLAIN))

    assert message == (
        f"Files with macros cannot be uploaded. Save it as {told} without macros and try again."
    )


def test_an_office_file_declaring_a_macro_enabled_type_is_refused():
    content = office_package(
        {"word/document.xml": b"<w:document/>"},
        "application/vnd.ms-word.document.macroEnabled.main+xml",
    )

    assert checked("report.docx", content).startswith("Files with macros cannot be uploaded.")


@pytest.mark.parametrize(
    "content",
    [
        b"name,county\nAna\n",
        b"name,county\nAna,los_angeles\nBen,orange,extra\n",
        b'"only one field, quoted"\nAna\n',
        b"function f(a, b) {\n  return a + b;\n}\n",
    ],
)
def test_text_that_is_not_laid_out_as_a_table_is_refused(content):
    assert "is not laid out as a table" in checked("roster.csv", content)


@pytest.mark.parametrize(
    "content",
    [
        b"\xef\xbb\xbfname,county\r\nAna,los_angeles\r\n\r\nBen,orange\r\n",
        b'name,notes\nAna,"two lines,\nwith a comma"\nBen,\n',
        b"name,county\n" + b"Ana,los_angeles\n" * 200_000,
    ],
)
def test_a_table_with_a_byte_order_mark_blank_lines_quoted_breaks_or_many_lines_is_kept(content):
    assert checked("roster.csv", content) == "roster.csv"


def test_a_real_workbook_with_much_shared_text_is_kept():
    """The limit on how far one part may unpack refuses repeated text, not a big real list."""
    places = ["Los Angeles", "Orange", "Riverside", "San Bernardino", "Ventura", "Kern"]
    strings = "".join(
        f"<si><t>Member {n * 7919 % 1_000_003:07d}, {places[n * 31 % 6]} clinic {n % 977}</t></si>"
        for n in range(200_000)
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/sharedStrings.xml", f"<sst>{strings}</sst>")
    assert zipfile.ZipFile(buffer).getinfo("xl/sharedStrings.xml").file_size > 5 * MB

    assert checked("capacity.xlsx", buffer.getvalue()) == "capacity.xlsx"


@pytest.mark.parametrize(
    ("name", "content_type", "served"),
    [
        ("evil.url", CSV, "evil.csv"),
        ("js.pdf", CSV, "js.csv"),
        ("roster.TXT", CSV, "roster.TXT"),
        ("macro.xlsb", XLSX, "macro.xlsx"),
        ("report", DOCX, "report.docx"),
        ("chart.png", PNG, "chart.png"),
        ("photo.jfif", JPEG, "photo.jpg"),
        ("../../index.html", PDF, "index.pdf"),
    ],
)
def test_served_name_always_ends_as_its_recognised_content(name, content_type, served):
    assert served_name(name, content_type) == served


@pytest.mark.django_db
def test_an_accepted_upload_is_kept_and_downloaded_under_the_ending_of_its_content(
    application, authorized_official, media_root, client
):
    client.force_login(authorized_official)
    upload = SimpleUploadedFile("Capacity roster", CSV_CONTENT, content_type="text/html")

    client.post(
        reverse("onboarding:document_upload", args=[application.pk, "entity"]),
        {"requirement": "Other supporting document", "file": upload},
    )
    document = Document.objects.get()
    response = client.get(reverse("documents:download", args=[document.pk]))

    assert (document.original_name, document.content_type) == ("Capacity roster.csv", CSV)
    assert response["Content-Type"] == CSV
    assert response["Content-Disposition"] == 'attachment; filename="Capacity roster.csv"'
    assert b"".join(response.streaming_content) == CSV_CONTENT


@pytest.mark.django_db
def test_a_document_kept_under_another_ending_is_downloaded_as_what_it_is(
    application, authorized_official, media_root, client
):
    """A file stored before endings were checked still never reaches anyone as a shortcut."""
    document = Document(
        application=application, step_kind=ApplicationStep.Kind.ENTITY, requirement="Roster",
        uploaded_by=authorized_official, original_name="evil.url", content_type=CSV,
        size=len(CSV_CONTENT), sha256="0" * 64,
    )  # fmt: skip
    document.file.save("evil.url", ContentFile(CSV_CONTENT), save=False)
    document.save()
    client.force_login(authorized_official)

    response = client.get(reverse("documents:download", args=[document.pk]))

    assert response["Content-Disposition"] == 'attachment; filename="evil.csv"'
    assert response["Content-Type"] == CSV


@pytest.mark.django_db
def test_welcome_packet_documents_are_downloaded_as_what_they_are(
    application, authorized_official, media_root, client
):
    packet = WelcomePacketFactory.create()
    item = WelcomePacketItem(
        packet=packet, title="Provider manual", original_name="manual.html", content_type=PDF,
        size=len(PDF_CONTENT), sha256="0" * 64,
    )  # fmt: skip
    item.file.save("manual.html", ContentFile(PDF_CONTENT), save=False)
    item.save()
    packet_publish(packet=packet)
    delivery = packet_deliver(application=application)
    client.force_login(authorized_official)

    single = client.get(reverse("documents:packet_item_download", args=[delivery.pk, item.pk]))
    whole = client.get(reverse("documents:packet_zip", args=[delivery.pk]))

    assert single["Content-Disposition"] == 'attachment; filename="manual.pdf"'
    names = zipfile.ZipFile(io.BytesIO(b"".join(whole.streaming_content))).namelist()
    assert names[1:] == ["01 manual.pdf"]


@pytest.mark.django_db
def test_the_stored_object_records_the_recognised_type_not_the_one_the_browser_sent(
    application, authorized_official, moto_storage
):
    upload = SimpleUploadedFile("roster.csv", CSV_CONTENT, content_type="text/html")

    document = document_upload(
        application=application, step_kind=ApplicationStep.Kind.ATTESTATIONS,
        user=authorized_official, upload=upload, requirement="Roster",
    )  # fmt: skip

    head = moto_storage.client.head_object(Bucket=moto_storage.name, Key=document.file.name)
    assert head["ContentType"] == CSV
