"""Reads of file specifications and sample-file reports."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from onboarding.data_exchange.specs import FileKind
from onboarding.models import (
    Application,
    FileSpecification,
    SampleFileProblem,
    SampleFileReport,
)


def current_specification(kind: str) -> FileSpecification | None:
    """The version of the RTF or OTF template that samples are checked against now."""
    return (
        FileSpecification.objects.filter(kind=kind, is_current=True)
        .prefetch_related("columns")
        .first()
    )


def reports_of(application: Application) -> QuerySet[SampleFileReport]:
    """The application's sample-file reports, newest first, with their problems."""
    return (
        application.sample_reports.select_related("specification", "checked_by")
        .prefetch_related(Prefetch("problems", queryset=SampleFileProblem.objects.order_by("pk")))
        .order_by("-checked_at", "-pk")
    )


def latest_reports(application: Application) -> dict[str, SampleFileReport | None]:
    """The newest report of each kind of file (None when no sample of that kind was checked)."""
    latest: dict[str, SampleFileReport | None] = dict.fromkeys(FileKind)
    for kind in FileKind:
        latest[kind] = reports_of(application).filter(kind=kind).first()
    return latest


@dataclass(frozen=True)
class SampleFileOverview:
    """One kind of file: the version required now, the latest report and every earlier one."""

    kind: FileKind
    specification: FileSpecification | None
    latest: SampleFileReport | None
    history: list[SampleFileReport]

    @property
    def label(self) -> str:
        return str(self.kind.label)


def sample_file_overview(application: Application) -> list[SampleFileOverview]:
    latest = latest_reports(application)
    history = list(application.sample_reports.select_related("specification", "checked_by"))
    return [
        SampleFileOverview(
            kind=kind,
            specification=current_specification(kind),
            latest=latest[kind],
            history=[report for report in history if report.kind == kind],
        )
        for kind in FileKind
    ]
