"""The network managers' CSV exports: asked for in a request, built by a background job into the
documents' private storage, downloaded by the manager who asked, deleted when they expire.

Building every application as CSV takes a few tenths of a second of CPU per thousand
applications; in a web request that time held a web worker (and its Python lock) while other
people's pages waited. The request now only records what was asked for.
"""

import logging
import tempfile
import traceback
from collections.abc import Iterator
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError

from portal.audit import audit_record
from portal.models import AuditEvent, User
from reviews import tasks
from reviews.exports import (
    APPLICATION_HEADER,
    ROSTER_HEADER,
    application_rows,
    csv_write,
    roster_applications,
    roster_rows,
)
from reviews.models import Export
from reviews.queues import WorkbenchFilterForm, applications_filtered
from reviews.services.workbench import export_record

logger = logging.getLogger(__name__)

# What the audit trail calls each export (the words it has always used).
AUDIT_NAMES = {
    Export.Kind.APPLICATIONS: "Applications export",
    Export.Kind.ROSTER: "Provider roster export",
}


def export_request(*, user: User, kind: str, filters: str = "") -> Export:
    """Record that ``user`` asks for an export and hand its building to a background job, which
    starts once this commits (in the embedded default: at once, so it is ready when the page of
    exports shows). ``filters`` is the applications list's query string; the roster has none.

    The request is put in the audit trail as exports always were: who took which data, with which
    filters.
    """
    with transaction.atomic():
        export = Export(
            kind=kind,
            filters=filters if kind == Export.Kind.APPLICATIONS else "",
            requested_by=user,
        )
        export.full_clean()
        export.save()
        export_record(user=user, what=AUDIT_NAMES[Export.Kind(kind)], filters=export.filters)
        transaction.on_commit(partial(export_start, export_id=export.pk))
    return export


def export_start(*, export_id: int) -> None:
    """Hand the export to a worker; if the queue cannot be reached, end it with a message rather
    than leave it waiting for ever."""
    try:
        tasks.build_export.delay(export_id)
    except OperationalError:
        logger.warning("export %s could not be queued", export_id)
        Export.objects.filter(pk=export_id, status=Export.Status.WAITING).update(
            status=Export.Status.FAILED,
            finished_at=timezone.now(),
            failure_message=_(
                "The export could not be started. Ask for it again in a few minutes."
            ),
        )


def _rows(form: WorkbenchFilterForm | None) -> tuple[list[str], Iterator[list[object]]]:
    """The header and rows of the roster (no ``form``), or of the applications ``form`` filters."""
    if form is None:
        return ROSTER_HEADER, roster_rows(roster_applications())
    filters = form.filters()
    filters.pop("page", None)
    return APPLICATION_HEADER, application_rows(applications_filtered(filters))


def export_build(*, export_id: int, raise_storage_errors: bool = False) -> Export | None:
    """Build a waiting export's CSV into storage and mark it ready (the background job).

    The file is written to a temporary file first and then copied to storage in chunks, so memory
    holds neither the rows nor the file. Any failure marks the export failed with a message the
    manager understands, and is logged without the file's content (nor the error's text). With
    ``raise_storage_errors`` a storage that is briefly away raises instead (the job tries again
    later) and the export stays waiting. An export not waiting any more (a job delivered twice)
    is left as it is; one deleted meanwhile gives None.
    """
    export = Export.objects.filter(pk=export_id).first()
    if export is None or not export.is_waiting:
        return export
    form = (
        WorkbenchFilterForm.for_applications(QueryDict(export.filters))
        if export.kind == Export.Kind.APPLICATIONS
        else None
    )
    if form is not None and not form.is_valid():
        # A filter that was valid when asked for (the reviewer's role, an entity type) is not
        # any more: leaving it out would export more than the manager asked for.
        return _finish(
            export,
            failure=_(
                "The filters of this export have changed since you asked for it. Ask for it "
                "again from the list of applications."
            ),
        )
    try:
        with tempfile.TemporaryFile() as spool:
            header, rows = _rows(form)
            row_count = csv_write(spool, header, rows)
            spool.seek(0)
            export.file.save(export.download_name, File(spool), save=False)
    except Exception as error:
        if raise_storage_errors and isinstance(error, tasks.STORAGE_ERRORS):
            raise
        # The kind of error and where it happened; not its text, which may quote a row.
        logger.error(
            "export %s (%s) could not be built: %s\n%s",
            export.pk,
            export.kind,
            type(error).__name__,
            "".join(traceback.format_tb(error.__traceback__)),
        )
        return _finish(
            export,
            failure=_(
                "This export could not be prepared because of a problem on our side. "
                "Ask for it again; if it fails again, tell the portal's support team."
            ),
        )
    return _finish(export, stored_name=export.file.name, row_count=row_count)


def _finish(
    export: Export, *, stored_name: str = "", row_count: int | None = None, failure: str = ""
) -> Export | None:
    """Record the outcome, unless another delivery of the job recorded one first (then the file
    this one stored is deleted: only one file per export)."""
    with transaction.atomic():
        current = Export.objects.select_for_update().filter(pk=export.pk).first()
        if current is None or not current.is_waiting:
            if stored_name:
                _delete_stored(export, stored_name)
            return current
        current.status = Export.Status.FAILED if failure else Export.Status.READY
        current.file.name = stored_name
        current.row_count = row_count
        current.failure_message = failure[:500]
        current.finished_at = timezone.now()
        current.full_clean()
        current.save()
    return current


def export_download_record(*, export: Export, user: User) -> None:
    """Put the download of an export in the audit trail, as document downloads are: who took
    which file (its name and row count, never its content)."""
    audit_record(
        action=AuditEvent.Action.DOCUMENT_DOWNLOAD,
        actor=user,
        target=export,
        summary=f"{AUDIT_NAMES[Export.Kind(export.kind)]} downloaded: {export.download_name} "
        f"({export.row_count} rows) {export.filters}",
    )


# An export still waiting this long after it was asked for was lost (a worker killed while
# building it, a queue emptied): the job's retries are over long before.
EXPORT_LOST_AFTER = timedelta(hours=1)


def exports_fail_lost() -> int:
    """End every export waiting longer than ``EXPORT_LOST_AFTER`` as failed, so that its manager
    is told to ask again rather than shown it being prepared (the job every 15 minutes); returns
    how many. A job that does run later finds the export no longer waiting and stores nothing."""
    return Export.objects.filter(
        status=Export.Status.WAITING, requested_at__lt=timezone.now() - EXPORT_LOST_AFTER
    ).update(
        status=Export.Status.FAILED,
        finished_at=timezone.now(),
        failure_message=_(
            "This export was not prepared in time because of a problem on our side. Ask for it "
            "again."
        ),
    )


def exports_delete_expired() -> int:
    """Delete every export asked for more than ``EXPORT_RETENTION_DAYS`` ago, its stored file
    first (the daily job); returns how many were deleted. An export whose file storage refused
    to delete is kept, and tried again on the next run."""
    cutoff = timezone.now() - timedelta(days=settings.EXPORT_RETENTION_DAYS)
    deleted = 0
    for export in Export.objects.filter(requested_at__lt=cutoff).order_by("pk").iterator():
        if export.file and not _delete_stored(export, export.file.name):
            continue
        export.delete()
        deleted += 1
    return deleted


def _delete_stored(export: Export, name: str) -> bool:
    """Delete a stored export file; False (the export is kept) if storage refused."""
    try:
        export.file.storage.delete(name)
    except Exception as error:  # each storage has its own errors (OSError here, botocore's on S3)
        logger.error(
            "export %s: its file could not be deleted: %s", export.pk, type(error).__name__
        )
        return False
    return True
