"""Network managers change a provider's status: propose, then another confirms or declines."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from disclosures.selectors import disclosure_view
from onboarding.exceptions import OnboardingError
from onboarding.selectors import application_for_staff
from portal.decorators import manager_required
from portal.models import User
from providers.forms import RecordDateForm, StatusChangeForm
from providers.models import StatusChange
from providers.record import provider_record
from providers.selectors import (
    provider_for,
    reinstatement_blockers,
    standing_of,
    status_change_for_staff,
)
from providers.services.status_changes import (
    status_change_confirm,
    status_change_decline,
    status_change_propose,
)
from recredentialing.selectors import standing_of as recredentialing_standing


def _back(pk: int) -> HttpResponse:
    response = redirect("reviews:application", pk=pk)
    response["Location"] += "#network-status"
    return response


@login_required
def provider_record_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The provider's record, for its own people and for plan staff (another organization's is
    a 404; plan administrators work in the admin site)."""
    application, staff = provider_for(request.user, pk)  # type: ignore[arg-type]
    form = RecordDateForm(request.GET or None)
    on = form.cleaned_data["on"] if form.is_valid() else None
    return render(
        request,
        "providers/record.html",
        {
            "application": application,
            "record": provider_record(application, on),
            "form": form,
            "is_staff": staff,
            "standing": standing_of(application),
            "cycle": recredentialing_standing(application),
            # Today's ownership and control disclosure (the record as of a past date has none).
            "disclosure": disclosure_view(application.disclosure)
            if on is None and hasattr(application, "disclosure")
            else None,
        },
    )


@manager_required
def status_change_propose_view(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if action not in StatusChange.Action.values:
        raise Http404
    application = application_for_staff(pk)
    form = StatusChangeForm(request.POST or None, action=action)
    if request.method == "POST" and form.is_valid():
        try:
            status_change_propose(
                application=application,
                user=user,
                action=action,
                reason=form.cleaned_data["reason"],
                effective_on=form.cleaned_data.get("effective_on") or timezone.localdate(),
                termination=form.cleaned_data.get("termination", ""),
            )
        except OnboardingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Proposed. It takes effect only when another network manager confirms it."),
            )
            return _back(pk)
    return render(
        request,
        "providers/status_change_form.html",
        {
            "application": application,
            "action": StatusChange.Action(action),
            "form": form,
            "blockers": (
                reinstatement_blockers(application)
                if action == StatusChange.Action.REINSTATE
                else []
            ),
        },
    )


@manager_required
@require_POST
def status_change_confirm_view(request: HttpRequest, pk: int) -> HttpResponse:
    status_change = status_change_for_staff(pk)
    try:
        confirmed = status_change_confirm(status_change=status_change, user=request.user)  # type: ignore[arg-type]
    except OnboardingError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Confirmed: %(change)s, effective %(date)s. The provider has been told.")
            % {
                "change": confirmed.get_action_display(),
                "date": date_format(confirmed.effective_on),
            },
        )
    return _back(status_change.application_id)


@manager_required
@require_POST
def status_change_decline_view(request: HttpRequest, pk: int) -> HttpResponse:
    status_change = status_change_for_staff(pk)
    try:
        declined = status_change_decline(
            status_change=status_change,
            user=request.user,  # type: ignore[arg-type]
            note=request.POST.get("note", "")[:2000],
        )
    except OnboardingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, declined.get_state_display() + ".")
    return _back(status_change.application_id)
