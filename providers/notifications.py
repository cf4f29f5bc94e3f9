"""Emails of the daily credential check: to the provider's people, and to the network managers."""

from dataclasses import dataclass

from django.urls import reverse

from onboarding.models import Application
from onboarding.notifications import (
    absolute_url,
    application_context,
    network_manager_recipients,
    organization_recipients,
    send_email,
)
from providers.models import ComplianceIssue, CredentialNotice, StatusChange


@dataclass(frozen=True)
class LicenceNotice:
    """One line of a notice: whose licence, what it is, when it runs out, how far off that is."""

    application: Application
    holder: str  # "Casey Clinician (ECM Clinical Consultant)", or the organization
    what: str  # "LCSW", "Clinic license (CDPH)"
    notice: CredentialNotice
    days_left: int

    @property
    def has_expired(self) -> bool:
        return self.notice.days_before == CredentialNotice.EXPIRED


def _staff_url(application: Application) -> str:
    return absolute_url(reverse("reviews:application", kwargs={"pk": application.pk}))


def licences_expiring(application: Application, rows: list[LicenceNotice]) -> None:
    """Tell the official and the preparers which licences run out soon or have run out."""
    send_email(
        organization_recipients(application),
        "licences_expiring",
        {
            **application_context(application),
            "rows": rows,
            "expired": [row for row in rows if row.has_expired],
        },
    )


def licences_expired_to_managers(rows: list[LicenceNotice]) -> None:
    """One message to the network managers listing every licence that ran out since last told."""
    send_email(
        network_manager_recipients(),
        "licences_expired_managers",
        {
            "rows": [(row, _staff_url(row.application)) for row in rows],
            "url": absolute_url(reverse("reviews:applications") + "?out_of_compliance=on"),
        },
    )


def out_of_compliance(application: Application, issues: list[ComplianceIssue]) -> None:
    """Tell the provider, and the network managers, that a roster rule no longer holds."""
    context = {**application_context(application), "issues": issues}
    send_email(organization_recipients(application), "out_of_compliance", context)
    send_email(
        network_manager_recipients(),
        "out_of_compliance_managers",
        {**context, "url": _staff_url(application)},
    )


def _status_context(status_change: StatusChange) -> dict[str, object]:
    return {**application_context(status_change.application), "change": status_change}


def status_change_proposed(status_change: StatusChange) -> None:
    """Ask the other network managers to confirm or decline (the provider is not told yet)."""
    send_email(
        [
            email
            for email in network_manager_recipients()
            if email != status_change.proposed_by.email
        ],
        "status_change_proposed",
        {
            **_status_context(status_change),
            "url": _staff_url(status_change.application) + "#network-status",
        },
    )


def status_change_confirmed(status_change: StatusChange) -> None:
    """Tell the provider's people what was decided, why, and from when."""
    send_email(
        organization_recipients(status_change.application),
        "status_change",
        _status_context(status_change),
    )


def status_change_in_effect(status_change: StatusChange) -> None:
    """A change confirmed for a later date took effect today: say so to the provider again."""
    status_change_confirmed(status_change)


def status_change_called_off(status_change: StatusChange) -> None:
    """A change the provider was told of, for a date not yet come, will not happen after all."""
    send_email(
        organization_recipients(status_change.application),
        "status_change_called_off",
        _status_context(status_change),
    )
