"""Taking a sample file from a posted form and queueing its check; where its progress shows.

Used by the data-sharing step's page, which takes a sample with the rest of the step, and by
this app's own views.
"""

from django.contrib import messages
from django.http import HttpRequest
from django.urls import reverse

from data_exchange.forms import SampleFileForm
from data_exchange.models import SampleFileCheck
from data_exchange.services import sample_file_check_queue
from data_exchange.specs import FileKind
from onboarding.exceptions import OnboardingError
from onboarding.models import Application
from portal.models import User


def sample_check_queue_posted(
    request: HttpRequest, application: Application, user: User
) -> SampleFileCheck | None:
    """Queue the posted sample's check; None, with a message saying why, if it was refused."""
    form = SampleFileForm(request.POST, request.FILES, prefix="sample")
    if not form.is_valid():
        for upload in request.FILES.getlist("sample-file"):
            upload.close()  # the sample is never kept, even when the form is refused
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return None
    try:
        return sample_file_check_queue(
            application=application,
            user=user,
            kind=FileKind(form.cleaned_data["kind"]),
            upload=form.cleaned_data["file"],
        )
    except OnboardingError as error:
        messages.error(request, error.message)
        return None


def check_progress_url(check: SampleFileCheck) -> str:
    return reverse(
        "data_exchange:sample_file_check_progress", args=[check.application_id, check.pk]
    )


def samples_url(application: Application) -> str:
    return reverse("onboarding:step", args=[application.pk, "data-sharing"]) + "#samples"
