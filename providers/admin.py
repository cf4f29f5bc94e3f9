"""What the daily check sent and found, readable (never editable) by plan administrators."""

from django.contrib import admin

from portal.read_only_admin import ReadOnlyModelAdmin
from providers.models import ComplianceIssue, CredentialNotice


@admin.register(CredentialNotice)
class CredentialNoticeAdmin(ReadOnlyModelAdmin):
    list_display = ["care_team_member", "application", "expires_on", "days_before", "sent_at"]
    list_filter = ["days_before"]
    list_select_related = ["care_team_member", "application"]


@admin.register(ComplianceIssue)
class ComplianceIssueAdmin(ReadOnlyModelAdmin):
    list_display = ["application", "message", "found_on", "resolved_on"]
    list_filter = ["rule", "resolved_on"]
    list_select_related = ["application"]
