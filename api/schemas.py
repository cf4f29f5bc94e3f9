"""What the API answers, as pydantic schemas: the OpenAPI document is generated from these.

Only what the plan's systems need to know of a provider is here: no TIN (a sole proprietor's
may be an SSN), no people's dates of birth or SSNs, no review notes or decision reasons, no
member data.
"""

from datetime import date, datetime
from typing import Any

from ninja import Schema
from pydantic import Field, field_validator

from onboarding.models import Application, ApplicationStep
from onboarding.reference import County, PopulationOfFocus


class Error(Schema):
    detail: str = Field(description="Why the request was refused.")


class ValidationErrors(Schema):
    detail: list[dict[str, Any]] = Field(description="Each parameter refused, and why.")


class StepStatus(Schema):
    kind: ApplicationStep.Kind
    status: ApplicationStep.Status


class ApplicationStatus(Schema):
    reference: str = Field(examples=["ECM-000123"])
    status: Application.Status
    status_label: str
    organization: str = Field(description="The applying organization's legal name.")
    npi: str = Field(description="The organizational NPI, empty until the applicant gives it.")
    renews: str | None = Field(
        description="For a recredentialing: the reference of the provider record it renews."
    )
    submitted_at: datetime | None
    decided_at: datetime | None
    effective_date: date | None
    recredentialing_due_on: date | None = Field(
        description="For a provider: the day its next recredentialing is due."
    )
    steps: list[StepStatus]


class ApplicationStatusList(Schema):
    items: list[ApplicationStatus]


class Capacity(Schema):
    population: PopulationOfFocus
    county: County
    member_capacity: int = Field(ge=0)


class RosterEntry(Schema):
    reference: str = Field(examples=["ECM-000123"])
    legal_name: str
    dba_name: str
    npi: str
    medi_cal_provider_number: str
    entity_types: list[str] = Field(description="Codes of the ECM entity types.")
    counties: list[County]
    status: Application.Status
    status_label: str
    effective_date: date | None
    recredentialing_due_on: date | None
    capacity: list[Capacity] = Field(description="Members it can serve, by population and county.")
    total_capacity: int = Field(ge=0)


class RosterPage(Schema):
    items: list[RosterEntry]
    next_after: str | None = Field(
        description="Pass as `after` for the next page; null on the last page."
    )


class ProviderChange(Schema):
    changed_at: datetime
    change: str = Field(description="What happened, as a code (see the API guide).")
    change_label: str
    provider: RosterEntry = Field(description="The provider as it stands now.")


class ChangesPage(Schema):
    items: list[ProviderChange]
    cursor: str = Field(
        pattern=r"^[0-9]{1,16}-[0-9]{1,18}$",
        description="Where this page ends. Pass it as `cursor` for the next page, and keep it "
        "to resume later: it is valid on the last page too.",
    )
    has_more: bool


class ChangesQuery(Schema):
    since: datetime | None = Field(
        None,
        description="Changes made at or after this time (ISO 8601; without a time zone, "
        "plan time). Ignored when `cursor` is given. Without either, from the beginning.",
    )
    cursor: str | None = Field(
        None,
        description="The `cursor` of an earlier page.",
        pattern=r"^[0-9]{1,16}-[0-9]{1,18}$",
    )
    limit: int = Field(100, ge=1, le=500)

    @field_validator("since", mode="before")
    @classmethod
    def since_is_a_date_and_time(cls, value: object) -> object:
        """Pydantic would read a bare number as seconds since 1970; only ISO 8601 is asked."""
        if isinstance(value, int | float) or (
            isinstance(value, str) and value.strip().lstrip("+-").replace(".", "", 1).isdigit()
        ):
            raise ValueError("since must be an ISO 8601 date and time")
        return value


class RosterQuery(Schema):
    after: str | None = Field(
        None,
        description="The `next_after` of the previous page, e.g. ECM-000123.",
        pattern=r"^ECM-[0-9]{1,18}$",
    )
    limit: int = Field(100, ge=1, le=500)


def application_status_of(application: Application) -> ApplicationStatus:
    profile = getattr(application, "entity_profile", None)
    return ApplicationStatus(
        reference=application.reference,
        status=Application.Status(application.status),
        status_label=str(application.get_status_display()),
        organization=application.organization.legal_name,
        npi=profile.npi if profile else "",
        renews=application.renews.reference if application.renews else None,
        submitted_at=application.submitted_at,
        decided_at=application.decided_at,
        effective_date=application.effective_date,
        recredentialing_due_on=application.recredentialing_due_on,
        steps=[
            StepStatus(
                kind=ApplicationStep.Kind(step.kind), status=ApplicationStep.Status(step.status)
            )
            for step in application.steps.all()
        ],
    )


def roster_entry_of(application: Application) -> RosterEntry:
    """One provider of the roster; its entity profile, counties and capacities prefetched."""
    profile = getattr(application, "entity_profile", None)
    capacities = [
        Capacity(
            population=PopulationOfFocus(c.population),
            county=County(c.county),
            member_capacity=c.member_capacity,
        )
        for c in application.capacities.all()
    ]
    return RosterEntry(
        reference=application.reference,
        legal_name=(profile.legal_name if profile else "") or application.organization.legal_name,
        dba_name=profile.dba_name if profile else "",
        npi=profile.npi if profile else "",
        medi_cal_provider_number=profile.medi_cal_provider_number if profile else "",
        entity_types=sorted(t.code for t in profile.entity_types.all()) if profile else [],
        counties=[County(c.county) for c in profile.counties.all()] if profile else [],
        status=Application.Status(application.status),
        status_label=str(application.get_status_display()),
        effective_date=application.effective_date,
        recredentialing_due_on=application.recredentialing_due_on,
        capacity=capacities,
        total_capacity=sum(c.member_capacity for c in capacities),
    )
