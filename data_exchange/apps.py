from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataExchangeConfig(AppConfig):
    """Whether an applicant can exchange files with the plan.

    Owns the plan's file specifications (their versions and columns) and the checks of the sample
    files applicants upload against them: the readers for CSV, fixed-width and Excel, the
    validation, the background job, and the report that never repeats a member-data value.
    """

    name = "data_exchange"
    verbose_name = _("Data exchange")
