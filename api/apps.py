from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The JSON API the plan's own systems read: application status, the provider roster and its
    changes, behind bearer tokens that plan administrators issue in the admin site."""

    name = "api"
    verbose_name = _("API for the plan's systems")
