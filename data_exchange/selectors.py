"""Reads of file specifications and sample-file reports."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from data_exchange.models import (
    FileSpecification,
    SampleFileCheck,
    SampleFileProblem,
    SampleFileReport,
)
from data_exchange.specs import FileKind
from onboarding.models import Application


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


def sample_file_overview(
    application: Application, *, with_columns: bool = False
) -> list[SampleFileOverview]:
    """Each kind of file with its required version and reports; the same few queries however
    many kinds and reports there are. The applicant's page lists each version's columns."""
    reports = list(reports_of(application))
    current = FileSpecification.objects.filter(is_current=True)
    if with_columns:
        current = current.prefetch_related("columns")
    specifications = {specification.kind: specification for specification in current}
    overview = []
    for kind in FileKind:
        history = [report for report in reports if report.kind == kind]
        overview.append(
            SampleFileOverview(
                kind=kind,
                specification=specifications.get(kind),
                latest=history[0] if history else None,
                history=history,
            )
        )
    return overview


def sample_check_of(application: Application, pk: int) -> SampleFileCheck:
    """One of the application's sample checks (the application already scoped to the person);
    a 404 for any other."""
    return get_object_or_404(application.sample_checks.select_related("report"), pk=pk)
