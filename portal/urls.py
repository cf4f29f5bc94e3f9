from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from portal import health, views

urlpatterns = [
    path("", views.home, name="home"),
    # For the load balancer in front of the web nodes (README, Scale-out).
    path(health.PATH, health.healthz, name="healthz"),
    path("audit/", views.audit_trail, name="audit_trail"),
    path("audit/export.csv", views.audit_trail_export, name="audit_trail_export"),
    path("accounts/", include("allauth.urls")),
    path("", include("onboarding.urls")),
    path("", include("reviews.urls")),
    path("", include("screening.urls")),
    path("", include("data_exchange.urls")),
    path("", include("providers.urls")),
    path("", include("changes.urls")),
    path("", include("corrective_actions.urls")),
    path("", include("recredentialing.urls")),
    path("", include("disclosures.urls")),
    path("documents/", include("documents.urls")),
    # The public provider directory (FHIR, Plan-Net): open to anyone, read-only.
    path("fhir/", include("directory.urls")),
    # The JSON API for the plan's systems: bearer tokens only, never the session.
    path("api/v1/", include("api.urls")),
    # The admin site signs in and changes passwords through allauth only (second factor, rate
    # limits, audit); these come before admin.site.urls so that its own forms are never reached.
    path("admin/login/", views.admin_sign_in, name="admin_sign_in"),
    path(
        "admin/password_change/",
        RedirectView.as_view(pattern_name="account_change_password"),
        name="admin_password_change",
    ),
    path("admin/", admin.site.urls),
]
