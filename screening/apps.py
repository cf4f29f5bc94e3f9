from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    """Who an applicant is and whether anyone may pay them.

    Owns the identifiers' checks (TIN, NPI, Medi-Cal number), the NPI registry look-up, the
    exclusion lists as imported (LEIE, SAM, Medi-Cal Suspended and Ineligible), the result of
    every check with its evidence, the reviewers' adjudication of matches, and the monthly
    rescreening of active providers.
    """

    name = "screening"
    verbose_name = _("Screening")
