"""Welcome packet versions: delivery with a personalised letter, ZIP, receipts, new versions."""

import datetime
import io
import re
import tracemalloc
import zipfile
import zlib

import pytest
from celery.signals import task_retry
from django.core.files.base import ContentFile
from django.urls import reverse

from documents.acknowledgements import packet_acknowledge
from documents.letters import welcome_letter_pdf
from documents.models import DownloadRecord, PacketDelivery, WelcomePacket, WelcomePacketItem
from documents.services import download_record, packet_deliver, packet_publish
from documents.tasks import deliver_packet_version
from onboarding.exceptions import OnboardingError
from onboarding.flows import OnboardingFlow
from onboarding.models import Application, ApplicationEvent
from onboarding.services.attestations import capacity_table_save
from onboarding.services.steps import entity_profile_save
from portal.celery import app as celery_app
from tests.factories import PDF, WelcomePacketFactory, packet_item_add
from tests.onboarding.test_flow_services import Outcome, approve_all_steps, decide

pytestmark = pytest.mark.django_db

Status = Application.Status
MB = 1024 * 1024


def pdf_text(pdf: bytes) -> str:
    """The text operators of every (Flate-compressed) content stream of a PDF."""
    text = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL):
        try:
            text.append(zlib.decompress(stream).decode("latin-1"))
        except zlib.error:
            text.append(stream.decode("latin-1"))
    return "\n".join(text).replace("\\(", "(").replace("\\)", ")")


def active_provider(application: Application) -> PacketDelivery:
    """An application that received the current packet and became active (without the flow)."""
    Application.objects.filter(pk=application.pk).update(status=Status.ACTIVE)
    application.refresh_from_db()
    return packet_deliver(application=application)


def second_version(title: str = "Updated provider manual") -> WelcomePacket:
    packet = WelcomePacketFactory.create(notes="The claims section changed.")
    packet_item_add(packet, title=title)
    return packet


def test_final_approval_delivers_the_current_version_with_a_letter(
    application, authorized_official, reviewer, manager, welcome_packet
):
    approve_all_steps(application, authorized_official, reviewer)
    decide(OnboardingFlow.final_approval, application, manager, Outcome.APPROVE)

    delivery = PacketDelivery.objects.get(application=application)
    assert delivery.packet == welcome_packet
    assert list(delivery.items.all()) == list(welcome_packet.items.all())
    letter = delivery.letter.read()
    assert letter.startswith(b"%PDF-")
    assert b"%%EOF" in letter[-64:]
    assert delivery.letter_size == len(letter)
    assert "welcome-letters/" in delivery.letter.name


def test_welcome_letter_is_personalised_and_masks_the_tax_id(
    application, authorized_official, welcome_packet, settings
):
    settings.PLAN_CONTACT_PHONE = "(213) 555-0100"
    entity_profile_save(
        application=application, user=authorized_official,
        data={"legal_name": "Sunrise Community Services", "npi": "1234567893", "tin": "123456789"},
    )  # fmt: skip
    capacity_table_save(
        application=application, user=authorized_official,
        populations={"1a": 5, "3a": 5},
        capacities={"1a": {"los_angeles": 40, "orange": 40}, "3a": {"los_angeles": 40}},
    )  # fmt: skip
    application.refresh_from_db()
    text = pdf_text(
        welcome_letter_pdf(
            application=application, packet=welcome_packet,
            effective_date=datetime.date(2026, 12, 1),
        )
    )  # fmt: skip

    assert "Sunrise Community Services" in text
    assert "Organizational NPI: 1234567893" in text
    assert "XX-XXX6789" in text
    assert not re.search(r"(?<!\d)123456789(?!\d)", text)  # the full TIN never appears
    assert "December 1, 2026" in text
    assert "Adults experiencing homelessness: Los Angeles (40 members), Orange (40 members)" in text
    assert "3a" in text
    assert settings.PLAN_CONTACT_EMAIL in text
    assert "(213) 555-0100" in text
    assert f"version {welcome_packet.version}" in text


def test_publishing_a_new_version_delivers_it_to_active_providers(
    application, authorized_official, welcome_packet, mailoutbox, django_capture_on_commit_callbacks
):
    first = active_provider(application)
    mailoutbox.clear()
    packet = second_version()

    with django_capture_on_commit_callbacks(execute=True):
        packet_publish(packet=packet)

    latest = application.packet_deliveries.first()
    assert latest is not None
    assert latest.packet == packet
    assert latest.effective_date == first.effective_date
    assert [item.title for item in latest.items.all()] == ["Updated provider manual"]
    assert [mail.subject for mail in mailoutbox][-1].endswith("a new version of the "
        "L.A. Care Health Plan welcome packet")  # fmt: skip
    assert "The claims section changed." in mailoutbox[-1].body
    assert application.packet_deliveries.count() == 2


def test_new_version_is_acknowledged_again_after_a_download(
    application, authorized_official, welcome_packet, django_capture_on_commit_callbacks
):
    active_provider(application)
    packet = second_version()
    with django_capture_on_commit_callbacks(execute=True):
        packet_publish(packet=packet)
    delivery = application.packet_deliveries.get(packet=packet)

    with pytest.raises(OnboardingError, match="download"):
        packet_acknowledge(delivery=delivery, user=authorized_official)
    download_record(
        user=authorized_official, ip_address="10.0.0.7", delivery=delivery,
        kind=DownloadRecord.Kind.LETTER,
    )  # fmt: skip
    packet_acknowledge(delivery=delivery, user=authorized_official)

    delivery.refresh_from_db()
    assert delivery.acknowledged_by == authorized_official
    assert Application.objects.get(pk=application.pk).status == Status.ACTIVE
    with pytest.raises(OnboardingError, match="already been acknowledged"):
        packet_acknowledge(delivery=delivery, user=authorized_official)
    assert application.events.filter(kind=ApplicationEvent.Kind.PACKET_ACKNOWLEDGED).count() == 1


def test_snapshot_keeps_what_was_delivered_when_the_version_changes_later(
    application, welcome_packet
):
    delivery = active_provider(application)
    packet_item_add(welcome_packet, title="Added after delivery")

    assert [item.title for item in delivery.items.all()] == ["Provider manual"]


def test_publishing_does_not_redeliver_to_providers_that_have_the_version(
    application, welcome_packet, django_capture_on_commit_callbacks
):
    active_provider(application)

    with django_capture_on_commit_callbacks(execute=True):
        packet_publish(packet=welcome_packet)

    assert application.packet_deliveries.count() == 1


def test_the_new_version_is_delivered_after_publishing_commits_not_in_the_request(
    application, welcome_packet, django_capture_on_commit_callbacks
):
    active_provider(application)
    packet = second_version()

    with django_capture_on_commit_callbacks() as waiting:
        packet_publish(packet=packet)

    assert application.packet_deliveries.count() == 1  # nothing delivered inside the transaction
    assert len(waiting) == 1
    waiting[0]()  # the background job, as the worker runs it
    assert application.packet_deliveries.filter(packet=packet).count() == 1


def test_a_version_superseded_before_its_job_runs_is_not_delivered(application, welcome_packet):
    active_provider(application)
    older, newer = second_version(), second_version()
    packet_publish(packet=older)
    packet_publish(packet=newer)  # before the job for the older one ran

    assert deliver_packet_version(older.pk) == 0
    assert not application.packet_deliveries.filter(packet=older).exists()


def test_delivery_is_tried_again_while_file_storage_is_away_then_completes(
    application, welcome_packet, settings, tmp_path
):
    active_provider(application)
    packet = second_version()
    packet_publish(packet=packet)  # its job runs after commit, which this test never reaches
    working = settings.STORAGES
    not_a_folder = tmp_path / "storage-away"
    not_a_folder.write_bytes(b"")
    settings.STORAGES = {
        **working,
        "default": {**working["default"], "OPTIONS": {"location": str(not_a_folder / "media")}},
    }
    tries_again: list[object] = []

    def count(**kwargs: object) -> None:
        tries_again.append(kwargs["reason"])

    # Run eagerly as a worker would: a retry is scheduled, not raised to the caller.
    propagates = celery_app.conf.task_eager_propagates
    celery_app.conf.task_eager_propagates = False
    task_retry.connect(count)
    try:
        with pytest.raises(NotADirectoryError):
            deliver_packet_version.apply(args=[packet.pk]).get()
    finally:
        task_retry.disconnect(count)
        celery_app.conf.task_eager_propagates = propagates

    assert len(tries_again) == deliver_packet_version.max_retries
    assert not application.packet_deliveries.filter(packet=packet).exists()
    settings.STORAGES = working
    assert deliver_packet_version.apply(args=[packet.pk]).get() == 1
    assert application.packet_deliveries.filter(packet=packet).count() == 1


def test_zip_holds_the_letter_and_every_document_and_is_recorded(
    application, authorized_official, welcome_packet, client
):
    delivery = active_provider(application)
    client.force_login(authorized_official)

    response = client.get(
        reverse("documents:packet_zip", args=[delivery.pk]), REMOTE_ADDR="10.1.2.3"
    )

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.testzip() is None
    names = archive.namelist()
    assert names == [
        f"00 Welcome letter (version {welcome_packet.version}).pdf",
        "01 manual.pdf",
    ]
    assert archive.read("01 manual.pdf") == PDF
    assert archive.read(names[0]).startswith(b"%PDF-")
    record = DownloadRecord.objects.get()
    assert (record.kind, record.delivery, record.user, record.ip_address) == (
        DownloadRecord.Kind.PACKET_ZIP, delivery, authorized_official, "10.1.2.3",
    )  # fmt: skip


def test_zip_is_streamed_in_bounded_memory(
    application, welcome_packet, authorized_official, client
):
    """Three 8 MB documents go out while Python holds a small fraction of them at once."""
    for number in range(3):
        item = WelcomePacketItem(
            packet=welcome_packet, title=f"Big {number}", original_name=f"big-{number}.pdf",
            content_type="application/pdf", size=8 * MB, sha256="0" * 64,
        )  # fmt: skip
        item.file.save("big.pdf", ContentFile(bytes([number]) * 8 * MB), save=False)
        item.save()
    delivery = active_provider(application)
    client.force_login(authorized_official)
    response = client.get(reverse("documents:packet_zip", args=[delivery.pk]))

    tracemalloc.start()
    total = sum(len(chunk) for chunk in response.streaming_content)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert total > 0
    assert peak < 6 * MB, f"peak {peak / MB:.1f} MB while streaming 24 MB"


def test_letter_download_is_an_attachment_and_is_recorded(
    application, authorized_official, welcome_packet, client
):
    delivery = active_provider(application)
    client.force_login(authorized_official)

    response = client.get(reverse("documents:packet_letter", args=[delivery.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert DownloadRecord.objects.get().kind == DownloadRecord.Kind.LETTER


def test_network_managers_see_each_providers_versions_downloads_and_receipt(
    application,
    authorized_official,
    welcome_packet,
    manager,
    client,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    first = active_provider(application)
    download_record(user=authorized_official, ip_address=None, delivery=first,
                    kind=DownloadRecord.Kind.PACKET_ZIP)  # fmt: skip
    download_record(
        user=manager, ip_address=None, delivery=first, kind=DownloadRecord.Kind.LETTER
    )  # fmt: skip  (staff looking: not counted)
    packet_acknowledge(delivery=first, user=authorized_official)
    with django_capture_on_commit_callbacks(execute=True):
        packet_publish(packet=second_version())
    client.force_login(manager)

    response = client.get(reverse("documents:packet_receipts"))

    assert response.status_code == 200
    rows = {d.packet.version: d for d in response.context["deliveries"]}
    assert rows[first.packet.version].download_count == 1
    assert rows[first.packet.version].acknowledged_by == authorized_official
    newest = max(rows)
    assert rows[newest].download_count == 0
    assert rows[newest].acknowledged_at is None
    page = response.content.decode()
    assert "Sunrise Community Services" in page
    assert "not yet" in page
