from django.urls import path

from disclosures import views

app_name = "disclosures"

urlpatterns = [
    path(
        "disclosures/<int:pk>/<slug:kind>/add/",
        views.party_view,
        name="party_add",
    ),
    path(
        "disclosures/<int:pk>/parties/<int:party_pk>/",
        views.party_view,
        name="party_edit",
    ),
    path(
        "disclosures/<int:pk>/parties/<int:party_pk>/remove/",
        views.party_remove_view,
        name="party_remove",
    ),
    path(
        "disclosures/<int:pk>/rows/<slug:row_kind>/add/",
        views.row_add_view,
        name="row_add",
    ),
    path(
        "disclosures/<int:pk>/rows/<slug:row_kind>/<int:row_pk>/remove/",
        views.row_remove_view,
        name="row_remove",
    ),
    path(
        "review/applications/<int:pk>/disclosure/<int:party_pk>/reveal/",
        views.reveal_view,
        name="reveal",
    ),
    path("review/disclosures.csv", views.export_view, name="export"),
]
