from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    """The public provider directory: a read-only FHIR R4 API (Da Vinci PDex Plan-Net) of the
    ECM providers in the plan's network, required of Medi-Cal managed care plans by 42 CFR
    438.242(b)(6) and 431.70.

    It owns no tables: every response is built from the approved record in ``onboarding`` at the
    moment of the request, so an approved change is published at once and nothing is cached.
    """

    name = "directory"
    verbose_name = _("Public provider directory (FHIR)")
