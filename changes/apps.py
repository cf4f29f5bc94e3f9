from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChangesConfig(AppConfig):
    """Change requests: how an approved provider's record changes after go-live.

    The authorized official asks for a change (a preparer may draft it) to the care team, the
    populations and capacity, the service locations, the official, or the contact details. Each
    request the plan must review is a process of its own flow (``ChangeRequestFlow``), worked in
    the reviewers' workbench like an onboarding step; contact details apply at once and are only
    recorded. An approved change is applied to the record in the decision's transaction, with its
    before and after kept on the request.
    """

    name = "changes"
    verbose_name = _("Change requests")
