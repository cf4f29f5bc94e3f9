from django.urls import path

from data_exchange import views

app_name = "data_exchange"

urlpatterns = [
    path(
        "applications/<int:pk>/data-sharing/samples/",
        views.sample_file_check_view,
        name="sample_file_check",
    ),
    path(
        "applications/<int:pk>/data-sharing/samples/<int:check_pk>/",
        views.sample_file_check_progress,
        name="sample_file_check_progress",
    ),
]
