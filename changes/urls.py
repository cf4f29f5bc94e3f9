from django.urls import path

from changes import views

app_name = "changes"

urlpatterns = [
    path("providers/<int:pk>/changes/", views.change_list, name="list"),
    path("providers/<int:pk>/changes/new/<slug:kind>/", views.change_new, name="new"),
    path("providers/<int:pk>/changes/<int:change_pk>/", views.change_detail, name="detail"),
    path("handover/<str:token>/", views.handover_accept_view, name="handover_accept"),
    path("review/changes/<int:task_pk>/", views.change_review, name="review"),
]
