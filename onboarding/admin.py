"""Plan administrators edit entity types, their evidence rules and the criterion rules here."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from onboarding.data_exchange.services import specification_make_current
from onboarding.models import (
    Application,
    CriterionRule,
    EntityType,
    EvidenceRequirement,
    ExclusionRecord,
    ExclusionRelease,
    FileSpecification,
    SpecColumn,
)
from onboarding.screening.importers import ImportFormatError
from onboarding.services.exclusions import exclusion_file_check, exclusion_release_import
from portal.read_only_admin import ReadOnlyModelAdmin


class EvidenceRequirementInline(admin.TabularInline):
    model = EvidenceRequirement
    extra = 1


@admin.register(EntityType)
class EntityTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "requires_justification", "is_active", "sort_order"]
    list_editable = ["is_active", "sort_order"]
    search_fields = ["name", "code"]
    inlines = [EvidenceRequirementInline]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # deactivate instead: past applications refer to the type


@admin.register(CriterionRule)
class CriterionRuleAdmin(admin.ModelAdmin):
    """Which criteria need evidence, what evidence, and how long a narrative must be."""

    list_display = ["criterion", "evidence_required", "evidence_guidance", "narrative_min_length"]
    list_editable = ["evidence_required", "evidence_guidance", "narrative_min_length"]
    list_display_links = ["criterion"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # one rule per criterion, seeded by a migration

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SpecColumnInline(admin.TabularInline):
    model = SpecColumn
    extra = 1
    fields = ["position", "name", "required", "format", "codes", "member_data"]


class FileSpecificationForm(forms.ModelForm):
    """Ticking "current" makes this version current and the previous one not (see save_model)."""

    class Meta:
        model = FileSpecification
        fields = ["kind", "version", "title", "is_current"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.make_current = bool(data.get("is_current"))
        if self.make_current and not (self.instance.pk and self.instance.is_current):
            # Saved as not current first; the service then swaps the current version atomically.
            data["is_current"] = False
            self.instance.is_current = False
        return data


@admin.register(FileSpecification)
class FileSpecificationAdmin(admin.ModelAdmin):
    """Plan administrators keep the RTF/OTF templates here; a new DHCS template is a new version."""

    form = FileSpecificationForm
    list_display = ["__str__", "title", "is_current", "created_at"]
    list_filter = ["kind", "is_current"]
    inlines = [SpecColumnInline]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if getattr(form, "make_current", False) and not form.instance.is_current:
            specification_make_current(specification=form.instance)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # reports of past samples refer to the version they were checked against


@admin.register(Application)
class ApplicationAdmin(ReadOnlyModelAdmin):
    """Read-only: applications change only through the workflow."""

    list_display = ["reference", "organization", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["organization__legal_name"]
    list_select_related = ["organization"]


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
