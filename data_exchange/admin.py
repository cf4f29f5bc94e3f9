"""The plan administrator's file specifications."""

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from data_exchange.models import FileSpecification, SpecColumn
from data_exchange.services import specification_make_current


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
