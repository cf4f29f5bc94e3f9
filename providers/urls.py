from django.urls import path

from providers import views

app_name = "providers"

urlpatterns = [
    path("providers/<int:pk>/", views.provider_record_view, name="record"),
    path(
        "review/applications/<int:pk>/status/<str:action>/",
        views.status_change_propose_view,
        name="status_change_propose",
    ),
    path(
        "review/status-changes/<int:pk>/confirm/",
        views.status_change_confirm_view,
        name="status_change_confirm",
    ),
    path(
        "review/status-changes/<int:pk>/decline/",
        views.status_change_decline_view,
        name="status_change_decline",
    ),
]
