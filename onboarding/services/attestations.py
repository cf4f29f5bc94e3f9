"""Writes of the attestation step beyond the criteria: partners and the capacity table."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from onboarding.exceptions import OnboardingError
from onboarding.models import (
    Application,
    ApplicationStep,
    CommunityPartner,
    PopulationCapacity,
    PopulationServed,
)
from onboarding.reference import County, PopulationOfFocus
from onboarding.services.access import editable_step
from onboarding.services.steps import assign_validated, draft_saved
from portal.models import User

Kind = ApplicationStep.Kind


@transaction.atomic
def community_partner_save(
    *,
    application: Application,
    user: User,
    data: dict[str, Any],
    partner: CommunityPartner | None = None,
) -> CommunityPartner:
    """Add or change a criterion-5 partner; its document must be one of this step's uploads."""
    editable_step(application, Kind.ATTESTATIONS, user)
    document = data.get("document")
    if document is not None and (
        document.application_id != application.pk or document.step_kind != Kind.ATTESTATIONS
    ):
        raise OnboardingError(_("Choose one of the documents uploaded to this section."))
    partner = partner or CommunityPartner(application=application)
    assign_validated(partner, data, ["kind", "organization_name", "agreement_kind", "document"])
    draft_saved(
        application,
        Kind.ATTESTATIONS,
        user,
        _("Partner: %(name)s") % {"name": partner.organization_name},
    )
    return partner


@transaction.atomic
def community_partner_remove(*, partner: CommunityPartner, user: User) -> None:
    editable_step(partner.application, Kind.ATTESTATIONS, user)
    partner.delete()
    draft_saved(partner.application, Kind.ATTESTATIONS, user, _("Partner removed"))


@transaction.atomic
def capacity_table_save(
    *,
    application: Application,
    user: User,
    populations: dict[str, int],
    capacities: dict[str, dict[str, int]],
) -> None:
    """Replace the populations served (code → years) and the capacity (code → county → members).

    Rows are changed in place where they already exist, so their history shows what changed.
    """
    editable_step(application, Kind.ATTESTATIONS, user)
    for code in [*populations, *capacities]:
        if code not in PopulationOfFocus.values:
            raise OnboardingError(_("Unknown population of focus: %(code)s.") % {"code": code})
    for code, figures in capacities.items():
        if code not in populations:
            raise OnboardingError(
                _("Tick population %(code)s if you serve it, or clear its capacity figures.")
                % {"code": code}
            )
        for county, members in figures.items():
            if county not in County.values or members < 0:
                raise OnboardingError(
                    _("Check the capacity figures for %(code)s.") % {"code": code}
                )
    served = {row.population: row for row in application.populations.all()}
    for code, served_row in served.items():
        if code not in populations:
            served_row.delete()
    for code, years in populations.items():
        population = served.get(code) or PopulationServed(application=application, population=code)
        if population.pk is None or population.years_experience != years:
            assign_validated(population, {"years_experience": years}, ["years_experience"])
    wanted = {
        (code, county): n for code, row in capacities.items() for county, n in row.items() if n
    }
    existing = {(c.population, c.county): c for c in application.capacities.all()}
    for key, capacity in existing.items():
        if key not in wanted:
            capacity.delete()
    for (code, county), members in wanted.items():
        capacity = existing.get((code, county)) or PopulationCapacity(
            application=application, population=code, county=county
        )
        if capacity.pk is None or capacity.member_capacity != members:
            assign_validated(capacity, {"member_capacity": members}, ["member_capacity"])
    draft_saved(application, Kind.ATTESTATIONS, user, _("Populations of focus and capacity"))
