"""Plan administrators issue and revoke API tokens here; a secret is shown once, at issue.

Issuing has a page of its own instead of the admin's add form: the service makes the secret,
and the page that answers the form shows it. It is never put in a message or the session, so it
is stored nowhere, and nothing can show it again. Tokens are never changed or deleted; they are
revoked, so that the audit trail always names the token that was used.
"""

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from api.forms import ApiTokenIssueForm
from api.models import ApiToken
from api.tokens import api_token_issue, api_token_revoke
from portal.models import User


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "scopes", "expires_at", "revoked_at", "created_by"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix"]
    # Nothing of a token changes once issued, but its revocation.
    readonly_fields = (
        "name",
        "prefix",
        "scopes",
        "expires_at",
        "created_at",
        "created_by",
        "revoked_at",
        "revoked_by",
    )
    fields = readonly_fields
    actions = ["revoke"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def add_view(
        self,
        request: HttpRequest,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ApiTokenIssueForm(request.POST if request.method == "POST" else None)
        if form.is_valid() and isinstance(request.user, User):
            try:
                issued = api_token_issue(**form.cleaned_data, created_by=request.user)
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
            else:
                return TemplateResponse(
                    request,
                    "admin/api/apitoken/issued.html",
                    {**self._context(request, _("API token issued")), "issued": issued},
                )
        return TemplateResponse(
            request,
            "admin/api/apitoken/issue.html",
            {**self._context(request, _("Issue an API token")), "form": form},
        )

    def _context(self, request: HttpRequest, title: object) -> dict[str, Any]:
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "has_view_permission": self.has_view_permission(request),
        }

    @admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        if not isinstance(request.user, User):
            raise PermissionDenied
        count = 0
        for token in queryset.filter(revoked_at__isnull=True):
            api_token_revoke(token=token, revoked_by=request.user)
            count += 1
        messages.success(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", count)
            % {"count": count},
        )
