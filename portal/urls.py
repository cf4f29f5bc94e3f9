from django.contrib import admin
from django.urls import include, path

from portal import views

urlpatterns = [
    path("", views.home, name="home"),
    path("audit/", views.audit_trail, name="audit_trail"),
    path("audit/export.csv", views.audit_trail_export, name="audit_trail_export"),
    path("accounts/", include("allauth.urls")),
    path("", include("onboarding.urls")),
    path("documents/", include("documents.urls")),
    path("admin/", admin.site.urls),
]
