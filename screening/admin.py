"""The plan administrator's exclusion-list releases, and the rows as imported."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from portal.read_only_admin import ReadOnlyModelAdmin
from screening.importers import ImportFormatError
from screening.models import ExclusionRecord, ExclusionRelease
from screening.services.exclusion_lists import exclusion_file_check, exclusion_release_import


class ExclusionReleaseUploadForm(forms.ModelForm):
    """A plan administrator uploads a list file; it is read whole before anything is imported."""

    file = forms.FileField(
        label=_("List file"),
        help_text=_(
            "OIG LEIE full file (UPDATED.csv), SAM.gov exclusions extract (CSV) or the Medi-Cal "
            "Suspended and Ineligible list (CSV). It replaces the list's current release."
        ),
    )

    class Meta:
        model = ExclusionRelease
        fields = ["source"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload is not None and data.get("source"):
            self.content = upload.read()
            try:
                exclusion_file_check(source=data["source"], content=self.content)
            except ImportFormatError as error:
                raise ValidationError(
                    _("This file was refused, nothing was imported: %(error)s.") % {"error": error}
                ) from error
        return data


@admin.register(ExclusionRelease)
class ExclusionReleaseAdmin(admin.ModelAdmin):
    """Releases are added by upload (or import_exclusions) and never edited or deleted."""

    list_display = ["source", "imported_at", "row_count", "is_active", "imported_by_name", "sha256"]
    list_filter = ["source", "is_active"]
    readonly_fields = [
        "source",
        "file_name",
        "sha256",
        "row_count",
        "imported_at",
        "imported_by",
        "imported_by_name",
        "is_active",
    ]

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None:
            kwargs["form"] = ExclusionReleaseUploadForm
        return super().get_form(request, obj, change, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.readonly_fields if obj is not None else []

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.readonly_fields if obj is not None else ["source", "file"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        summary = exclusion_release_import(
            source=form.cleaned_data["source"],
            content=form.content,
            file_name=form.cleaned_data["file"].name,
            user=request.user,  # type: ignore[arg-type]
        )
        obj.pk = summary.release.pk
        obj.refresh_from_db()
        messages.info(request, str(summary))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ExclusionRecord)
class ExclusionRecordAdmin(ReadOnlyModelAdmin):
    """The rows of the active releases, to look an entry up; they change only by import."""

    list_display = ["display_name", "kind", "state", "npi", "excluded_on", "release", "line_number"]
    list_filter = ["release__source", "kind"]
    search_fields = ["normalised_name", "person_key", "npi", "provider_number"]
    list_select_related = ["release"]

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).filter(release__is_active=True)
