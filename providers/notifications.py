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
from providers.models import ComplianceIssue, CredentialNotice


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
