"""Checking an applicant's sample file and keeping only its report; making a version current."""

import logging

from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from documents.validators import display_name
from onboarding.data_exchange.readers import UnreadableFile, file_format_of, read_lines
from onboarding.data_exchange.selectors import current_specification
from onboarding.data_exchange.specs import FileKind
from onboarding.data_exchange.validation import CheckResult, ColumnRule, Expected, check_lines
from onboarding.exceptions import OnboardingError
from onboarding.models import (
    Application,
    ApplicationEvent,
    ApplicationStep,
    FileSpecification,
    SampleFileProblem,
    SampleFileReport,
)
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


def sample_file_check(
    *, application: Application, user: User, kind: str, upload: object
) -> SampleFileReport:
    """Check a sample RTF or OTF against the current specification; keep the report, not the file.

    The file is read once, line by line, and never stored: whatever happens, it is closed (which
    deletes a temporary upload) before this returns. Nothing of its content is logged.
    """
    try:
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
    try:
        file_format = file_format_of(upload)
        return check_lines(
            read_lines(upload, file_format), rules_of(specification), label, expected
        ), file_format
    except UnreadableFile as error:
        result = CheckResult()
        result.add(None, "", error.message)
        return result, ""


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
