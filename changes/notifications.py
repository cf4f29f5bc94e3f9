"""Emails about change requests: to the provider's people, and to the person asked to take over.

They say what was asked in the request's own words (``summary``), never a licence number, a
date of birth or any other personal identifier.
"""

from typing import Any

from django.urls import reverse

from changes.models import ChangeRequest
from onboarding.notifications import (
    absolute_url,
    application_context,
    organization_recipients,
    send_email,
)
from reviews.models import ReviewDecision


def _context(change_request: ChangeRequest) -> dict[str, Any]:
    return {
        **application_context(change_request.application),
        "change": change_request,
        "url": absolute_url(change_request.get_absolute_url()),
    }


def _tell_provider(change_request: ChangeRequest, what: str, **extra: Any) -> None:
    send_email(
        organization_recipients(change_request.application),
        "change_request",
        {**_context(change_request), "what": what, **extra},
    )


def change_request_received(change_request: ChangeRequest) -> None:
    _tell_provider(change_request, "received")


def change_request_applied(change_request: ChangeRequest) -> None:
    _tell_provider(change_request, "applied")


def change_request_called_off(change_request: ChangeRequest) -> None:
    _tell_provider(change_request, "called_off")


def change_request_decided(decision: ReviewDecision) -> None:
    change_request = decision.change_request
    if change_request is None:  # a step's decision: onboarding.notifications tells of those
        return
    _tell_provider(
        change_request,
        decision.outcome,
        decision=decision,
        deficiencies=list(decision.deficiencies.all()),
    )


def handover_acceptance_asked(change_request: ChangeRequest) -> None:
    """Ask the person named as the new authorized official to accept, through a link."""
    nominee = change_request.nominee
    if nominee is None:
        return
    path = reverse("changes:handover_accept", kwargs={"token": change_request.acceptance_token})
    send_email(
        [nominee.email],
        "handover_acceptance",
        {**_context(change_request), "url": absolute_url(path)},
    )
