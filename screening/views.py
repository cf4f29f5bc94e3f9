"""Plan staff's screening actions: adjudicate a potential match, run screening again."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onboarding.exceptions import OnboardingError
from onboarding.models import Application
from onboarding.selectors import application_for_staff
from portal.decorators import staff_required
from portal.models import User
from portal.roles import is_network_manager
from providers.services.status_changes import exclusion_suspension_propose
from screening.forms import ScreeningAdjudicationForm
from screening.labels import adjudication_label, check_label
from screening.models import ScreeningResult
from screening.selectors import screening_result_of
from screening.services.results import screen_application, screening_result_adjudicate


def _back(request: HttpRequest, pk: int) -> HttpResponse:
    task_pk = request.POST.get("task", "")
    if task_pk.isdigit():
        return redirect("reviews:decide", task_pk=int(task_pk))
    return redirect("reviews:application", pk=pk)


@staff_required
@require_POST
def adjudicate(request: HttpRequest, pk: int, result_pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    application = application_for_staff(pk)
    result = screening_result_of(application, result_pk)
    form = ScreeningAdjudicationForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return _back(request, pk)
    try:
        result = screening_result_adjudicate(
            result=result,
            user=user,
            adjudication=form.cleaned_data["adjudication"],
            note=form.cleaned_data["note"],
        )
    except OnboardingError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(check)s: %(decision)s.")
            % {"check": check_label(result.check_name), "decision": adjudication_label(result)},
        )
        in_network = application.status in Application.IN_NETWORK_STATUSES
        if result.is_confirmed and result.is_about_the_record and in_network:
            _propose_suspension(request, application, result)
    return _back(request, pk)


def _propose_suspension(
    request: HttpRequest, application: Application, result: ScreeningResult
) -> None:
    """A provider in the network with a confirmed exclusion is suspended through the two-manager
    path: proposed here by the manager who confirmed the match, or by another one if a reviewer
    did."""
    user: User = request.user  # type: ignore[assignment]
    if not is_network_manager(user):
        messages.warning(
            request,
            _(
                "This provider is in the network: a network manager must now propose its "
                "suspension (Network status, on this page)."
            ),
        )
        return
    try:
        exclusion_suspension_propose(
            application=application,
            user=user,
            match=f"{check_label(result.check_name)} ({result.subject})",
        )
    except OnboardingError as error:
        messages.warning(request, error.message)
    else:
        messages.info(
            request,
            _("Its suspension is proposed: another network manager must confirm it."),
        )


@staff_required
@require_POST
def rerun(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for_staff(pk)
    results = screen_application(application=application)
    messages.success(
        request, _("Screening ran again: %(n)d checks recorded.") % {"n": len(results)}
    )
    return _back(request, pk)
