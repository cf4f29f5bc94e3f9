"""The parts of an application's record on the staff pages, and the rows each one shows.

The record is shown in parts: the progress, each step's section, the documents, the decisions,
the welcome packet and the timeline. Each part names the tables of the record it shows
(``shows``; of the application's own row, the steps and the packet show their status only as
whether it is among some statuses), what of the application it is read with, and what its
template is given. Its rendering is kept under a stamp of those rows alone (``part_stamps``), so
a change re-renders only the parts that show what changed: a claim adds an event, and only the
timeline (and, on the application's first claim, the progress, which shows its status) is read
again.

``tests/reviews/test_record_cache.py`` renders each part on its own and fails if it reads a
table its stamp does not cover, or if a part shows more of the status than its stamp holds.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, Prefetch, prefetch_related_objects
from django.shortcuts import get_object_or_404

from data_exchange.models import FileSpecification, SampleFileProblem, SampleFileReport
from disclosures.models import (
    Conviction,
    DisclosedParty,
    Disclosure,
    FamilyRelationship,
    OtherInterest,
    OwnershipInterest,
)
from documents.models import Document, PacketDelivery, WelcomePacket
from documents.selectors import latest_delivery
from onboarding.models import (
    Application,
    ApplicationEvent,
    ApplicationStep,
    CapabilityAttestation,
    CareTeamMember,
    CommunityPartner,
    CriterionAttestation,
    DataSharingProfile,
    EntityProfile,
    EntityType,
    Organization,
    PopulationCapacity,
    PopulationServed,
    ServiceCounty,
)
from onboarding.progress import progress_of
from onboarding.selectors import (
    ATTESTATION_LISTS,
    DOCUMENTS_WITH_UPLOADER,
    ENTITY_LISTS,
    application_events,
)
from onboarding.steps import StepDefinition, step_definitions
from reviews.models import AcceptedItem, Deficiency, ReviewDecision
from reviews.record_version import (
    Rows,
    RowsStamp,
    application_shown_as,
    digest,
    record_rows,
)
from reviews.selectors import decisions_of
from screening.models import ScreeningResult

Context = Callable[[Application], dict[str, Any]]


@dataclass(frozen=True, eq=False)  # each part is itself alone
class RecordPart:
    """One part of the record: its template, the record's tables it shows, what of the
    application it is read with (``select``: one-to-one records; ``prefetch``: lists) and what
    its template is given."""

    name: str
    template: str
    shows: tuple[type[Model] | Rows, ...]  # a model: all its rows of the record
    context: Context
    select: tuple[str, ...] = ()
    prefetch: tuple[str | Prefetch, ...] = ()
    # What it shows depends on the day as well as on its rows (the day is in its key).
    dated: bool = False
    rows: tuple[Rows, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "rows", record_rows(self.shows))

    @property
    def shows_application(self) -> bool:
        """Whether the part shows anything of the application's own row."""
        return any(rows.model is Application for rows in self.rows)

    def context_of(self, application: Application) -> dict[str, Any]:
        """What the part's template is given of ``application`` (read by
        ``record_for_parts``): the application itself only if the part shows its row."""
        shown = {"application": application} if self.shows_application else {}
        return {**shown, **self.context(application)}


# Of the application's own row, a step's section shows its status only as whether it is a
# provider (whose signatures are checked against its last recredentialing), and the welcome
# packet only whether it is in the network: a first claim, which puts the application in review,
# renders neither again.
AS_PROVIDER_OR_NOT = application_shown_as(whether_among=Application.PROVIDER_STATUSES)
AS_IN_NETWORK_OR_NOT = application_shown_as(whether_among=Application.IN_NETWORK_STATUSES)


# What each step's section shows, besides the application (``AS_PROVIDER_OR_NOT``).
_STEP_SHOWS: dict[str, tuple[type[Model], ...]] = {
    ApplicationStep.Kind.ENTITY: (
        EntityProfile,
        EntityProfile.entity_types.through,
        EntityType,
        ServiceCounty,
        Disclosure,
        DisclosedParty,
        OwnershipInterest,
        FamilyRelationship,
        OtherInterest,
        Conviction,
        ScreeningResult,
        Document,  # what the signature covers
    ),
    ApplicationStep.Kind.ATTESTATIONS: (
        CapabilityAttestation,
        CriterionAttestation,
        CareTeamMember,
        CommunityPartner,
        PopulationServed,
        PopulationCapacity,
        Document,
    ),
    ApplicationStep.Kind.DATA_SHARING: (
        DataSharingProfile,
        SampleFileReport,
        SampleFileProblem,
        FileSpecification,
        Document,  # what the signature covers
    ),
}
_STEP_SELECT: dict[str, tuple[str, ...]] = {
    ApplicationStep.Kind.ENTITY: ("entity_profile", "disclosure"),
    ApplicationStep.Kind.ATTESTATIONS: ("capability_attestation",),
    ApplicationStep.Kind.DATA_SHARING: ("data_sharing",),
}
_STEP_PREFETCH: dict[str, tuple[str, ...]] = {
    ApplicationStep.Kind.ENTITY: ENTITY_LISTS,
    ApplicationStep.Kind.ATTESTATIONS: ATTESTATION_LISTS,
}


def _step_part(definition: StepDefinition) -> RecordPart:
    def context(application: Application) -> dict[str, Any]:
        return {"definition": definition, **definition.review_context(application)}

    return RecordPart(
        name=f"step-{definition.slug}",
        template="reviews/_record_step.html",
        shows=(AS_PROVIDER_OR_NOT, Organization, *_STEP_SHOWS[definition.kind]),
        context=context,
        select=("organization", *_STEP_SELECT[definition.kind]),
        prefetch=_STEP_PREFETCH.get(definition.kind, ()),
        # The disclosure flags the convictions of the last so many years.
        dated=definition.kind == ApplicationStep.Kind.ENTITY,
    )


PROGRESS = RecordPart(
    name="progress",
    template="includes/progress.html",
    shows=(Application, ApplicationStep, PacketDelivery),
    context=lambda application: {"progress": progress_of(application)},
    prefetch=("steps",),
)
STEPS = tuple(_step_part(definition) for definition in step_definitions())
# What the history shows: the documents, the decisions, the welcome packet and the timeline.
HISTORY = (
    RecordPart(
        name="documents",
        template="reviews/_record_documents.html",
        shows=(Document,),
        context=lambda application: {"documents": application.documents.all()},
        prefetch=(DOCUMENTS_WITH_UPLOADER,),
    ),
    RecordPart(
        name="decisions",
        template="reviews/_record_decisions.html",
        shows=(ReviewDecision, Deficiency, AcceptedItem),
        context=lambda application: {"decisions": decisions_of(application)},
    ),
    RecordPart(
        name="packet",
        template="reviews/_record_packet.html",
        shows=(AS_IN_NETWORK_OR_NOT, PacketDelivery, WelcomePacket),
        context=lambda application: {"delivery": latest_delivery(application)},
    ),
    RecordPart(
        name="timeline",
        template="includes/timeline.html",
        shows=(ApplicationEvent,),
        context=lambda application: {"events": application_events(application)},
    ),
)
RECORD_PARTS: tuple[RecordPart, ...] = (PROGRESS, *STEPS, *HISTORY)

# Every part's rows, stamped by one statement.
_STAMPED: tuple[Rows, ...] = tuple(
    dict.fromkeys(rows for part in RECORD_PARTS for rows in part.rows)
)
record_stamps = RowsStamp("record_parts", _STAMPED, "bigint")
"""The stamps of every part's rows, for an application (its id), as committed now."""


def part_stamps(application_pk: int) -> dict[RecordPart, str] | None:
    """A short stamp of each part's rows as committed now (one statement); None where the
    database keeps no row versions."""
    stamps = record_stamps.each(application_pk)
    if stamps is None:
        return None
    by_rows = dict(zip(_STAMPED, stamps, strict=True))
    return {part: digest(by_rows[rows] for rows in part.rows) for part in RECORD_PARTS}


def record_for_parts(application_pk: int, parts: Iterable[RecordPart]) -> Application:
    """The application read with what ``parts`` show of it. Where none of them shows the
    application's own row (the history's parts), it is not read: only its lists are."""
    parts = list(parts)
    select = list(dict.fromkeys(name for part in parts for name in part.select))
    prefetch = list(dict.fromkeys(lookup for part in parts for lookup in part.prefetch))
    if not any(part.shows_application for part in parts):
        application = Application(pk=application_pk)  # its lists' key; the part shows no more
        prefetch_related_objects([application], *prefetch)
        return application
    record = Application.objects.select_related(*select) if select else Application.objects
    return get_object_or_404(record.prefetch_related(*prefetch), pk=application_pk)
