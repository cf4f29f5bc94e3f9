"""Plan administrators edit entity types and their evidence rules here."""

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from onboarding.data_exchange.services import specification_make_current
from onboarding.models import (
    Application,
    EntityType,
    EvidenceRequirement,
    FileSpecification,
    SpecColumn,
)


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
class ApplicationAdmin(admin.ModelAdmin):
    """Read-only: applications change only through the workflow."""

    list_display = ["reference", "organization", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["organization__legal_name"]
    list_select_related = ["organization"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
