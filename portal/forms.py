"""The sign-up form: allauth's own, asking for the person's name as well."""

from typing import Any

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.utils.translation import gettext_lazy as _

from portal.text import validate_single_line


class SignupForm(AllauthSignupForm):
    """Asks for the person's name once, at sign-up: the portal fills it in wherever it is asked
    again (the typed signature, the authorized official's name on the entity step).

    The name is saved with the new account by ``portal.adapters.AccountAdapter.save_user``.
    """

    full_name = forms.CharField(
        label=_("Your full name"),
        max_length=200,
        validators=[validate_single_line],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        help_text=_("As you would sign it: it is the name your signature must carry."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(["full_name"])

    def clean_full_name(self) -> str:
        return " ".join(self.cleaned_data["full_name"].split())
