"""Checks every upload passes before anything is stored."""

import csv
import hashlib
import io
import os
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Accepted kinds of file, recognised by their first bytes rather than their name.
PDF, PNG, JPEG, CSV = "application/pdf", "image/png", "image/jpeg", "text/csv"
OFFICE_TYPES = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
DOCX, XLSX = OFFICE_TYPES["word/"], OFFICE_TYPES["xl/"]
ACCEPTED_DESCRIPTION = gettext_lazy("PDF, PNG, JPEG, Word (.docx), Excel (.xlsx) or CSV")
# The endings each kind may be named with, its usual one first. The ending, not the content,
# decides what a computer does when the file is opened (follow a shortcut, run a script, run
# macros), so a file is only ever kept and handed out under one of its own kind's endings.
EXTENSIONS = {
    PDF: (".pdf",),
    PNG: (".png",),
    JPEG: (".jpg", ".jpeg"),
    DOCX: (".docx",),
    XLSX: (".xlsx",),
    CSV: (".csv", ".tsv", ".txt"),  # Excel saves tab-separated text as .txt
}
ACCEPTED_EXTENSIONS = frozenset(ending for endings in EXTENSIONS.values() for ending in endings)
KIND_NAMES = {
    PDF: gettext_lazy("a PDF"),
    PNG: gettext_lazy("a PNG image"),
    JPEG: gettext_lazy("a JPEG image"),
    DOCX: gettext_lazy("a Word document"),
    XLSX: gettext_lazy("an Excel workbook"),
    CSV: gettext_lazy("a CSV table"),
}
# Endings of Office formats made to carry macros, and what to save such a file as instead.
MACRO_EXTENSIONS = {
    ".xlsm": XLSX,
    ".xlsb": XLSX,
    ".xltm": XLSX,
    ".xlam": XLSX,
    ".xla": XLSX,
    ".xlm": XLSX,
    ".docm": DOCX,
    ".dotm": DOCX,
}
WITHOUT_MACROS = {
    XLSX: gettext_lazy("an Excel workbook (.xlsx)"),
    DOCX: gettext_lazy("a Word document (.docx)"),
}
# Office finds a VBA project or an Excel 4.0 macro sheet through the package's content types and
# relationships, whatever the part is called, so those are read as well as the part names.
MACRO_MARKERS = (b"macroenabled", b"vbaproject", b"macrosheet")
OFFICE_INDEX_MAX_BYTES = 1024 * 1024
# A genuine office document unpacks to a few times its size; a "zip bomb" to thousands of times.
OFFICE_MAX_UNPACKED_BYTES = 200 * 1024 * 1024
OFFICE_MAX_RATIO = 100
OFFICE_MAX_ENTRIES = 10_000
# Real parts (shared text, sheets, document text) pack to a few times smaller; one repeated text
# packs about a thousandfold. A large part past the ratio is refused even when incompressible
# padding elsewhere keeps the whole file under it.
OFFICE_PART_RATIO_FROM_BYTES = 1024 * 1024
# Enough lines to judge whether text is laid out as a table, in bounded time and memory.
TABLE_CHECK_BYTES = 1024 * 1024
# Readers look for the end-of-file marker near the end; anything after it is tolerated.
PDF_TRAILER_WINDOW = 1024


@dataclass(frozen=True)
class CheckedUpload:
    """An accepted upload: ``display_name`` is the name it was sent under, cleaned and ending as
    its content does (see ``served_name``); ``content_type`` is what the content was recognised
    as."""

    display_name: str
    content_type: str
    size: int
    sha256: str


def sniff_content_type(upload: UploadedFile) -> str | None:
    """The file's real type from its content, or None when it is not one we accept."""
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        return _office_type(upload)
    if head and _looks_like_text(head) and not _looks_like_markup(head):
        first_line = head.splitlines()[0] if head.strip() else b""
        return CSV if b"," in first_line or b"\t" in first_line else None
    return None


def _office_type(upload: UploadedFile) -> str | None:
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            _refuse_zip_bomb(entries, upload.size or 0)
            _unpack_within_limits(archive, entries)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError, OSError):
        return None  # damaged, encrypted or lying about its sizes: not a document we can use
    finally:
        upload.seek(0)
    names = [entry.filename for entry in entries]
    for prefix, content_type in OFFICE_TYPES.items():
        if "[Content_Types].xml" in names and any(n.startswith(prefix) for n in names):
            return content_type
    return None


def _refuse_zip_bomb(entries: list[zipfile.ZipInfo], packed_size: int) -> None:
    """Refuse an office file that would unpack to an absurd size (sizes from its directory)."""
    unpacked = sum(entry.file_size for entry in entries)
    if (
        len(entries) > OFFICE_MAX_ENTRIES
        or unpacked > OFFICE_MAX_UNPACKED_BYTES
        or unpacked > OFFICE_MAX_RATIO * max(packed_size, 1)
    ):
        raise _unpacks_too_far()


def _unpacks_too_far() -> ValidationError:
    return ValidationError(
        _(
            "This Word or Excel file unpacks to far more data than a real document does, "
            "so we cannot accept it. Please save it again from Word or Excel, or as a PDF."
        )
    )


def _unpack_within_limits(archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo]) -> None:
    """Really unpack every entry, a chunk at a time: a size the directory understates, or a
    damaged entry, fails its CRC check here (zipfile never reads past the declared size)."""
    for entry in entries:
        with archive.open(entry) as member:
            while member.read(1024 * 1024):
                pass


def _pdf_is_complete(upload: UploadedFile) -> bool:
    """A PDF ends with an end-of-file marker; a truncated or damaged one does not."""
    size = upload.size or 0
    upload.seek(max(size - PDF_TRAILER_WINDOW, 0))
    tail = upload.read(PDF_TRAILER_WINDOW)
    upload.seek(0)
    return b"%%EOF" in tail


def _looks_like_markup(head: bytes) -> bool:
    """HTML, SVG or XML renamed as CSV: a browser might run what is inside it."""
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return lowered.startswith(b"<") or any(
        tag in lowered for tag in (b"<script", b"<html", b"<svg", b"<?xml", b"<iframe")
    )


def _looks_like_text(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\x00" not in head


def display_name(name: str) -> str:
    """A safe name to show: no folders, no control characters, at most 120 characters."""
    name = unicodedata.normalize("NFKC", os.path.basename(name.replace("\\", "/")))
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '<>:"|?*')
    return name.strip(" .")[-120:] or "document"


def served_name(name: str, content_type: str) -> str:
    """``name`` made safe to show (see ``display_name``) and ending as its content is: an ending
    not of its kind is replaced by the kind's usual one, and a missing one added. A name kept
    before endings were checked is so still handed out as what the file really is."""
    name = display_name(name)
    stem, extension = os.path.splitext(name)
    endings = EXTENSIONS.get(content_type)
    if endings is None or extension.lower() in endings:
        return name
    return f"{stem}{endings[0]}"


def is_disguised_name(name: str) -> bool:
    """A name climbing out of its folder (``..``) or hiding characters, such as a right-to-left
    override (U+202E) that shows ``invoice<U+202E>fdp.exe`` as ``invoiceexe.pdf``: no real file is
    named so."""
    parts = name.replace("\\", "/").split("/")
    return ".." in parts or any(unicodedata.category(ch) in {"Cc", "Cf"} for ch in name)


def check_upload(upload: UploadedFile) -> CheckedUpload:
    """Refuse an empty, oversized, disguised, unrecognised or misnamed file, or one carrying
    macros, with a message a person can act on. Nothing has been stored when this raises."""
    if is_disguised_name(upload.name or ""):
        raise ValidationError(
            _(
                "The file name contains folder steps or hidden characters. Please rename the file "
                "using ordinary letters and numbers, and upload it again."
            )
        )
    name = display_name(upload.name or "")
    _refuse_unaccepted_ending(_extension(name))
    limit = settings.DOCUMENT_MAX_UPLOAD_BYTES
    if not upload.size:
        raise ValidationError(_("The file is empty. Please choose the right file and try again."))
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s. Please upload a smaller file.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    return _check_content(upload, name)


def too_large_message() -> str:
    """For a file whose reading was stopped at the limit (see ``documents.uploadhandlers``)."""
    return _("The file is too large; the limit is %(limit)s. Please upload a smaller file.") % {
        "limit": filesizeformat(settings.DOCUMENT_MAX_UPLOAD_BYTES)
    }


def _extension(name: str) -> str:
    return os.path.splitext(name)[1].lower()


def _refuse_unaccepted_ending(extension: str) -> None:
    """Refuse an ending no accepted kind of file has, before reading any of the content. A name
    without an ending passes: it is given its content's (see ``served_name``)."""
    if extension in MACRO_EXTENSIONS:
        raise _macros_refused(MACRO_EXTENSIONS[extension])
    if extension and extension not in ACCEPTED_EXTENSIONS:
        raise ValidationError(
            _(
                "Files ending in %(extension)s cannot be uploaded. Please upload a %(kinds)s file "
                "with its usual ending."
            )
            % {"extension": extension, "kinds": ACCEPTED_DESCRIPTION}
        )


def _macros_refused(content_type: str) -> ValidationError:
    return ValidationError(
        _("Files with macros cannot be uploaded. Save it as %(kind)s without macros and try again.")
        % {"kind": WITHOUT_MACROS[content_type]}
    )


def _check_content(upload: UploadedFile, name: str) -> CheckedUpload:
    content_type = sniff_content_type(upload)
    if content_type is None:
        raise ValidationError(
            _("We could not recognise this file. Please upload a %(kinds)s file.")
            % {"kinds": ACCEPTED_DESCRIPTION}
        )
    if content_type == PDF and not _pdf_is_complete(upload):
        raise ValidationError(
            _(
                "This PDF looks incomplete or damaged (it has no proper ending). Please save or "
                "export it again and upload the new copy."
            )
        )
    if content_type in OFFICE_TYPES.values():
        _refuse_office_risks(upload, content_type)
    if content_type == CSV:
        _refuse_text_that_is_not_a_table(upload)
    endings = EXTENSIONS[content_type]
    if _extension(name) not in (*endings, ""):
        raise ValidationError(
            _(
                "This file is %(kind)s, so its name must end in %(endings)s. Please rename it, or "
                "check that you chose the right file, and upload it again."
            )
            % {"kind": KIND_NAMES[content_type], "endings": get_text_list(list(endings), _("or"))}
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(
        display_name=served_name(name, content_type),
        content_type=content_type,
        size=upload.size or 0,
        sha256=digest.hexdigest(),
    )


def _refuse_office_risks(upload: UploadedFile, content_type: str) -> None:
    """Refuse a Word or Excel file with one part unpacking far past its packed size, or carrying
    macros. Sniffing has already unpacked every part, so the directory's sizes are true."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            if any(
                entry.file_size > OFFICE_PART_RATIO_FROM_BYTES
                and entry.file_size > OFFICE_MAX_RATIO * max(entry.compress_size, 1)
                for entry in entries
            ):
                raise _unpacks_too_far()
            if _carries_macros(archive, entries):
                raise _macros_refused(content_type)
    finally:
        upload.seek(0)


def _carries_macros(archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo]) -> bool:
    """A VBA project or Excel 4.0 macro sheet, found by its part's name or by the content types
    and relationships that point Office at it (part names there are not case-sensitive)."""
    for entry in entries:
        name = entry.filename.lower()
        if name.rsplit("/", 1)[-1] == "vbaproject.bin" or "macrosheets/" in name:
            return True
        if name == "[content_types].xml" or name.endswith(".rels"):
            with archive.open(entry) as member:
                index = member.read(OFFICE_INDEX_MAX_BYTES).lower()
            if any(marker in index for marker in MACRO_MARKERS):
                return True
    return False


def _refuse_text_that_is_not_a_table(upload: UploadedFile) -> None:
    """Refuse text whose lines do not all hold as many values as its first: sniffing saw only
    a comma or tab on the first line, which a script or a letter has as well."""
    upload.seek(0)
    head = upload.read(TABLE_CHECK_BYTES)
    upload.seek(0)
    cut = len(head) < (upload.size or 0)
    text = head.decode("utf-8-sig", errors="replace")
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    records = _record_widths(text, delimiter)
    first = next(records, None)
    if first is None or first[1] < 2:
        raise ValidationError(
            _(
                "This file is not laid out as a table: its first line holds only one value. "
                "Please save the table from Excel as “CSV UTF-8 (comma delimited)” and upload it "
                "again."
            )
        )
    previous = None
    for record in records:
        if previous is not None and previous[1] != first[1]:
            raise _not_a_table(previous[0])
        previous = record
    # When only the start of the file was read, its last record may have been cut off mid-way.
    if previous is not None and previous[1] != first[1] and not cut:
        raise _not_a_table(previous[0])


def _record_widths(text: str, delimiter: str) -> Iterator[tuple[int, int]]:
    """The line on which each non-blank record ends, and how many values it holds."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for row in reader:
            if row:
                yield reader.line_num, len(row)
    except csv.Error as error:  # a value longer than any spreadsheet cell holds
        raise _not_a_table(reader.line_num) from error


def _not_a_table(line: int) -> ValidationError:
    return ValidationError(
        _(
            "This file is not laid out as a table: line %(line)d does not hold as many values as "
            "the first line. Please save the table from Excel as “CSV UTF-8 (comma delimited)” "
            "and upload it again."
        )
        % {"line": line}
    )
