"""Checking an applicant's sample file and keeping only its report; making a version current.

A check from the applicant's page runs as a background job (``sample_file_check_queue``, then
``sample_file_check_run`` in the worker), so that no web worker is held by a large or crafted
file; ``sample_file_check`` is the check itself.
"""

import logging
import secrets
from functools import partial

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError

from data_exchange import tasks
from data_exchange.models import (
    FileSpecification,
    SampleFileCheck,
    SampleFileProblem,
    SampleFileReport,
)
from data_exchange.readers import (
    ReadLimits,
    UnreadableFile,
    file_format_of,
    read_lines,
)
from data_exchange.selectors import current_specification
from data_exchange.specs import FileKind
from data_exchange.validation import CheckResult, ColumnRule, Expected, check_lines
from data_exchange.xlsx import Limit
from documents.validators import display_name
from onboarding.exceptions import OnboardingError
from onboarding.models import Application, ApplicationEvent, ApplicationStep
from onboarding.services.access import editable_step
from onboarding.services.events import event_record
from portal.models import User

logger = logging.getLogger(__name__)


def rules_of(specification: FileSpecification) -> list[ColumnRule]:
    return [
        ColumnRule(
            name=column.name,
            format=column.format,
            required=column.required,
            codes=tuple(column.code_list),
            member_data=column.member_data,
        )
        for column in specification.columns.all()
    ]


def _discard(upload: object) -> None:
    """Delete the uploaded sample: closing a spooled upload removes its temporary file."""
    close = getattr(upload, "close", None)
    if close is not None:
        close()


def _checkable(
    application: Application, user: User, kind: str, upload: object
) -> FileSpecification:
    """The specification the sample will be checked against, after the checks that cost
    nothing (the step is open to ``user``, the kind, the size); a message otherwise."""
    editable_step(application, ApplicationStep.Kind.DATA_SHARING, user)
    if kind not in FileKind.values:
        raise OnboardingError(_("Choose whether this is a sample RTF or OTF."))
    specification = current_specification(kind)
    if specification is None:
        raise OnboardingError(
            _("The plan has not published a current %(kind)s template yet; try again later.")
            % {"kind": kind.upper()}
        )
    size = getattr(upload, "size", 0) or 0
    limit = settings.DOCUMENT_MAX_UPLOAD_BYTES
    if size > limit:
        raise OnboardingError(
            _(
                "The file is %(size)s; the limit is %(limit)s. A sample needs only a few "
                "hundred lines: upload a shorter one."
            )
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
        )
    return specification


def sample_file_check(
    *, application: Application, user: User, kind: str, upload: object
) -> SampleFileReport:
    """Check a sample RTF or OTF against the current specification; keep the report, not the file.

    The file is read once, line by line, within the limits of ``ReadLimits`` (a file past one
    gets a report saying so), and never stored: whatever happens, it is closed (which deletes a
    temporary upload) before this returns. Nothing of its content is logged.
    """
    try:
        specification = _checkable(application, user, kind, upload)
        name = display_name(getattr(upload, "name", "") or "sample")
        result, file_format = _check(upload, specification, application)
    finally:
        _discard(upload)
    with transaction.atomic():
        report = SampleFileReport.objects.create(
            application=application,
            kind=kind,
            specification=specification,
            file_name=name,
            file_format=file_format,
            line_count=result.line_count,
            problem_count=result.problem_count,
            passed=result.passed,
            checked_by=user,
        )
        SampleFileProblem.objects.bulk_create(
            SampleFileProblem(
                report=report, line=item.line, column=item.column[:200], message=item.message[:500]
            )
            for item in result.problems
        )
        outcome = (
            _("passed")
            if result.passed
            else _("%(n)d problem(s) found") % {"n": result.problem_count}
        )
        event_record(
            application=application,
            kind=ApplicationEvent.Kind.SAMPLE_FILE_CHECKED,
            actor=user,
            detail=f"{specification.short_name}: {outcome}",
        )
    logger.info(
        "sample file checked: application=%s spec=%s lines=%d problems=%d",
        application.pk,
        specification.short_name,
        result.line_count,
        result.problem_count,
    )
    return report


def _check(
    upload: object, specification: FileSpecification, application: Application
) -> tuple[CheckResult, str]:
    profile = application.entity_profile
    expected = Expected(npi=profile.npi, tin=profile.tin)
    label = f"{specification.kind.upper()} (version {specification.version})"
    limits = ReadLimits.from_settings()  # the time counts from here, opening the file included
    try:
        file_format = file_format_of(upload)
        return check_lines(
            read_lines(upload, file_format, limits), rules_of(specification), label, expected
        ), file_format
    except UnreadableFile as error:
        result = CheckResult()
        result.add(None, "", error.message)
        return result, ""


def sample_file_check_queue(
    *, application: Application, user: User, kind: str, upload: File
) -> SampleFileCheck:
    """Keep the sample for its check in a background job, which starts once this commits.

    Only the checks that cost nothing run here. The file waits in the default storage under a
    random name (the upload's own name is never used as a path) until the job ends; the upload
    itself is closed whatever happens. Nothing of its content is logged.
    """
    stored_name = ""
    try:
        _checkable(application, user, kind, upload)
        # Copied, not moved, so that the upload's temporary file is deleted when it is closed
        # below (as when a check is refused); the stored copy lives only until the job ends.
        stored_name = default_storage.save(
            f"sample-checks/{secrets.token_urlsafe(24)}", File(upload.file)
        )
        with transaction.atomic():
            check = SampleFileCheck(
                application=application,
                kind=kind,
                file_name=display_name(upload.name or "sample"),
                stored_name=stored_name,
                requested_by=user,
            )
            check.full_clean()
            check.save()
            transaction.on_commit(partial(sample_file_check_start, check_id=check.pk))
    except BaseException:
        if stored_name:
            _delete_stored(stored_name)
        raise
    finally:
        _discard(upload)
    return check


def sample_file_check_start(*, check_id: int) -> None:
    """Hand the check to a worker (in the embedded default: run it now); if the queue cannot
    be reached, end it with a message rather than leave it waiting for ever."""
    try:
        tasks.sample_file_check_job.delay(check_id)
    except OperationalError:
        logger.warning("sample file check %s could not be queued", check_id)
        check = SampleFileCheck.objects.get(pk=check_id)
        if _delete_stored(check.stored_name):
            check.stored_name = ""
        _finish(
            check,
            report=None,
            failure=_("The check could not be started. Upload the sample again in a few minutes."),
        )


def sample_file_check_run(*, check_id: int) -> SampleFileCheck:
    """Run one queued check (the background job), then delete the file whatever happened.

    A check that is not waiting any more (a job delivered twice) is left as it is. The outcome
    is the report, or a message for the applicant saying why there is none.
    """
    with transaction.atomic():
        check = (
            SampleFileCheck.objects.select_for_update()
            .select_related("application", "requested_by")
            .get(pk=check_id)
        )
        if check.status != SampleFileCheck.Status.QUEUED:
            return check
        check.status = SampleFileCheck.Status.RUNNING
        check.save(update_fields=["status"])
    report = None
    failure = ""
    try:
        with default_storage.open(check.stored_name, "rb") as stored:
            report = sample_file_check(
                application=check.application,
                user=check.requested_by,
                kind=check.kind,
                upload=File(stored, name=check.file_name),
            )
    except OnboardingError as error:
        failure = error.message
    except SoftTimeLimitExceeded:
        failure = ReadLimits.from_settings().past(Limit.SECONDS).message
    except Exception as error:
        # Whatever else failed, the job must end with a message and the file be deleted. Only
        # the kind of error is logged: its text may quote the file.
        logger.error("sample file check %s failed: %s", check.pk, type(error).__name__)
        failure = _(
            "Your sample could not be checked because of a problem on our side. Upload it again; "
            "if this happens again, write to us."
        )
    finally:
        deleted = _delete_stored(check.stored_name)
    if deleted:
        check.stored_name = ""
    return _finish(check, report=report, failure=failure)


def _finish(
    check: SampleFileCheck, *, report: SampleFileReport | None, failure: str
) -> SampleFileCheck:
    check.status = SampleFileCheck.Status.DONE if report else SampleFileCheck.Status.FAILED
    check.report = report
    check.failure_message = failure[:500]
    check.finished_at = timezone.now()
    check.full_clean()
    check.save()
    return check


def _delete_stored(name: str) -> bool:
    """Delete a waiting sample; False (and the name kept on the check) if storage refused."""
    try:
        default_storage.delete(name)
    except Exception as error:  # each storage has its own errors (OSError here, botocore's on S3)
        logger.error("stored sample %s could not be deleted: %s", name, type(error).__name__)
        return False
    return True


@transaction.atomic
def specification_make_current(*, specification: FileSpecification) -> FileSpecification:
    """Make ``specification`` the version samples of its kind are checked against."""
    FileSpecification.objects.filter(kind=specification.kind, is_current=True).exclude(
        pk=specification.pk
    ).update(is_current=False)
    specification.is_current = True
    specification.full_clean()
    specification.save()
    return specification
