"""The applicant's sample-file checks: queue one, and follow it until it has ended."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from data_exchange.models import SampleFileCheck
from data_exchange.sample_uploads import check_progress_url, sample_check_queue_posted, samples_url
from data_exchange.selectors import sample_check_of
from onboarding.selectors import application_for_applicant
from portal.models import User


@login_required
@require_POST
def sample_file_check_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue the check of an uploaded sample RTF or OTF and show its progress."""
    user: User = request.user  # type: ignore[assignment]
    application = application_for_applicant(user, pk)
    check = sample_check_queue_posted(request, application, user)
    if check is None:
        return redirect("onboarding:step", pk=pk, step="data-sharing")
    return redirect(check_progress_url(check))


# A check that has not ended this long after it was asked for was probably lost (a worker
# stopped by its hard time limit cannot record anything); the page says so.
CHECK_OVERDUE_AFTER = timedelta(seconds=120)


@login_required
def sample_file_check_progress(request: HttpRequest, pk: int, check_pk: int) -> HttpResponse:
    """While the check runs, a page that reloads itself; once it has ended, what it found, on
    the data-sharing step with the report."""
    user: User = request.user  # type: ignore[assignment]
    application = application_for_applicant(user, pk)
    check = sample_check_of(application, check_pk)
    if check.is_finished:
        _say_outcome(request, check)
        return redirect(samples_url(application))
    overdue = timezone.now() - check.requested_at > CHECK_OVERDUE_AFTER + timedelta(
        seconds=settings.SAMPLE_CHECK_MAX_SECONDS
    )
    response = render(
        request,
        "data_exchange/sample_check_progress.html",
        {"application": application, "check": check, "overdue": overdue},
    )
    # The Refresh header reloads the page as <meta http-equiv="refresh"> would, with no script
    # (the Content Security Policy allows no inline script).
    response["Refresh"] = "15" if overdue else "2"
    return response


def _say_outcome(request: HttpRequest, check: SampleFileCheck) -> None:
    report = check.report
    if report is None:
        messages.error(request, check.failure_message)
    elif report.passed:
        messages.success(
            request,
            _(
                "Your sample %(kind)s passed the check. The file has been deleted; "
                "the report is kept below."
            )
            % {"kind": check.kind.upper()},
        )
    else:
        messages.warning(
            request,
            _(
                "The check of your sample %(kind)s found %(n)d problem(s), listed below. "
                "The file has been deleted. Correct the problems and upload it again."
            )
            % {"kind": check.kind.upper(), "n": report.problem_count},
        )
