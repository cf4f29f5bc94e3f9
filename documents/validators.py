"""Checks every upload passes before anything is stored."""

import hashlib
import os
import unicodedata
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Accepted kinds of file, recognised by their first bytes rather than their name.
PDF, PNG, JPEG, CSV = "application/pdf", "image/png", "image/jpeg", "text/csv"
OFFICE_TYPES = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
ACCEPTED_DESCRIPTION = _("PDF, PNG, JPEG, Word (.docx), Excel (.xlsx) or CSV")
# Names that would make the downloaded copy run as a program or page, whatever it contains.
BLOCKED_EXTENSIONS = frozenset(
    f".{extension}"
    for extension in [
        "exe",
        "com",
        "bat",
        "cmd",
        "scr",
        "pif",
        "msi",
        "msp",
        "dll",
        "cpl",
        "jar",
        "js",
        "jse",
        "vbs",
        "vbe",
        "wsf",
        "wsh",
        "ps1",
        "psm1",
        "sh",
        "app",
        "lnk",
        "reg",
        "hta",
        "html",
        "htm",
        "xhtml",
        "svg",
        "xml",
        "docm",
        "xlsm",
        "iso",
        "img",
    ]
)
# A genuine office document unpacks to a few times its size; a "zip bomb" to thousands of times.
OFFICE_MAX_UNPACKED_BYTES = 200 * 1024 * 1024
OFFICE_MAX_RATIO = 100
OFFICE_MAX_ENTRIES = 10_000
# Readers look for the end-of-file marker near the end; anything after it is tolerated.
PDF_TRAILER_WINDOW = 1024


@dataclass(frozen=True)
class CheckedUpload:
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
        raise ValidationError(
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


def is_disguised_name(name: str) -> bool:
    """A name climbing out of its folder (``..``) or hiding characters, such as a right-to-left
    override (U+202E) that shows ``invoice<U+202E>fdp.exe`` as ``invoiceexe.pdf``: no real file is
    named so."""
    parts = name.replace("\\", "/").split("/")
    return ".." in parts or any(unicodedata.category(ch) in {"Cc", "Cf"} for ch in name)


def check_upload(upload: UploadedFile) -> CheckedUpload:
    """Refuse an empty, oversized, disguised or unrecognised file with a message a person can
    act on. Nothing has been stored when this raises."""
    if is_disguised_name(upload.name or ""):
        raise ValidationError(
            _(
                "The file name contains folder steps or hidden characters. Please rename the file "
                "using ordinary letters and numbers, and upload it again."
            )
        )
    extension = os.path.splitext(display_name(upload.name or ""))[1].lower()
    if extension in BLOCKED_EXTENSIONS:
        raise ValidationError(
            _(
                "Files ending in %(extension)s cannot be uploaded. Please upload a %(kinds)s file "
                "with its usual ending."
            )
            % {"extension": extension, "kinds": ACCEPTED_DESCRIPTION}
        )
    limit = settings.DOCUMENT_MAX_UPLOAD_BYTES
    if not upload.size:
        raise ValidationError(_("The file is empty. Please choose the right file and try again."))
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s. Please upload a smaller file.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    return _check_content(upload)


def too_large_message() -> str:
    """For a file whose reading was stopped at the limit (see ``documents.uploadhandlers``)."""
    return _("The file is too large; the limit is %(limit)s. Please upload a smaller file.") % {
        "limit": filesizeformat(settings.DOCUMENT_MAX_UPLOAD_BYTES)
    }


def _check_content(upload: UploadedFile) -> CheckedUpload:
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
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(
        display_name=display_name(upload.name or ""),
        content_type=content_type,
        size=upload.size or 0,
        sha256=digest.hexdigest(),
    )
