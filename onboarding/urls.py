from django.urls import path

from onboarding.views import applicant, attestations, steps

app_name = "onboarding"

urlpatterns = [
    # Applicants
    path("dashboard/", applicant.dashboard, name="dashboard"),
    path("organization/new/", applicant.organization_create_view, name="organization_create"),
    path("organization/team/", applicant.team, name="team"),
    path(
        "organization/team/<int:member_pk>/remove/",
        applicant.membership_remove_view,
        name="membership_remove",
    ),
    path(
        "organization/invitations/<int:pk>/withdraw/",
        applicant.invitation_revoke_view,
        name="invitation_revoke",
    ),
    path("invitations/<str:token>/", applicant.invitation_accept_view, name="invitation_accept"),
    path("applications/new/", applicant.application_start_view, name="application_start"),
    path("applications/<int:pk>/", applicant.application_detail, name="application_detail"),
    path(
        "applications/<int:pk>/withdraw/",
        applicant.application_withdraw_view,
        name="application_withdraw",
    ),
    path(
        "applications/<int:pk>/care-team/add/",
        attestations.care_team_member_view,
        name="care_team_add",
    ),
    path(
        "applications/<int:pk>/care-team/<int:member_pk>/",
        attestations.care_team_member_view,
        name="care_team_edit",
    ),
    path(
        "applications/<int:pk>/care-team/<int:member_pk>/remove/",
        attestations.care_team_member_remove_view,
        name="care_team_remove",
    ),
    path("applications/<int:pk>/partners/add/", attestations.partner_view, name="partner_add"),
    path(
        "applications/<int:pk>/partners/<int:partner_pk>/",
        attestations.partner_view,
        name="partner_edit",
    ),
    path(
        "applications/<int:pk>/partners/<int:partner_pk>/remove/",
        attestations.partner_remove_view,
        name="partner_remove",
    ),
    path("applications/<int:pk>/capacity/", attestations.capacity_view, name="capacity"),
    path(
        "applications/<int:pk>/documents/<int:document_pk>/remove/",
        steps.document_remove_view,
        name="document_remove",
    ),
    path("applications/<int:pk>/<slug:step>/", steps.step_page, name="step"),
    path(
        "applications/<int:pk>/<slug:step>/documents/",
        steps.document_upload_view,
        name="document_upload",
    ),
]
