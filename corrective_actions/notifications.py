"""Emails about corrective actions: to the provider's people, and to the network managers.

They name each item by its finding and the action asked, never a member's data or a personal
identifier; the evidence itself stays in the portal.
"""

from datetime import date

from django.urls import reverse

from corrective_actions.models import CorrectiveActionItem, CorrectiveActionPlan, Evidence
from onboarding.models import Application
from onboarding.notifications import (
    absolute_url,
    application_context,
    network_manager_recipients,
    organization_recipients,
    send_email,
)


def _plan_url(application: Application) -> str:
    return absolute_url(reverse("corrective_actions:list", kwargs={"pk": application.pk}))


def plan_issued(plan: CorrectiveActionPlan) -> None:
    """Tell the official and the preparers the conditions of their approval."""
    send_email(
        organization_recipients(plan.application),
        "corrective_actions",
        {
            **application_context(plan.application),
            "what": "issued",
            "plan": plan,
            "items": list(plan.items.all()),
            "url": _plan_url(plan.application),
        },
    )


def evidence_reviewed(item: CorrectiveActionItem, evidence: Evidence) -> None:
    send_email(
        organization_recipients(item.application),
        "corrective_actions",
        {
            **application_context(item.application),
            "what": evidence.verdict,
            "items": [item],
            "evidence": evidence,
            "url": absolute_url(item.get_absolute_url()),
        },
    )


def conditions_met(application: Application) -> None:
    send_email(
        organization_recipients(application),
        "corrective_actions",
        {**application_context(application), "what": "met", "url": _plan_url(application)},
    )


def overdue_to_official(
    application: Application, items: list[CorrectiveActionItem], today: date
) -> None:
    official = application.organization.authorized_official
    if official is None:
        return
    send_email(
        [official.email],
        "corrective_actions",
        {
            **application_context(application),
            "what": "overdue",
            "items": items,
            "today": today,
            "url": _plan_url(application),
        },
    )


def overdue_to_managers(items: list[CorrectiveActionItem], today: date) -> None:
    """One digest of the items now overdue long enough for the network managers to weigh."""
    send_email(
        network_manager_recipients(),
        "corrective_actions_managers",
        {
            "items": items,
            "today": today,
            "url": absolute_url(reverse("corrective_actions:workbench") + "?overdue=1"),
        },
    )
