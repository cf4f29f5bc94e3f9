"""The background side of the managers' exports: who may download one, the audit of a download,
a build that fails, the page while a build waits, expiry, and the page's queries."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.models import AuditEvent
from reviews.models import Export
from reviews.services.exports import export_build, export_request
from reviews.tasks import delete_expired_exports, fail_lost_exports

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def ask(django_capture_on_commit_callbacks):
    """Ask for an export as the button does; the job runs once the request has committed."""

    def ask(client: Client, name: str = "reviews:roster_export") -> Export:
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(reverse(name)).status_code == 302
        return Export.objects.latest("pk")

    return ask


@pytest.fixture
def storage_refuses(settings, tmp_path) -> None:
    """File storage that cannot take a file: its folder is a plain file."""
    blocked = tmp_path / "blocked"
    blocked.write_text("not a folder")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(blocked)},
        },
    }


def stored(media_root: Path, export: Export) -> Path:
    return media_root / export.file.name


def test_a_ready_export_is_stored_privately_and_listed(ask, manager, media_root):
    client = signed_in(manager)
    export = ask(client)
    assert export.status == Export.Status.READY
    assert export.finished_at is not None
    assert export.file.name.startswith("exports/")
    assert stored(media_root, export).read_bytes().startswith(b"reference,legal_name,")
    page = client.get(reverse("reviews:exports"))
    assert "Refresh" not in page  # nothing waiting: the page stays still
    assert reverse("reviews:export_download", args=[export.pk]) in page.content.decode()


def test_another_manager_cannot_download_my_export(ask, manager, manager2):
    export = ask(signed_in(manager))
    other = signed_in(manager2)
    assert other.get(reverse("reviews:export_download", args=[export.pk])).status_code == 404
    page = other.get(reverse("reviews:exports")).content.decode()
    assert reverse("reviews:export_download", args=[export.pk]) not in page
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.DOCUMENT_DOWNLOAD).exists()


def test_a_reviewer_can_neither_ask_nor_download(ask, manager, reviewer):
    export = ask(signed_in(manager))
    client = signed_in(reviewer)
    assert client.post(reverse("reviews:applications_export")).status_code == 403
    assert client.post(reverse("reviews:roster_export")).status_code == 403
    assert client.get(reverse("reviews:export_download", args=[export.pk])).status_code == 403
    assert Export.objects.count() == 1


def test_the_download_is_audited(ask, manager):
    client = signed_in(manager)
    export = ask(client)
    response = client.get(reverse("reviews:export_download", args=[export.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(b"reference,")  # type: ignore[attr-defined]
    event = AuditEvent.objects.get(action=AuditEvent.Action.DOCUMENT_DOWNLOAD, actor=manager)
    assert (event.object_type, event.object_id) == ("reviews.Export", str(export.pk))
    assert export.download_name in event.summary
    # The request was audited as exports always were.
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.EXPORT, actor=manager, summary__contains="roster"
    ).exists()


def test_a_waiting_export_says_so_and_the_page_reloads_itself(manager):
    client = signed_in(manager)
    # Asked for, but its job has not run (the request's transaction is never committed here).
    export = export_request(user=manager, kind=Export.Kind.APPLICATIONS)
    page = client.get(reverse("reviews:exports"))
    html = page.content.decode()
    assert page["Refresh"] == "5"
    assert "Your export is being prepared" in html
    assert reverse("reviews:export_download", args=[export.pk]) not in html
    # Not ready: no download, even for the manager who asked.
    assert client.get(reverse("reviews:export_download", args=[export.pk])).status_code == 404
    export_build(export_id=export.pk)
    page = client.get(reverse("reviews:exports"))
    assert "Refresh" not in page
    assert reverse("reviews:export_download", args=[export.pk]) in page.content.decode()


def test_a_failed_build_shows_a_failure(ask, manager, storage_refuses, caplog):
    # Run eagerly, the job does not try again: it says at once that it failed.
    client = signed_in(manager)
    export = ask(client)
    assert export.status == Export.Status.FAILED
    assert not export.file
    assert export.finished_at is not None
    html = client.get(reverse("reviews:exports")).content.decode()
    assert "Could not be prepared" in html
    assert "could not be prepared because of a problem on our side" in html
    assert reverse("reviews:export_download", args=[export.pk]) not in html
    assert f"export {export.pk} (roster) could not be built" in caplog.text


def test_a_storage_briefly_away_leaves_the_export_waiting_for_the_next_try(
    manager, storage_refuses
):
    export = export_request(user=manager, kind=Export.Kind.ROSTER)
    with pytest.raises(NotADirectoryError):
        export_build(export_id=export.pk, raise_storage_errors=True)
    export.refresh_from_db()
    assert export.status == Export.Status.WAITING
    assert export.failure_message == ""


def test_a_filter_no_longer_valid_fails_rather_than_exports_more(manager, reviewer):
    export = export_request(
        user=manager, kind=Export.Kind.APPLICATIONS, filters=f"reviewer={reviewer.pk}"
    )
    reviewer.groups.clear()  # no longer a reviewer before the job runs
    built = export_build(export_id=export.pk)
    assert built is not None
    assert built.status == Export.Status.FAILED
    assert "filters of this export have changed" in built.failure_message
    assert not built.file


def test_retention_removes_old_exports_and_their_files(ask, manager, settings, media_root):
    settings.EXPORT_RETENTION_DAYS = 7
    client = signed_in(manager)
    old, recent = ask(client), ask(client)
    old_file, recent_file = stored(media_root, old), stored(media_root, recent)
    assert old_file.exists()
    assert recent_file.exists()
    Export.objects.filter(pk=old.pk).update(requested_at=timezone.now() - timedelta(days=8))
    assert delete_expired_exports.delay().get() == 1
    assert list(Export.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not old_file.exists()
    assert recent_file.exists()


def test_an_expired_export_is_neither_listed_nor_downloaded(ask, manager, settings):
    settings.EXPORT_RETENTION_DAYS = 7
    client = signed_in(manager)
    export = ask(client)
    Export.objects.filter(pk=export.pk).update(requested_at=timezone.now() - timedelta(days=8))
    assert client.get(reverse("reviews:export_download", args=[export.pk])).status_code == 404
    assert f'id="export-{export.pk}"' not in client.get(reverse("reviews:exports")).content.decode()


def test_the_exports_page_runs_a_fixed_number_of_queries(ask, manager):
    client = signed_in(manager)
    url = reverse("reviews:exports")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    ask(client)
    one = queries()
    for name in ("reviews:applications_export", "reviews:roster_export", "reviews:roster_export"):
        ask(client, name)
    export_request(user=manager, kind=Export.Kind.ROSTER)  # one still waiting
    assert queries() == one


def test_an_export_whose_job_was_lost_is_ended_as_failed_and_a_late_job_stores_nothing(manager):
    lost = export_request(user=manager, kind=Export.Kind.ROSTER)  # its job never ran
    recent = export_request(user=manager, kind=Export.Kind.ROSTER)
    Export.objects.filter(pk=lost.pk).update(requested_at=timezone.now() - timedelta(hours=2))

    assert fail_lost_exports.delay().get() == 1

    lost.refresh_from_db()
    recent.refresh_from_db()
    assert lost.status == Export.Status.FAILED
    assert "Ask for it again" in lost.failure_message
    assert recent.status == Export.Status.WAITING
    late = export_build(export_id=lost.pk)  # the lost job, delivered after all
    assert late is not None
    assert late.status == Export.Status.FAILED
    assert not late.file


@pytest.mark.parametrize(
    ("entry", "task"),
    [("expired-exports", delete_expired_exports), ("lost-exports", fail_lost_exports)],
)
def test_the_export_jobs_are_scheduled_for_a_worker_to_find(entry, task):
    from django.conf import settings

    from portal.celery import app as celery_app

    scheduled = settings.CELERY_BEAT_SCHEDULE[entry]["task"]
    celery_app.loader.import_default_modules()  # what a worker does when it starts
    assert scheduled == task.name
    assert scheduled in celery_app.tasks
