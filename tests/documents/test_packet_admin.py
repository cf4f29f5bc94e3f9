"""A plan administrator uploads and publishes a welcome packet in the admin site."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from documents.models import WelcomePacket
from tests.factories import UserFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan_admin_client(client):
    admin = UserFactory.create(email="admin@plan.example", is_staff=True, groups=["plan admin"])
    client.force_login(admin)
    return client


def packet_form(**files: SimpleUploadedFile) -> dict[str, object]:
    return {
        "version": "3",
        "title": "ECM Provider Welcome Packet",
        "notes": "",
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "items-0-title": "Provider manual",
        "items-0-sort_order": "1",
        **files,
    }


def test_plan_admin_uploads_and_publishes_a_packet_version(plan_admin_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("Provider Manual.pdf", PDF, content_type="application/pdf")
    response = plan_admin_client.post(
        "/admin/documents/welcomepacket/add/", packet_form(**{"items-0-file": upload})
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    packet = WelcomePacket.objects.get(version=3)
    item = packet.items.get()
    assert (item.original_name, item.content_type, item.size) == (
        "Provider Manual.pdf",
        "application/pdf",
        len(PDF),
    )
    assert "Provider" not in item.file.name

    response = plan_admin_client.post(
        "/admin/documents/welcomepacket/",
        {"action": "publish", "_selected_action": [packet.pk]},
    )
    assert response.status_code == 302
    packet.refresh_from_db()
    assert packet.is_current


def test_packet_document_of_an_unknown_kind_is_refused(plan_admin_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("tool.pdf", b"MZ\x90\x00binary", content_type="application/pdf")
    response = plan_admin_client.post(
        "/admin/documents/welcomepacket/add/", packet_form(**{"items-0-file": upload})
    )
    assert response.status_code == 200
    assert "We could not recognise this file" in response.content.decode()
    assert not WelcomePacket.objects.exists()
    assert not [path for path in tmp_path.rglob("*") if path.is_file()]


def test_reviewers_cannot_open_the_admin_site(client):
    reviewer = UserFactory.create(email="rita@plan.example", groups=["reviewer"])
    client.force_login(reviewer)
    assert client.get("/admin/documents/welcomepacket/").status_code == 302


def test_a_published_version_cannot_be_changed(plan_admin_client, welcome_packet):
    response = plan_admin_client.get(f"/admin/documents/welcomepacket/{welcome_packet.pk}/change/")

    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="title"' not in page
    assert 'name="items-0-file"' not in page
    assert 'name="items-0-DELETE"' not in page
