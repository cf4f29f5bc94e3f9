"""The applicant's pages of the attestation step: care team, partners, populations and capacity."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from onboarding.attestation_forms import (
    CapacityTableForm,
    CareTeamMemberForm,
    CommunityPartnerForm,
    capacity_totals,
)
from onboarding.exceptions import OnboardingError
from onboarding.models import Application, PopulationCapacity
from onboarding.reference import County
from onboarding.selectors import (
    application_for_applicant,
    capacity_rows,
    care_team_member_of,
    community_partner_of,
)
from onboarding.services import steps as step_services
from onboarding.services.attestations import (
    capacity_table_save,
    community_partner_remove,
    community_partner_save,
)
from onboarding.summaries import capacity_table_totals
from onboarding.views.removal import removal_confirm
from portal.models import User


def _capacity_counties(application: Application, capacities: list[PopulationCapacity]) -> list[str]:
    """The columns of the capacity table: the counties served, and any already given."""
    codes = set(application.entity_profile.county_codes)
    codes |= {row.county for row in capacities}
    return [c for c in County.values if c in codes]


@login_required
def capacity_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The table of populations of focus by county, with totals computed as the applicant types."""
    user: User = request.user  # type: ignore[assignment]
    application = application_for_applicant(user, pk)
    populations, capacities = capacity_rows(application)
    counties = _capacity_counties(application, capacities)
    initial: dict[str, Any] = {}
    for population in populations:
        initial[f"serve_{population.population}"] = True
        initial[f"years_{population.population}"] = population.years_experience
    for row in capacities:
        initial[f"cap_{row.population}_{row.county}"] = row.member_capacity
    form = CapacityTableForm(
        request.POST if request.method == "POST" else None, counties=counties, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            capacity_table_save(
                application=application,
                user=user,
                populations=form.populations(),
                capacities=form.capacities(),
            )
        except OnboardingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Populations of focus and capacity saved."))
            return redirect("onboarding:step", pk=pk, step="attestations")
    if form.is_bound and form.is_valid():
        totals = capacity_totals(form.capacities())
    else:
        totals = capacity_table_totals(capacities)
    return render(
        request,
        "onboarding/capacity_form.html",
        {
            "application": application,
            "form": form,
            "counties": [(c, County(c).label, totals.by_county.get(c, 0)) for c in counties],
            "rows": form.rows(totals),
            "totals": totals,
        },
    )


ADD_ANOTHER = "add_another"


def _after_row_saved(request: HttpRequest, pk: int, add_url_name: str) -> HttpResponse:
    """Back to the step, or straight to an empty form for the next row: a team of five is then
    five forms, not five round trips through the step page."""
    if request.POST.get("then") == ADD_ANOTHER:
        return redirect(add_url_name, pk=pk)
    return redirect("onboarding:step", pk=pk, step="attestations")


@login_required
def care_team_member_view(
    request: HttpRequest, pk: int, member_pk: int | None = None
) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    application = application_for_applicant(user, pk)
    member = care_team_member_of(application, member_pk) if member_pk else None
    form = CareTeamMemberForm(request.POST or None, instance=member, prefix="member")
    if request.method == "POST" and form.is_valid():
        try:
            step_services.care_team_member_save(
                application=application, user=user, data=form.cleaned_data, member=member
            )
        except OnboardingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Care team updated."))
            return _after_row_saved(request, pk, "onboarding:care_team_add")
    return render(
        request,
        "onboarding/care_team_member_form.html",
        {"application": application, "form": form, "member": member, "adding": member is None},
    )


@login_required
def care_team_member_remove_view(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    """Ask, then take someone off the care team."""
    user: User = request.user  # type: ignore[assignment]
    application = application_for_applicant(user, pk)
    member = care_team_member_of(application, member_pk)
    if request.method != "POST":
        return removal_confirm(
            request,
            application,
            heading=_("Remove %(name)s from the care team?") % {"name": member.full_name},
            explanation=_(
                "%(name)s (%(role)s) will no longer be listed on this application. You can add "
                "them again later."
            )
            % {"name": member.full_name, "role": member.get_role_display()},
            confirm=_("Remove from the care team"),
            cancel=_("Keep them on the care team"),
            back=_attestations(application) + "#team-heading",
        )
    try:
        step_services.care_team_member_remove(member=member, user=user)
    except OnboardingError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("%(name)s removed from the care team.") % {"name": member.full_name}
        )
    return redirect("onboarding:step", pk=pk, step="attestations")


@login_required
def partner_view(request: HttpRequest, pk: int, partner_pk: int | None = None) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    application = application_for_applicant(user, pk)
    partner = community_partner_of(application, partner_pk) if partner_pk else None
    form = CommunityPartnerForm(
        request.POST or None, instance=partner, prefix="partner", application=application
    )
    if request.method == "POST" and form.is_valid():
        try:
            community_partner_save(
                application=application, user=user, data=form.cleaned_data, partner=partner
            )
        except OnboardingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Partner saved."))
            return _after_row_saved(request, pk, "onboarding:partner_add")
    return render(
        request,
        "onboarding/partner_form.html",
        {"application": application, "form": form, "partner": partner, "adding": partner is None},
    )


@login_required
def partner_remove_view(request: HttpRequest, pk: int, partner_pk: int) -> HttpResponse:
    """Ask, then take a partner off the list."""
    user: User = request.user  # type: ignore[assignment]
    application = application_for_applicant(user, pk)
    partner = community_partner_of(application, partner_pk)
    if request.method != "POST":
        return removal_confirm(
            request,
            application,
            heading=_("Remove the partner %(name)s?") % {"name": partner.organization_name},
            explanation=_(
                "%(name)s (%(kind)s) will no longer be listed as a partner for criterion 5. "
                "You can add it again later."
            )
            % {"name": partner.organization_name, "kind": partner.get_kind_display()},
            confirm=_("Remove the partner"),
            cancel=_("Keep the partner"),
            back=_attestations(application) + "#partners-heading",
        )
    try:
        community_partner_remove(partner=partner, user=user)
    except OnboardingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Partner removed."))
    return redirect("onboarding:step", pk=pk, step="attestations")


def _attestations(application: Application) -> str:
    return reverse("onboarding:step", args=[application.pk, "attestations"])
