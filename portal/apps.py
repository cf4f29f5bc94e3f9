from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The site itself and the people who sign in to it.

    Owns accounts, staff roles and their permissions, sign-in with a second factor for staff,
    the audit trail of who did what, settings, mail and logging that keep personal identifiers
    out, and the shared pieces every app uses (decorators, choices, the home page).
    """

    name = "portal"
    verbose_name = _("Portal accounts")

    def ready(self) -> None:
        from portal import signals  # noqa: F401  (connects the audit receivers)
