"""How allauth's sign-up, confirmation and password emails speak: as the plan, not the server."""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.forms import BaseForm
from django.http import HttpRequest


@dataclass(frozen=True)
class PlanSite:
    """Stands in for django.contrib.sites (not installed): without it allauth greets people
    with the host name the request came to ("Hello from 127.0.0.1:8101!")."""

    name: str
    domain: str


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        context = {
            **context,
            "current_site": PlanSite(
                name=settings.PLAN_NAME, domain=urlsplit(settings.SITE_URL).netloc
            ),
        }
        super().send_mail(template_prefix, email, context)

    def save_user(
        self, request: HttpRequest, user: AbstractBaseUser, form: BaseForm, commit: bool = True
    ) -> Any:
        """Save the new account with the name the sign-up form asked for
        (``portal.forms.SignupForm``), in allauth's one write of it."""
        full_name = form.cleaned_data.get("full_name")
        if full_name:
            user.full_name = full_name  # type: ignore[attr-defined]
        return super().save_user(request, user, form, commit)
