from django.urls import path

from corrective_actions import views

app_name = "corrective_actions"

urlpatterns = [
    path("providers/<int:pk>/corrective-actions/", views.item_list, name="list"),
    path(
        "providers/<int:pk>/corrective-actions/<int:item_pk>/",
        views.item_detail,
        name="item",
    ),
    path("review/corrective-actions/", views.workbench, name="workbench"),
    path(
        "review/corrective-actions/export.csv",
        views.workbench_export,
        name="workbench_export",
    ),
]
