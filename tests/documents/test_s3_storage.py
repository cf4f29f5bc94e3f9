"""Documents on S3, against real S3 protocol servers started by the test session.

moto_server speaks the protocol (upload, read, delete, presigned URLs, multipart) but checks
neither signatures, expiry nor encryption; SeaweedFS does check signatures and expiry, so the
tests that must prove a link cannot be forged or reused late run against it.
"""

import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from documents.models import Document, DownloadRecord
from documents.services import document_remove, document_upload
from documents.storage import bucket_make_private
from onboarding.exceptions import OnboardingError
from tests.factories import PDF, pdf_upload

pytestmark = pytest.mark.django_db

KEY = re.compile(r"documents/[0-9a-f]{32}/[0-9a-f]{32}")
MB = 1024 * 1024


def upload(application, user, file, requirement="Roster"):
    return document_upload(
        application=application, step_kind="attestations", user=user, upload=file,
        requirement=requirement,
    )  # fmt: skip


def _lower(headers: object) -> dict[str, str]:
    return {key.lower(): value for key, value in headers.items()}  # type: ignore[attr-defined]


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback test server
            return response.status, _lower(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, _lower(error.headers), error.read()


def download_location(client: Client, document: Document) -> str:
    response = client.get(reverse("documents:download", args=[document.pk]))
    assert response.status_code == 302
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    return str(response["Location"])


# --- moto_server: the protocol --------------------------------------------------------------


def test_use_s3_selects_s3_storage_with_private_encrypted_objects():
    """The environment alone switches documents to S3, with the options production relies on."""
    environment = {
        **os.environ,
        "USE_S3": "true",
        "AWS_STORAGE_BUCKET_NAME": "plan-documents",
        "AWS_S3_REGION_NAME": "us-west-2",
        "AWS_S3_ENDPOINT_URL": "https://s3.example.test",
        "AWS_ACCESS_KEY_ID": "id",
        "AWS_SECRET_ACCESS_KEY": "secret",
        "DJANGO_SETTINGS_MODULE": "portal.settings",
    }
    script = (
        "import django; django.setup();"
        "from django.core.files.storage import storages; s = storages['default'];"
        "t = s.transfer_config;"
        "print(type(s).__name__, s.bucket_name, s.region_name, s.endpoint_url, s.default_acl,"
        " s.file_overwrite, s.object_parameters, s.querystring_expire, s.max_memory_size,"
        " t.multipart_threshold, t.multipart_chunksize, t.max_concurrency)"
    )
    output = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", script], env=environment, capture_output=True, text=True, check=True
    ).stdout.strip()

    assert output == (
        "S3Storage plan-documents us-west-2 https://s3.example.test None True "
        "{'ServerSideEncryption': 'AES256'} 300 8388608 8388608 8388608 4"
    )


def test_upload_is_stored_encrypted_under_a_key_without_the_file_name(
    application, authorized_official, moto_storage
):
    document = upload(application, authorized_official, pdf_upload("Sunrise IRS letter.pdf"))

    assert KEY.fullmatch(document.file.name)
    assert moto_storage.keys() == [document.file.name]
    head = moto_storage.client.head_object(Bucket=moto_storage.name, Key=document.file.name)
    assert head["ServerSideEncryption"] == "AES256"
    body = moto_storage.client.get_object(Bucket=moto_storage.name, Key=document.file.name)
    assert body["Body"].read() == PDF
    grants = moto_storage.client.get_object_acl(Bucket=moto_storage.name, Key=document.file.name)
    assert [grant["Permission"] for grant in grants["Grants"]] == ["FULL_CONTROL"]
    assert "URI" not in grants["Grants"][0]["Grantee"]  # the owner only, not AllUsers
    with document.file.open("rb") as stored:
        assert stored.read() == PDF


def test_large_upload_goes_in_multipart_chunks(application, authorized_official, moto_storage):
    content = PDF + os.urandom(20 * MB) + b"\n%%EOF\n"

    document = upload(application, authorized_official, pdf_upload("big.pdf", content))

    head = moto_storage.client.head_object(Bucket=moto_storage.name, Key=document.file.name)
    assert head["ContentLength"] == len(content)
    assert head["ETag"].strip('"').endswith("-3")  # 8 MB parts: 8 + 8 + 4
    with document.file.open("rb") as stored:
        assert stored.read() == content


def test_removed_document_is_deleted_from_the_bucket_after_commit(
    application, authorized_official, moto_storage, django_capture_on_commit_callbacks
):
    document = upload(application, authorized_official, pdf_upload())

    with django_capture_on_commit_callbacks(execute=True):
        document_remove(document=document, user=authorized_official)

    assert moto_storage.keys() == []


def test_refused_upload_leaves_the_bucket_empty(application, authorized_official, moto_storage):
    with pytest.raises(OnboardingError):
        upload(application, authorized_official, pdf_upload("invoice.pdf", b"MZ\x90\x00" * 20))

    assert moto_storage.keys() == []
    assert not Document.objects.exists()


def test_database_refusal_after_storing_removes_the_object(
    application, authorized_official, moto_storage
):
    with pytest.raises(ValidationError):
        upload(application, authorized_official, pdf_upload(), requirement="x" * 201)

    assert moto_storage.keys() == []
    assert not Document.objects.exists()


def test_download_redirects_to_a_short_lived_attachment_link_and_is_recorded(
    application, authorized_official, moto_storage, client
):
    document = upload(application, authorized_official, pdf_upload("Roster (final).pdf"))
    client.force_login(authorized_official)

    location = download_location(client, document)

    query = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)
    assert int(query["X-Amz-Expires"][0]) <= 300
    assert query["response-content-disposition"][0].startswith("attachment;")
    status, headers, body = fetch(location)
    assert status == 200
    assert body == PDF
    assert headers["content-disposition"].startswith("attachment;")
    assert 'filename="Roster (final).pdf"' in headers["content-disposition"]
    assert headers["content-type"] == "application/pdf"
    record = DownloadRecord.objects.get()
    assert (record.user, record.document, record.ip_address) == (
        authorized_official,
        document,
        "127.0.0.1",
    )


def test_another_organization_never_gets_a_link(application, authorized_official, moto_storage):
    from tests.factories import UserFactory

    document = upload(application, authorized_official, pdf_upload())
    outsider = Client()
    from onboarding.services.organizations import organization_create

    other = UserFactory.create()
    organization_create(user=other, legal_name="Other Org", title="Director")
    outsider.force_login(other)

    response = outsider.get(reverse("documents:download", args=[document.pk]))

    assert response.status_code == 404
    assert "Location" not in response
    assert not DownloadRecord.objects.exists()


def test_bucket_can_be_made_private_and_encrypted_by_default(moto_storage):
    bucket_make_private(moto_storage.client, moto_storage.name)

    block = moto_storage.client.get_public_access_block(Bucket=moto_storage.name)
    assert all(block["PublicAccessBlockConfiguration"].values())
    rules = moto_storage.client.get_bucket_encryption(Bucket=moto_storage.name)
    default = rules["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert default["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"


# --- SeaweedFS: signatures, expiry and encryption are really checked ------------------------


def test_presigned_link_works_only_as_issued(
    application, authorized_official, seaweed_storage, client
):
    document = upload(application, authorized_official, pdf_upload())
    other = upload(application, authorized_official, pdf_upload("b.pdf", PDF + b"b"), "Other")
    client.force_login(authorized_official)
    location = download_location(client, document)

    assert fetch(location)[0] == 200
    status, _, body = fetch(location.replace(document.file.name, other.file.name))
    assert status == 403
    assert b"SignatureDoesNotMatch" in body or b"AccessDenied" in body
    signature = re.search(r"X-Amz-Signature=([0-9a-f]+)", location)
    assert signature is not None
    forged = location.replace(signature[1], signature[1][::-1])
    assert fetch(forged)[0] == 403
    longer = re.sub(r"X-Amz-Expires=\d+", "X-Amz-Expires=86400", location)
    assert fetch(longer)[0] == 403
    unsigned = location.split("?")[0]
    assert fetch(unsigned)[0] == 403


def test_expired_presigned_link_is_refused(
    application, authorized_official, seaweed_storage, client, settings
):
    # Three seconds leave room for the first fetch on a busy machine (with one, it was sometimes
    # already too late); the signature's clock counts whole seconds, so 4.5 s is past it.
    settings.DOCUMENT_DOWNLOAD_URL_SECONDS = 3
    document = upload(application, authorized_official, pdf_upload())
    client.force_login(authorized_official)
    location = download_location(client, document)
    assert fetch(location)[0] == 200

    time.sleep(4.5)

    status, _, body = fetch(location)
    assert status == 403
    assert b"expired" in body


def _spiked(marker: bytes) -> bytes:
    return b"".join(marker + os.urandom(4000) for _ in range(64))


def _files_containing(root: Path, marker: bytes) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and marker in p.read_bytes()]


def test_objects_are_encrypted_at_rest(application, authorized_official, seaweed_storage):
    """The bytes on SeaweedFS's disk are not the document's: a control object written without
    server-side encryption shows the same search does find plaintext."""
    data_dir = seaweed_storage.server.data_dir
    assert data_dir is not None
    marker = os.urandom(16).hex().encode()
    # Random filler, so that no compression can hide the marker from the search.
    content = PDF + _spiked(marker) + b"\n%%EOF\n"

    document = upload(application, authorized_official, pdf_upload("secret.pdf", content))
    control_marker = os.urandom(16).hex().encode()
    seaweed_storage.client.put_object(
        Bucket=seaweed_storage.name,
        Key="control/plain",
        Body=_spiked(control_marker),
    )
    time.sleep(1)  # let the volume server flush

    head = seaweed_storage.client.head_object(Bucket=seaweed_storage.name, Key=document.file.name)
    assert head["ServerSideEncryption"] == "AES256"
    with document.file.open("rb") as stored:
        assert stored.read() == content
    assert _files_containing(data_dir, control_marker) != []
    assert _files_containing(data_dir, marker) == []


def test_wrong_credentials_are_refused(seaweed_storage):
    from tests.s3_servers import S3Server

    impostor = S3Server(endpoint_url=seaweed_storage.server.endpoint_url, secret_key="guess")
    with pytest.raises(Exception, match=r"SignatureDoesNotMatch|AccessDenied|InvalidAccessKey"):
        impostor.client().list_objects_v2(Bucket=seaweed_storage.name)


def test_upload_through_the_view_lands_in_the_bucket(
    application, authorized_official, seaweed_storage, client
):
    client.force_login(authorized_official)
    url = reverse("onboarding:document_upload", args=[application.pk, "entity"])

    client.post(
        url,
        {
            "requirement": "Other supporting document",
            "file": SimpleUploadedFile("letter.pdf", PDF, "application/pdf"),
        },
    )

    document = Document.objects.get()
    assert seaweed_storage.keys() == [document.file.name]


def test_welcome_letter_and_zip_come_from_the_bucket(
    application, authorized_official, moto_storage, client
):
    import io
    import zipfile

    from documents.services import packet_deliver, packet_publish
    from tests.factories import WelcomePacketFactory, packet_item_add

    packet = WelcomePacketFactory.create()
    packet_item_add(packet)
    packet_publish(packet=packet)
    delivery = packet_deliver(application=application)
    assert sorted(moto_storage.keys()) == sorted(
        [delivery.letter.name, packet.items.get().file.name]
    )
    client.force_login(authorized_official)

    letter = client.get(reverse("documents:packet_letter", args=[delivery.pk]))
    archive = client.get(reverse("documents:packet_zip", args=[delivery.pk]))

    assert letter.status_code == 302
    status, headers, body = fetch(letter["Location"])
    assert (status, headers["content-type"]) == (200, "application/pdf")
    assert body.startswith(b"%PDF-")
    names = zipfile.ZipFile(io.BytesIO(b"".join(archive.streaming_content))).namelist()
    assert names == [f"00 {delivery.letter_name}", "01 manual.pdf"]


def test_unreachable_storage_is_a_clear_message_and_records_nothing(
    application, authorized_official, moto_storage, settings
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            **settings.STORAGES["default"],
            "OPTIONS": {
                **settings.STORAGES["default"]["OPTIONS"],
                "bucket_name": "no-such-bucket-anywhere",
            },
        },
    }

    with pytest.raises(OnboardingError, match="could not store your file just now"):
        upload(application, authorized_official, pdf_upload())

    assert not Document.objects.exists()
