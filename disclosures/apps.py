from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosuresConfig(AppConfig):
    """Ownership and control disclosures (42 CFR 455.101 to 455.106, 22 CCR 51000.35), part of the
    entity step and signed with it.

    The applicant lists who owns and controls it: people and organizations with a direct,
    indirect or combined interest of 5% or more (indirect shares multiplied along the chain,
    ``ownership.py``), officers, directors and board members, managing employees, family
    relationships among them, their interests in other providers, the subcontractors it owns 5%
    or more of with their owners, and health-care convictions. A category with nothing to list
    is answered "none" explicitly. Dates of birth and SSNs are encrypted at rest with
    ``FIELD_ENCRYPTION_KEY`` (``keys.py`` refuses to start on a key that cannot read them),
    shown masked, and revealed to staff with the ``reveal_identifiers`` permission one person
    at a time, each reveal audited. Every disclosed person is screened with the organization.
    """

    name = "disclosures"
    verbose_name = _("Ownership and control disclosures")

    def ready(self) -> None:
        from disclosures import keys  # noqa: F401  (registers the key check)
