"""Plan administrators publish welcome-packet versions here."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from documents.models import PacketDelivery, WelcomePacket, WelcomePacketItem
from documents.services import packet_publish
from documents.validators import check_upload
from onboarding.exceptions import OnboardingError
from portal.read_only_admin import ReadOnlyModelAdmin


class WelcomePacketItemForm(forms.ModelForm):
    """Checks an uploaded packet document like any other upload and records what it is."""

    class Meta:
        model = WelcomePacketItem
        fields = ["title", "file", "sort_order"]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            checked = check_upload(upload)
            self.instance.original_name = checked.display_name
            self.instance.content_type = checked.content_type
            self.instance.size = checked.size
            self.instance.sha256 = checked.sha256
        return upload


class WelcomePacketItemInline(admin.TabularInline):
    model = WelcomePacketItem
    form = WelcomePacketItemForm
    extra = 1
    readonly_fields = ["original_name", "content_type", "size", "sha256"]

    # A published version is evidence of what providers received: its documents stay as they are.
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not (obj and obj.published_at) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not (obj and obj.published_at) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not (obj and obj.published_at) and super().has_delete_permission(request, obj)


@admin.register(WelcomePacket)
class WelcomePacketAdmin(admin.ModelAdmin):
    list_display = ["version", "title", "is_current", "published_at"]
    readonly_fields = ["is_current", "published_at"]
    inlines = [WelcomePacketItemInline]
    actions = ["publish"]

    @admin.action(description=_("Publish the selected version as the current welcome packet"))
    def publish(self, request: HttpRequest, queryset: QuerySet[WelcomePacket]) -> None:
        if queryset.count() != 1:
            self.message_user(request, _("Choose exactly one version to publish."), messages.ERROR)
            return
        try:
            packet = packet_publish(packet=queryset.get())
        except OnboardingError as error:
            self.message_user(request, error.message, messages.ERROR)
            return
        self.message_user(
            request,
            _(
                "%(packet)s is now current. Providers that have an earlier version receive it in "
                "the background, each with a new letter and an email."
            )
            % {"packet": packet},
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and obj.published_at:
            return ["version", "title", "notes", "is_current", "published_at"]
        return self.readonly_fields

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # delivered versions are evidence of what providers received


@admin.register(PacketDelivery)
class PacketDeliveryAdmin(ReadOnlyModelAdmin):
    list_display = ["application", "packet", "delivered_at", "acknowledged_at", "acknowledged_by"]
    list_select_related = ["application__organization", "packet", "acknowledged_by"]
