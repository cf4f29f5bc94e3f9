from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    """The plan staff's workbench.

    Owns the review queues and the workbench's copy of the review tasks (``ReviewWork``),
    claiming and reassigning, review decisions with their deficiencies and accepted items,
    internal notes, the review SLA and its reminders, the network managers' dashboard, reports
    and CSV exports.
    """

    name = "reviews"
    verbose_name = _("Reviews")
