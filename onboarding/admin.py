"""Plan administrators edit entity types, their evidence rules and the criterion rules here."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from onboarding.models import Application, CriterionRule, EntityType, EvidenceRequirement
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


@admin.register(Application)
class ApplicationAdmin(ReadOnlyModelAdmin):
    """Read-only: applications change only through the workflow."""

    list_display = ["reference", "organization", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["organization__legal_name"]
    list_select_related = ["organization"]
