from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnboardingConfig(AppConfig):
    """Who applies and how far they have got.

    Owns organizations, memberships and invitations, applications and their steps (one
    definition per step kind, ``onboarding.steps``), the entity, attestation and data-sharing
    records, signatures, the application's history, the viewflow flow and the one transition
    path every change to it takes (``onboarding.transitions``).
    """

    name = "onboarding"
    verbose_name = _("ECM provider onboarding")
