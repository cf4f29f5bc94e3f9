from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("<int:pk>/download/", views.document_download, name="download"),
    path("packets/<int:pk>/", views.packet, name="packet"),
    path(
        "packets/<int:pk>/items/<int:item_pk>/download/",
        views.packet_item_download,
        name="packet_item_download",
    ),
    path("packets/<int:pk>/acknowledge/", views.packet_acknowledge_view, name="packet_acknowledge"),
]
