"""Emails to the people of an organization (and the plan) when something happens to them.

Messages are rendered here and sent by a background job once the transaction that caused them has
committed, so nobody is told about a change that was rolled back.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from onboarding.models import Application, ApplicationStep, Invitation
from onboarding.tasks import send_notification
from portal.models import User
from portal.roles import Role
from portal.text import one_line
from reviews.models import ReviewDecision, ReviewWork
from screening.models import ScreeningResult

if TYPE_CHECKING:
    from documents.models import PacketDelivery


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def organization_recipients(application: Application) -> list[str]:
    """The authorized official and every preparer of the applying organization."""
    return sorted(application.organization.memberships.values_list("user__email", flat=True))


def send_email(recipients: list[str], template: str, context: dict[str, Any]) -> None:
    """Render ``emails/<template>.txt`` and its subject; send them once the transaction commits."""
    if not recipients:
        return
    context = {
        "plan_name": settings.PLAN_NAME,
        "contact_email": settings.PLAN_CONTACT_EMAIL,
        **context,
    }
    subject = one_line(
        settings.ACCOUNT_EMAIL_SUBJECT_PREFIX
        + render_to_string(f"emails/{template}_subject.txt", context)
    )
    body = render_to_string(f"emails/{template}.txt", context)
    transaction.on_commit(lambda: send_notification.delay(recipients, subject, body))


def application_context(application: Application) -> dict[str, Any]:
    return {
        "application": application,
        "organization": application.organization,
        "url": absolute_url(application.get_absolute_url()),
    }


def invitation_sent(invitation: Invitation) -> None:
    path = reverse("onboarding:invitation_accept", kwargs={"token": invitation.token})
    send_email(
        [invitation.email], "invitation", {"invitation": invitation, "url": absolute_url(path)}
    )


def invitation_cannot_be_accepted(invitation: Invitation, *, is_plan_staff: bool) -> None:
    """Tell the invited person, and only them, why they cannot join: the one who invited them
    is not told whether an address belongs to anyone."""
    send_email(
        [invitation.email],
        "invitation_not_possible",
        {"invitation": invitation, "is_plan_staff": is_plan_staff},
    )


def step_submitted(application: Application, step: ApplicationStep) -> None:
    send_email(
        organization_recipients(application),
        "step_submitted",
        {**application_context(application), "step": step},
    )


def application_status_changed(
    application: Application, decision: ReviewDecision | None = None
) -> None:
    context = {**application_context(application), "decision": decision}
    if decision is not None:
        context["deficiencies"] = list(decision.deficiencies.all())
    send_email(organization_recipients(application), "status_changed", context)


def packet_delivered(
    application: Application, delivery: "PacketDelivery", *, update: bool = False
) -> None:
    """The welcome packet on approval, or (``update``) a new version for an active provider."""
    send_email(
        organization_recipients(application),
        "packet_updated" if update else "packet_delivered",
        {
            **application_context(application),
            "delivery": delivery,
            "url": absolute_url(reverse("documents:packet", kwargs={"pk": delivery.pk})),
        },
    )


def network_manager_recipients() -> list[str]:
    return sorted(
        User.objects.filter(groups__name=Role.NETWORK_MANAGER.value, is_active=True)
        .values_list("email", flat=True)
        .distinct()
    )


def exclusion_alert(application: Application, results: list[ScreeningResult]) -> None:
    """Tell the network managers that re-screening found something on a provider."""
    path = reverse("reviews:application", kwargs={"pk": application.pk})
    send_email(
        network_manager_recipients(),
        "exclusion_alert",
        {**application_context(application), "results": results, "url": absolute_url(path)},
    )


@dataclass(frozen=True)
class OverdueReview:
    work: ReviewWork
    days_late: int

    @property
    def url(self) -> str:
        return absolute_url(reverse("reviews:application", kwargs={"pk": self.work.application_id}))


def overdue_reviews(reviewer: "User", rows: list[OverdueReview]) -> None:
    """Tell a reviewer which of the reviews they hold are past due."""
    send_email(
        [reviewer.email],
        "overdue_reviews",
        {
            "reviewer": reviewer,
            "rows": rows,
            "url": absolute_url(reverse("reviews:my_tasks")),
        },
    )


def overdue_escalation(managers: list["User"], rows: list[OverdueReview]) -> None:
    """Tell the network managers which reviews are far past due, held or not."""
    send_email(
        [manager.email for manager in managers],
        "overdue_escalation",
        {
            "rows": rows,
            "threshold": settings.REVIEW_ESCALATION_BUSINESS_DAYS,
            "url": absolute_url(reverse("reviews:team") + "?overdue=on"),
        },
    )
