from django.urls import path

from screening import views

app_name = "screening"

urlpatterns = [
    path(
        "review/applications/<int:pk>/screening/<int:result_pk>/adjudicate/",
        views.adjudicate,
        name="adjudicate",
    ),
    path(
        "review/applications/<int:pk>/screening/run/",
        views.rerun,
        name="rerun",
    ),
]
