"""What a step's summary shows: the applicant sees it on the step, the reviewer on the record."""

from typing import Any

from onboarding.attestation_forms import CapacityTotals, capacity_totals
from onboarding.attested_content import prefetch_attested_content, signature_state
from onboarding.models import Application, ApplicationStep, PopulationCapacity


def capacity_table_totals(capacities: list[PopulationCapacity]) -> CapacityTotals:
    """The totals of the capacity table by population and by county."""
    table: dict[str, dict[str, int]] = {}
    for row in capacities:
        table.setdefault(row.population, {})[row.county] = row.member_capacity
    return capacity_totals(table)


def attestation_context(application: Application) -> dict[str, Any]:
    """What the attestation step and its summaries show (the rows are read once, see
    ``prefetch_attested_content``)."""
    prefetch_attested_content(application)
    capacities = list(application.capacities.all())
    return {
        "attestation": application.capability_attestation,
        "criteria": application.criterion_attestations.all(),
        "care_team": application.care_team.all(),
        "partners": application.community_partners.all(),
        "populations": application.populations.all(),
        "capacities": capacities,
        "capacity_totals": capacity_table_totals(capacities),
        "signature": signature_state(application, ApplicationStep.Kind.ATTESTATIONS),
    }
