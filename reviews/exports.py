"""CSV exports for the plan's own systems: filtered applications, and the approved provider roster.

Rows are streamed as they are read (a few thousand at a time), so an export of every application
never sits whole in memory. Every cell is neutralised against spreadsheet formula injection.
"""

import csv
from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.db.models import Prefetch, QuerySet
from django.http import StreamingHttpResponse

from onboarding.models import (
    Application,
    ApplicationStep,
    CareTeamMember,
    EntityProfile,
    EntityType,
    PopulationCapacity,
    ServiceCounty,
)
from providers.selectors import has_open_compliance_issue
from reviews.models import ReviewWork
from reviews.queues import OWNER_NAME

CHUNK = 2000
FORMULA_STARTS = {"=", "+", "-", "@", "\t", "\r"}


def cell(value: object) -> str:
    """Spreadsheet programs run cells starting with = + - @ as formulas; keep them as text."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in FORMULA_STARTS else text


class Echo:
    """A file-like object whose ``write`` hands the line back, for streaming ``csv.writer``."""

    def write(self, value: str) -> str:
        return value


def csv_lines(writer: Any, header: list[str], rows: Iterable[list[object]]) -> Iterator[str]:
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow([cell(value) for value in row])


def csv_response(
    header: list[str], rows: Iterable[list[object]], filename: str
) -> StreamingHttpResponse:
    """A streamed CSV download of ``rows`` under ``header``, each cell neutralised."""
    response = StreamingHttpResponse(
        csv_lines(csv.writer(Echo()), header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_write(out: IO[bytes], header: list[str], rows: Iterable[list[object]]) -> int:
    """Write the CSV of ``rows`` to ``out`` a line at a time, byte for byte what ``csv_response``
    streams (UTF-8, each cell neutralised); returns the number of rows written. The background
    job that builds an export writes it this way into a temporary file, never whole in memory."""
    lines = 0  # csv_lines gives the header, then one string per row (new lines in cells too)
    for line in csv_lines(csv.writer(Echo()), header, rows):
        out.write(line.encode("utf-8"))
        lines += 1
    return lines - 1


APPLICATION_HEADER = [
    "reference",
    "organization",
    "status",
    "entity_types",
    "counties",
    "populations_of_focus",
    "entity_step",
    "attestations_step",
    "data_sharing_step",
    "open_reviews",
    "reviewers",
    "next_due_on",
    "created_at",
    "submitted_at",
    "decided_at",
]


def application_rows(applications: QuerySet[Application]) -> Iterator[list[object]]:
    """The export's rows, a few thousand applications at a time. Each table gives only the
    columns a row shows, and the related rows are kept as lists (``to_attr``): most of an
    export's time went to loading timestamps it never shows and to a queryset made for each
    application's related rows."""
    applications = (
        applications.select_related("organization")
        .only("status", "created_at", "submitted_at", "decided_at", "organization__legal_name")
        .prefetch_related(
            Prefetch(
                "entity_profile",
                queryset=EntityProfile.objects.only("application_id").prefetch_related(
                    Prefetch("entity_types", EntityType.objects.only("name"), to_attr="types"),
                    Prefetch(
                        "counties",
                        ServiceCounty.objects.only("profile_id", "county"),
                        to_attr="county_rows",
                    ),
                ),
            ),
            Prefetch(
                "capacities",
                PopulationCapacity.objects.only("application_id", "population"),
                to_attr="capacity_rows",
            ),
            Prefetch(
                "steps",
                ApplicationStep.objects.only("application_id", "kind", "status"),
                to_attr="step_rows",
            ),
            Prefetch(
                "review_work",
                queryset=ReviewWork.objects.filter(is_open=True)
                .select_related("owner")
                .only("application_id", "stage", "due_on", *OWNER_NAME),
                to_attr="open_work",
            ),
        )
    )
    for a in applications.iterator(chunk_size=CHUNK):
        profile = getattr(a, "entity_profile", None)
        steps = {s.kind: s.get_status_display() for s in a.step_rows}
        work: list[ReviewWork] = a.open_work
        yield [
            a.reference,
            a.organization.legal_name,
            a.get_status_display(),
            "; ".join(t.name for t in profile.types) if profile else "",
            "; ".join(c.get_county_display() for c in profile.county_rows) if profile else "",
            "; ".join(sorted({c.population for c in a.capacity_rows})),
            steps.get(ApplicationStep.Kind.ENTITY, ""),
            steps.get(ApplicationStep.Kind.ATTESTATIONS, ""),
            steps.get(ApplicationStep.Kind.DATA_SHARING, ""),
            "; ".join(str(w.get_stage_display()) for w in work),
            "; ".join(w.owner.display_name for w in work if w.owner),
            min((w.due_on for w in work), default=""),
            a.created_at.isoformat(),
            a.submitted_at.isoformat() if a.submitted_at else "",
            a.decided_at.isoformat() if a.decided_at else "",
        ]


ROSTER_HEADER = [
    "reference",
    "legal_name",
    "dba_name",
    "npi",
    "tin",
    "medi_cal_provider_number",
    "entity_types",
    "counties",
    "populations_of_focus",
    "member_capacity",
    "languages",
    "service_address",
    "authorized_official",
    "contact_name",
    "contact_email",
    "contact_phone",
    "ecm_director",
    "status",
    "effective_date",
    "compliance",
    "recredentialing_due_on",
]


def roster_applications() -> QuerySet[Application]:
    """Every provider the plan approved: the roster the plan's provider-data systems take in,
    with its status (active, suspended, terminated) in a column of its own."""
    return Application.objects.filter(status__in=Application.PROVIDER_STATUSES).order_by("pk")


def roster_rows(applications: QuerySet[Application]) -> Iterator[list[object]]:
    applications = (
        applications.annotate(out_of_compliance=has_open_compliance_issue())
        .select_related("organization", "entity_profile", "capability_attestation")
        .prefetch_related(
            "entity_profile__entity_types",
            "entity_profile__counties",
            "capacities",
            Prefetch(
                "care_team",
                queryset=CareTeamMember.objects.filter(role="ecm_director"),
                to_attr="directors",
            ),
        )
    )
    for a in applications.iterator(chunk_size=CHUNK):
        profile = a.entity_profile
        capacities = list(a.capacities.all())
        attestation = getattr(a, "capability_attestation", None)
        yield [
            a.reference,
            profile.legal_name or a.organization.legal_name,
            profile.dba_name,
            profile.npi,
            profile.tin,
            profile.medi_cal_provider_number,
            "; ".join(t.name for t in profile.entity_types.all()),
            "; ".join(c.get_county_display() for c in profile.counties.all()),
            "; ".join(sorted({c.population for c in capacities})),
            sum(c.member_capacity for c in capacities),
            attestation.languages_offered if attestation else "",
            profile.service_address,
            f"{profile.official_name}, {profile.official_title}".strip(", "),
            profile.contact_name,
            profile.contact_email,
            profile.contact_phone,
            "; ".join(m.full_name for m in a.directors),
            a.get_status_display(),
            a.effective_date.isoformat() if a.effective_date else "",
            "out of compliance" if a.out_of_compliance else "in compliance",
            a.recredentialing_due_on.isoformat() if a.recredentialing_due_on else "",
        ]
