from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProvidersConfig(AppConfig):
    """Life after approval: what the plan watches about a provider once it is in the network.

    Owns credential monitoring (the daily check of care-team licence expiry, its 90/60/30-day and
    expiry notices, each sent once) and compliance (the onboarding roster rules re-checked every
    day; a rule that stops holding is an open ``ComplianceIssue`` until the record satisfies it
    again), and the provider's status after approval: suspension, termination and reinstatement,
    each proposed by one network manager and confirmed by another (``StatusChange``). Reads the
    approved record from ``onboarding``; the workbench (``reviews``) filters and counts by what
    this app finds.
    """

    name = "providers"
    verbose_name = _("Providers after approval")
