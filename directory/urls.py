from django.urls import path, re_path

from directory import views

app_name = "directory"
urlpatterns = [
    path("metadata", views.metadata, name="metadata"),
    path("openapi.json", views.openapi, name="openapi"),
    # Any type and any id (even with a slash or a line break) reach the views, which answer an
    # unknown one with an OperationOutcome rather than an HTML page.
    re_path(r"^(?P<resource_type>[^/]+)$", views.search, name="search"),
    re_path(r"^(?P<resource_type>[^/]+)/(?P<resource_id>[\s\S]+)$", views.read, name="read"),
]
