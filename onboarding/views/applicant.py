"""The applicant's home: organization, team, applications and their overview pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from documents.selectors import latest_delivery
from onboarding.exceptions import NotAllowed, OnboardingError
from onboarding.forms import InvitationForm, OrganizationForm, WithdrawForm
from onboarding.models import Application, Membership
from onboarding.progress import NextAction, next_actions, progress_of
from onboarding.selectors import (
    applicant_timeline,
    application_for_applicant,
    applications_of,
    invitation_by_token,
    invitation_of,
    open_deficiencies,
    pending_invitations,
    possible_duplicates,
    team_member,
    team_of,
)
from onboarding.services.applications import application_start, application_withdraw
from onboarding.services.organizations import (
    invitation_accept,
    invitation_create,
    invitation_revoke,
    membership_remove,
    organization_create,
)
from providers.selectors import standing_of
from reviews.selectors import decisions_with_reasons

DUPLICATE_WARNING = gettext_lazy(
    "Another account in this portal already has an organization with this name. If your "
    "organization has applied before, ask its authorized official to invite you instead of "
    "applying twice. If it is a different organization, carry on: the plan's reviewers will "
    "check."
)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    membership = getattr(request.user, "membership", None)
    if membership is None:
        return redirect("onboarding:organization_create")
    applications = list(applications_of(request.user))  # type: ignore[arg-type]
    return render(
        request,
        "onboarding/dashboard.html",
        {
            "organization": membership.organization,
            "membership": membership,
            "rows": [
                (application, progress_of(application), _next_actions(application, membership))
                for application in applications
            ],
            "can_start": not any(a.status not in a.CLOSED_STATUSES for a in applications),
        },
    )


def _next_actions(
    application: Application, membership: Membership, *, with_packet: bool = True
) -> list[NextAction]:
    if application.status in Application.CLOSED_STATUSES:
        return []
    return next_actions(
        application,
        deficiencies=open_deficiencies(application),
        delivery=latest_delivery(application) if with_packet else None,
        is_official=membership.is_authorized_official,
    )


@login_required
def organization_create_view(request: HttpRequest) -> HttpResponse:
    if hasattr(request.user, "membership"):
        return redirect("onboarding:dashboard")
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organization = organization_create(
                user=request.user,  # type: ignore[arg-type]
                **form.cleaned_data,
            )
        except OnboardingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Your organization is set up. You can now start an application.")
            )
            if possible_duplicates(organization):
                messages.warning(request, DUPLICATE_WARNING)
            return redirect("onboarding:dashboard")
    return render(request, "onboarding/organization_form.html", {"form": form})


@login_required
def team(request: HttpRequest) -> HttpResponse:
    membership = getattr(request.user, "membership", None)
    if membership is None:
        return redirect("onboarding:organization_create")
    organization = membership.organization
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation_create(
                organization=organization,
                invited_by=request.user,  # type: ignore[arg-type]
                email=form.cleaned_data["email"],
            )
        except NotAllowed as error:
            messages.error(request, error.message)
        except OnboardingError as error:
            form.add_error("email", error.message)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % form.cleaned_data)
            return redirect("onboarding:team")
    return render(
        request,
        "onboarding/team.html",
        {
            "organization": organization,
            "membership": membership,
            "members": team_of(organization),
            "invitations": pending_invitations(organization),
            "form": form,
            # Where the official hands over the role: the provider's change requests.
            "provider": organization.applications.filter(
                status__in=Application.IN_NETWORK_STATUSES
            ).first(),
        },
    )


def _own_membership(request: HttpRequest) -> Membership:
    """The signed-in person's membership; a 404 for anyone without an organization."""
    membership = getattr(request.user, "membership", None)
    if membership is None:
        raise Http404
    return membership


@login_required
def membership_remove_view(request: HttpRequest, member_pk: int) -> HttpResponse:
    """Ask, then take a preparer off the team (the authorized official only)."""
    membership = _own_membership(request)
    member = team_member(membership.organization, member_pk)
    if request.method == "POST":
        try:
            membership_remove(membership=member, removed_by=request.user)  # type: ignore[arg-type]
        except OnboardingError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("%(name)s is no longer on your team.") % {"name": member.user.display_name},
            )
        return redirect("onboarding:team")
    return render(
        request, "onboarding/membership_remove.html", {"member": member, "membership": membership}
    )


@login_required
@require_POST
def invitation_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The authorized official withdraws an invitation that is still waiting."""
    membership = _own_membership(request)
    invitation = invitation_of(membership.organization, pk)
    try:
        invitation_revoke(invitation=invitation, revoked_by=request.user)  # type: ignore[arg-type]
    except OnboardingError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The invitation to %(email)s is withdrawn; its link no longer works.")
            % {"email": invitation.email},
        )
    return redirect("onboarding:team")


@login_required
def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_by_token(token)
    if request.method == "POST":
        try:
            invitation_accept(invitation=invitation, user=request.user)  # type: ignore[arg-type]
        except OnboardingError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("You have joined %(org)s.") % {"org": invitation.organization}
            )
            return redirect("onboarding:dashboard")
    return render(request, "onboarding/invitation_accept.html", {"invitation": invitation})


@login_required
@require_POST
def application_start_view(request: HttpRequest) -> HttpResponse:
    membership = getattr(request.user, "membership", None)
    if membership is None:
        return redirect("onboarding:organization_create")
    try:
        application = application_start(
            organization=membership.organization,
            user=request.user,  # type: ignore[arg-type]
        )
    except OnboardingError as error:
        messages.error(request, error.message)
        return redirect("onboarding:dashboard")
    messages.success(request, _("Application %(ref)s started.") % {"ref": application.reference})
    return redirect("onboarding:step", pk=application.pk, step="entity")


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for_applicant(request.user, pk)  # type: ignore[arg-type]
    return render(
        request,
        "onboarding/application_detail.html",
        {
            "application": application,
            "progress": progress_of(application),
            # The page has its own welcome-packet box, so the list leaves the packet out.
            "actions": _next_actions(
                application,
                request.user.membership,  # type: ignore[union-attr]
                with_packet=False,
            ),
            "deficiencies": open_deficiencies(application),
            "decisions": decisions_with_reasons(application),
            "events": applicant_timeline(application),
            "delivery": latest_delivery(application),
            "standing": standing_of(application),
            "is_provider": application.status in Application.PROVIDER_STATUSES,
            "is_official": request.user.membership.is_authorized_official,  # type: ignore[union-attr]
        },
    )


@login_required
def application_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for_applicant(request.user, pk)  # type: ignore[arg-type]
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            application_withdraw(
                application=application,
                user=request.user,  # type: ignore[arg-type]
                reason=form.cleaned_data["reason"],
            )
        except OnboardingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Application %(ref)s has been withdrawn.") % {"ref": application.reference},
            )
            return redirect("onboarding:application_detail", pk=application.pk)
    return render(request, "onboarding/withdraw.html", {"application": application, "form": form})
