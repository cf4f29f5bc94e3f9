"""The API's URLs, included at ``api/v1/`` under the namespace ``api``."""

from api.v1 import api

app_name = "api"
urlpatterns = api.urls[0]
