from django.urls import path

from recredentialing import views

app_name = "recredentialing"

urlpatterns = [
    path("review/recredentialing/", views.workbench, name="workbench"),
    path("review/recredentialing/export.csv", views.workbench_export, name="workbench_export"),
]
