"""Emails about recredentialing: to the provider's people, and to the network managers."""

from django.urls import reverse

from onboarding.notifications import (
    absolute_url,
    application_context,
    network_manager_recipients,
    organization_recipients,
    send_email,
)
from recredentialing.cycle import last_day
from recredentialing.models import Recredentialing
from reviews.models import ReviewDecision


def _tell_provider(recredentialing: Recredentialing, what: str, **extra: object) -> None:
    send_email(
        organization_recipients(recredentialing.provider),
        "recredentialing",
        {
            **application_context(recredentialing.renewal),
            "organization": recredentialing.provider.organization,
            "recredentialing": recredentialing,
            "last_day": last_day(recredentialing.due_on),
            "what": what,
            **extra,
        },
    )


def recredentialing_opened(recredentialing: Recredentialing) -> None:
    _tell_provider(recredentialing, "opened")


def recredentialing_overdue(recredentialing: Recredentialing) -> None:
    _tell_provider(recredentialing, "overdue")


def recredentialed(recredentialing: Recredentialing) -> None:
    _tell_provider(
        recredentialing, "approved", next_due=recredentialing.provider.recredentialing_due_on
    )


def recredentialing_denied(recredentialing: Recredentialing, decision: ReviewDecision) -> None:
    _tell_provider(recredentialing, "denied", decision=decision)
    recredentialing_to_managers([], [], denied=[recredentialing])


def recredentialing_to_managers(
    overdue: list[Recredentialing],
    lapsed: list[Recredentialing],
    denied: list[Recredentialing] | None = None,
) -> None:
    """One list for the network managers: what became overdue, lapsed or was denied. What
    follows (suspension, termination) is theirs to decide."""
    send_email(
        network_manager_recipients(),
        "recredentialing_managers",
        {
            "overdue": overdue,
            "lapsed": lapsed,
            "denied": denied or [],
            "count": len(overdue) + len(lapsed) + len(denied or []),
            "url": absolute_url(reverse("recredentialing:workbench") + "?due=overdue"),
        },
    )
