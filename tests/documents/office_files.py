"""Office files built for the upload tests: plain, carrying macros, or unpacking to far more
than they weigh."""

import io
import os
import zipfile

MB = 1024 * 1024
VBA = b"\xcc\x61" + b'Attribute VB_Name = "ThisWorkbook"\r\nSub Workbook_Open()' * 20
EXCEL_MACRO = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
EXCEL_BINARY = "application/vnd.ms-excel.sheet.binary.macroEnabled.main"
EXCEL_ADDIN = "application/vnd.ms-excel.addin.macroEnabled.main+xml"
EXCEL_MACRO_TEMPLATE = "application/vnd.ms-excel.template.macroEnabled.main+xml"
EXCEL_PLAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
WORD_MACRO = "application/vnd.ms-word.document.macroEnabled.main+xml"
WORKBOOK = {"xl/workbook.xml": b"<workbook/>", "xl/vbaProject.bin": VBA}


def office_file(kind: str, payload_bytes: int) -> bytes:
    """A minimal DOCX or XLSX whose main part holds ``payload_bytes`` of compressible data."""
    part = "word/document.xml" if kind == "docx" else "xl/workbook.xml"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with archive.open(part, "w", force_zip64=True) as member:
            chunk = b"\x00" * MB
            for _ in range(payload_bytes // MB):
                member.write(chunk)
            member.write(b"\x00" * (payload_bytes % MB))
    return buffer.getvalue()


def office_package(parts: dict[str, bytes], main_type: str) -> bytes:
    """An Office package of ``parts`` whose [Content_Types].xml gives the first part (the
    workbook or document) the type ``main_type``."""
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Override PartName="/{next(iter(parts))}" ContentType="{main_type}"/></Types>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def shared_strings_bomb(padding_bytes: int) -> bytes:
    """An XLSX of under a megabyte whose shared strings unpack to 60 MB of one repeated cell
    text. ``padding_bytes`` of random "image" keep the whole file's ratio under the limit."""
    cell = b"<si><t>Los Angeles County ECM provider roster entry</t></si>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", '<worksheet><c t="s"><v>0</v></c></worksheet>')
        if padding_bytes:
            archive.writestr("xl/media/image1.png", os.urandom(padding_bytes), zipfile.ZIP_STORED)
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as member:
            member.write(b'<sst count="1100000" uniqueCount="1">')
            for _ in range(60):
                member.write(cell * (MB // len(cell)))
            member.write(b"</sst>")
    content = buffer.getvalue()
    assert len(content) < MB
    return content
