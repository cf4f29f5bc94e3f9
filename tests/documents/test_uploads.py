"""What document_upload accepts, what it refuses, and that a refusal leaves nothing behind."""

import hashlib
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from documents.models import Document
from documents.services import document_upload
from documents.validators import display_name
from onboarding.exceptions import NotAllowed, OnboardingError
from onboarding.models import Application, ApplicationEvent, ApplicationStep, EntityType
from onboarding.services.steps import step_submit
from portal.models import User
from tests.factories import PDF, UserFactory, fill_entity_step, pdf_upload, signature_of

pytestmark = pytest.mark.django_db

Kind = ApplicationStep.Kind
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
CSV = b"member_id,county,capacity\n1001,los_angeles,120\n"
# The start of a Windows executable: the MZ header, then the DOS stub's binary bytes.
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8" + b"\x00" * 64


def upload(
    application: Application, user: User, file: SimpleUploadedFile, requirement: str = "Roster"
) -> Document:
    return document_upload(
        application=application, step_kind=Kind.ATTESTATIONS, user=user, upload=file,
        requirement=requirement,
    )  # fmt: skip


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


def assert_nothing_stored(application: Application, media_root: Path) -> None:
    assert not Document.objects.exists()
    assert stored_files(media_root) == []
    assert not application.events.filter(kind=ApplicationEvent.Kind.DOCUMENT_UPLOADED).exists()


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("licence.pdf", PDF, "application/pdf"),
        ("org-chart.png", PNG, "image/png"),
        ("capacity.csv", CSV, "text/csv"),
    ],
)
def test_accepted_kinds_of_file_are_stored(
    application, authorized_official, media_root, name, content, content_type
):
    file = SimpleUploadedFile(name, content, content_type="application/octet-stream")

    document = upload(application, authorized_official, file)

    assert document.content_type == content_type
    assert document.original_name == name
    assert document.size == len(content)
    assert document.uploaded_by == authorized_official
    assert document.step_kind == Kind.ATTESTATIONS
    assert document.requirement == "Roster"
    stored = media_root / document.file.name
    assert stored.read_bytes() == content
    assert stored_files(media_root) == [stored]
    assert application.events.filter(
        kind=ApplicationEvent.Kind.DOCUMENT_UPLOADED, detail="Roster"
    ).exists()


def test_stored_key_never_contains_the_uploaded_file_name(
    application, authorized_official, media_root
):
    document = upload(application, authorized_official, pdf_upload("Sunrise-IRS-letter.pdf"))

    assert re.fullmatch(r"documents/[0-9a-f]{32}/[0-9a-f]{32}", document.file.name)
    assert "Sunrise" not in document.file.name
    assert "IRS" not in document.file.name
    assert not document.file.name.endswith(".pdf")
    assert document.original_name == "Sunrise-IRS-letter.pdf"


def test_sha256_of_the_content_is_recorded(application, authorized_official):
    document = upload(application, authorized_official, pdf_upload())

    assert document.sha256 == hashlib.sha256(PDF).hexdigest()


def test_empty_file_is_refused(application, authorized_official, media_root):
    with pytest.raises(OnboardingError, match="empty"):
        upload(application, authorized_official, pdf_upload(content=b""))

    assert_nothing_stored(application, media_root)


def test_oversized_file_is_refused(application, authorized_official, media_root, settings):
    settings.DOCUMENT_MAX_UPLOAD_BYTES = 100

    with pytest.raises(OnboardingError, match="limit is 100"):
        upload(application, authorized_official, pdf_upload(content=PDF + b"0" * 100))

    assert_nothing_stored(application, media_root)


def test_file_at_the_size_limit_is_accepted(application, authorized_official, settings):
    settings.DOCUMENT_MAX_UPLOAD_BYTES = 100
    content = PDF + b"0" * (100 - len(PDF))

    document = upload(application, authorized_official, pdf_upload(content=content))

    assert document.size == 100


def test_executable_renamed_as_pdf_is_refused(application, authorized_official, media_root):
    with pytest.raises(OnboardingError, match="could not recognise"):
        upload(application, authorized_official, pdf_upload("invoice.pdf", EXECUTABLE))

    assert_nothing_stored(application, media_root)


def test_zip_that_is_not_an_office_document_is_refused(
    application, authorized_official, media_root
):
    content = b"PK\x03\x04" + b"\x00" * 40
    with pytest.raises(OnboardingError, match="could not recognise"):
        upload(application, authorized_official, pdf_upload("report.docx", content))

    assert_nothing_stored(application, media_root)


def test_same_file_twice_for_the_same_requirement_is_refused(
    application, authorized_official, media_root
):
    first = upload(application, authorized_official, pdf_upload("roster.pdf"))

    with pytest.raises(OnboardingError, match="already uploaded this exact file"):
        upload(application, authorized_official, pdf_upload("roster-copy.pdf"))

    assert list(Document.objects.all()) == [first]
    assert stored_files(media_root) == [media_root / first.file.name]


def test_same_file_for_another_requirement_is_accepted(application, authorized_official):
    upload(application, authorized_official, pdf_upload(), requirement="Roster")

    upload(application, authorized_official, pdf_upload(), requirement="Org chart")

    assert Document.objects.count() == 2


def test_document_must_say_what_it_is(application, authorized_official, media_root):
    with pytest.raises(OnboardingError, match="Say what this document is"):
        upload(application, authorized_official, pdf_upload(), requirement="   ")

    assert_nothing_stored(application, media_root)


def test_file_refused_by_model_validation_leaves_no_stored_file(
    application, authorized_official, media_root
):
    with pytest.raises(ValidationError):
        upload(application, authorized_official, pdf_upload(), requirement="x" * 201)

    assert_nothing_stored(application, media_root)


def test_evidence_upload_is_labelled_with_the_requirement(application, authorized_official):
    requirement = EntityType.objects.get(code="fqhc").evidence_requirements.get()

    document = document_upload(
        application=application, step_kind=Kind.ENTITY, user=authorized_official,
        upload=pdf_upload(), evidence_requirement=requirement,
    )  # fmt: skip

    assert document.requirement == requirement.title
    assert document.evidence_requirement == requirement


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\system32\\evil.pdf", "evil.pdf"),
        ("/var/www/report.pdf", "report.pdf"),
        ('re<port>:"|?*.pdf', "report.pdf"),
        ("line\nbreak\x00.pdf", "linebreak.pdf"),
        ("invoice\N{RIGHT-TO-LEFT OVERRIDE}fdp.exe", "invoicefdp.exe"),
        ("\N{FULLWIDTH LATIN SMALL LETTER A}.pdf", "a.pdf"),
        ("..", "document"),
        ("", "document"),
        ("  trailing dots... ", "trailing dots"),
        ("a" * 200 + ".pdf", "a" * 116 + ".pdf"),
    ],
)
def test_display_name_is_sanitised(name, shown):
    assert display_name(name) == shown


@pytest.mark.parametrize(
    "name",
    # Django's UploadedFile already keeps only the part after the last "/".
    ["..\\..\\boot.ini", "C:\\ok\\..\\..\\x.pdf", "invoice\N{RIGHT-TO-LEFT OVERRIDE}fdp.pdf"],
)
def test_name_climbing_out_of_its_folder_or_hiding_characters_is_refused(
    application, authorized_official, media_root, name
):
    with pytest.raises(OnboardingError, match="folder steps or hidden characters"):
        upload(application, authorized_official, pdf_upload(name))

    assert_nothing_stored(application, media_root)


def test_uploaded_file_name_is_shown_without_its_folders(
    application, authorized_official, media_root
):
    document = upload(application, authorized_official, pdf_upload("/var/www/passwd.pdf"))

    assert document.original_name == "passwd.pdf"
    assert stored_files(media_root) == [media_root / document.file.name]
    assert (media_root / document.file.name).is_relative_to(media_root / "documents")


def test_name_with_windows_folders_is_shown_without_them(application, authorized_official):
    document = upload(
        application, authorized_official, pdf_upload("C:\\Users\\ana\\Desktop\\roster.pdf")
    )

    assert document.original_name == "roster.pdf"


def test_someone_outside_the_organization_cannot_upload(application, media_root):
    outsider = UserFactory.create()

    with pytest.raises(NotAllowed):
        upload(application, outsider, pdf_upload())

    assert_nothing_stored(application, media_root)


def test_nothing_can_be_uploaded_to_a_submitted_step(application, authorized_official, media_root):
    fill_entity_step(application, authorized_official)
    step_submit(
        application=application,
        kind=Kind.ENTITY,
        user=authorized_official,
        signature=signature_of(authorized_official),
    )
    stored_before = stored_files(media_root)

    with pytest.raises(OnboardingError, match="submitted"):
        document_upload(
            application=Application.objects.get(pk=application.pk), step_kind=Kind.ENTITY,
            user=authorized_official, upload=pdf_upload("late.pdf", PDF + b"late"),
            requirement="Late addition",
        )  # fmt: skip

    assert Document.objects.count() == 1
    assert stored_files(media_root) == stored_before
