from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("<int:pk>/download/", views.document_download, name="download"),
    path("packets/receipts/", views.packet_receipt_list, name="packet_receipts"),
    path("packets/<int:pk>/", views.packet, name="packet"),
    path(
        "packets/<int:pk>/items/<int:item_pk>/download/",
        views.packet_item_download,
        name="packet_item_download",
    ),
    path("packets/<int:pk>/letter/", views.packet_letter_download, name="packet_letter"),
    path("packets/<int:pk>/zip/", views.packet_zip_download, name="packet_zip"),
    path("packets/<int:pk>/acknowledge/", views.packet_acknowledge_view, name="packet_acknowledge"),
]
