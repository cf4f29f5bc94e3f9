"""A sample check from the page runs in a background job: queued, shown in progress, then
reported on the data-sharing step; the file is deleted when the job ends, whatever happened."""

import io
import logging
import os
import zipfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from kombu.exceptions import OperationalError

from data_exchange import services, tasks
from data_exchange.models import SampleFileCheck, SampleFileReport
from portal.models import User
from tests.data_sharing.samples import as_csv, sample_rows, specification
from tests.factories import VALID_NPI, VALID_TIN, UserFactory

pytestmark = pytest.mark.django_db

CIN_HEADING = "Member Client Index Number (CIN)"


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def rtf_with_bad_cin() -> bytes:
    rows = sample_rows(specification("rtf"), npi=VALID_NPI, tin=VALID_TIN)
    rows[2][rows[0].index(CIN_HEADING)] = "5550001"
    return as_csv(rows)


def post_sample(client: Client, application_pk: int, content: bytes, name: str, **kwargs):
    return client.post(
        f"/applications/{application_pk}/data-sharing/samples/",
        {"sample-kind": "rtf", "sample-file": ContentFile(content, name=name)},
        **kwargs,
    )


def stored_samples(media_root: Path) -> list[Path]:
    return [path for path in (media_root / "sample-checks").glob("*") if path.is_file()]


def zip_bomb() -> bytes:
    """An "Excel file" whose 50 MB of zeros pack into a few kilobytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 50 * 1024 * 1024)
    return out.getvalue()


def damaged_xlsx() -> bytes:
    """A zip whose directory is sound but whose compressed data is not."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/workbook.xml", b"<w>%s</w>" % os.urandom(10_000).hex().encode())
    content = bytearray(out.getvalue())
    start = content.index(b"xl/workbook.xml") + len(b"xl/workbook.xml")
    content[start + 10 : start + 40] = b"\xff" * 30
    return bytes(content)


def test_a_sample_is_checked_in_a_job_and_its_report_shown_on_the_step(
    entity_filled, authorized_official, media_root, caplog
):
    caplog.set_level(logging.DEBUG)
    client = signed_in(authorized_official)

    posted = post_sample(client, entity_filled.pk, rtf_with_bad_cin(), "june-rtf.csv")

    check = SampleFileCheck.objects.get()
    progress = f"/applications/{entity_filled.pk}/data-sharing/samples/{check.pk}/"
    assert posted["Location"] == progress
    assert check.status == SampleFileCheck.Status.DONE  # eager: done before the page loads
    assert (check.file_name, check.stored_name, check.requested_by) == (
        "june-rtf.csv",
        "",
        authorized_official,
    )
    assert check.report == SampleFileReport.objects.get()
    assert stored_samples(media_root) == []

    page = client.get(progress, follow=True)

    assert page.redirect_chain == [(f"/applications/{entity_filled.pk}/data-sharing/#samples", 302)]
    html = page.content.decode()
    assert "found 1 problem(s), listed below. The file has been deleted." in html
    assert f"Line 3, column {CIN_HEADING}: the value should be 8 digits" in html
    assert "5550001" not in caplog.text


def test_while_the_check_waits_the_progress_page_reloads_itself(
    entity_filled, authorized_official, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.undo()  # the job is queued on commit, as in production
    client = signed_in(authorized_official)

    with django_capture_on_commit_callbacks(execute=False) as queued:
        posted = post_sample(client, entity_filled.pk, rtf_with_bad_cin(), "june-rtf.csv")
    waiting = client.get(posted["Location"])

    assert len(queued) == 1
    assert waiting.status_code == 200
    assert waiting["Refresh"] == "2"
    assert "Your sample RTF “june-rtf.csv” is waiting to be checked." in waiting.content.decode()
    assert not SampleFileReport.objects.exists()

    queued[0]()  # the transaction commits: the job runs (eagerly here)
    done = client.get(posted["Location"])

    assert done.status_code == 302
    assert done["Location"] == f"/applications/{entity_filled.pk}/data-sharing/#samples"
    assert SampleFileCheck.objects.get().report == SampleFileReport.objects.get()


def test_another_organizations_applicant_cannot_see_the_progress_of_a_check(
    entity_filled, authorized_official
):
    post_sample(signed_in(authorized_official), entity_filled.pk, rtf_with_bad_cin(), "rtf.csv")
    check = SampleFileCheck.objects.get()
    outsider = UserFactory.create()

    response = signed_in(outsider).get(
        f"/applications/{entity_filled.pk}/data-sharing/samples/{check.pk}/"
    )

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            zip_bomb(),
            "This Excel file unpacks to far more data than a real spreadsheet does, so it cannot "
            "be checked. Save the sample again from Excel, or as a CSV file, and upload it.",
        ),
        (
            damaged_xlsx(),
            "This Excel file cannot be opened. Save it again in Excel as .xlsx and upload it.",
        ),
    ],
    ids=["zip bomb", "damaged"],
)
def test_a_zip_bomb_or_damaged_workbook_is_refused_with_a_message_on_the_page(
    entity_filled, authorized_official, media_root, content, message
):
    response = post_sample(
        signed_in(authorized_official), entity_filled.pk, content, "rtf.xlsx", follow=True
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert [problem.message for problem in SampleFileReport.objects.get().problems.all()] == [
        message
    ]
    assert stored_samples(media_root) == []


def test_the_file_is_deleted_even_when_the_check_fails_unexpectedly(
    entity_filled, authorized_official, media_root, monkeypatch, caplog
):
    seen_while_checking: list[Path] = []

    def broken_check(**kwargs: object) -> SampleFileReport:
        seen_while_checking.extend(stored_samples(media_root))
        raise RuntimeError("CIN 5550001 is odd")  # as if a library quoted the file

    monkeypatch.setattr(services, "sample_file_check", broken_check)

    response = post_sample(
        signed_in(authorized_official),
        entity_filled.pk,
        rtf_with_bad_cin(),
        "june-rtf.csv",
        follow=True,
    )

    assert len(seen_while_checking) == 1
    assert "june" not in seen_while_checking[0].name  # stored under a random name
    assert stored_samples(media_root) == []
    check = SampleFileCheck.objects.get()
    assert (check.status, check.stored_name, check.report) == ("failed", "", None)
    assert "could not be checked because of a problem on our side" in response.content.decode()
    assert "RuntimeError" in caplog.text
    assert "5550001" not in caplog.text


def test_a_step_submitted_before_the_job_runs_ends_the_check_with_a_message(
    entity_filled, authorized_official, media_root, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.undo()
    client = signed_in(authorized_official)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        posted = post_sample(client, entity_filled.pk, rtf_with_bad_cin(), "rtf.csv")
    entity_filled.steps.filter(kind="data_sharing").update(status="submitted")

    queued[0]()
    html = client.get(posted["Location"], follow=True).content.decode()

    assert SampleFileCheck.objects.get().status == SampleFileCheck.Status.FAILED
    assert "This section has been submitted and can no longer be changed" in html
    assert stored_samples(media_root) == []
    assert not SampleFileReport.objects.exists()


def test_a_queue_that_cannot_be_reached_ends_the_check_with_a_message(
    entity_filled, authorized_official, media_root, monkeypatch
):
    def broker_away(*args: object) -> None:
        raise OperationalError("connection refused")

    monkeypatch.setattr(tasks.sample_file_check_job, "delay", broker_away)

    html = post_sample(
        signed_in(authorized_official), entity_filled.pk, rtf_with_bad_cin(), "rtf.csv", follow=True
    ).content.decode()

    assert "The check could not be started. Upload the sample again in a few minutes." in html
    assert SampleFileCheck.objects.get().status == SampleFileCheck.Status.FAILED
    assert stored_samples(media_root) == []


def test_a_refused_upload_queues_nothing_and_stores_nothing(
    entity_filled, authorized_official, media_root
):
    entity_filled.steps.filter(kind="data_sharing").update(status="submitted")

    html = post_sample(
        signed_in(authorized_official), entity_filled.pk, rtf_with_bad_cin(), "rtf.csv", follow=True
    ).content.decode()

    assert "This section has been submitted and can no longer be changed" in html
    assert not SampleFileCheck.objects.exists()
    assert not (media_root / "sample-checks").exists()
