from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CorrectiveActionsConfig(AppConfig):
    """Approval with conditions: a corrective-action plan the provider works off item by item.

    A network manager may approve an application, or a change request, *with conditions*. The
    conditions are a corrective-action plan: items, each with the finding (the rule or criterion
    it is about), the action required, a due date and the person responsible. The provider is in
    the network with the status "Approved with conditions" until a reviewer has accepted every
    item's evidence; then it is active again. An item still open after its due date is escalated
    by the daily job: to the authorized official first, then to the network managers. Whether to
    suspend is theirs to decide (``providers.services.status_changes``); nothing suspends itself.
    """

    name = "corrective_actions"
    verbose_name = _("Corrective-action plans")
