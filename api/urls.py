"""/api/v1/: the OAuth 2.0 token endpoint and the API (django-ninja), its schema and docs.

The public verification JSON (/api/v1/verify/<code>/) is routed by certificates.urls, before this
(lms/urls.py), and keeps its contract; the schema describes it (api/openapi.py)."""

from django.urls import path
from oauth2_provider import views as oauth2_views

from api.endpoints import api

app_name = "api"

urlpatterns = [
    path("oauth/token/", oauth2_views.TokenView.as_view(), name="token"),
    *api.urls[0],
]
