"""/api/v1/: the OAuth 2.0 token endpoint. The public verification JSON (/api/v1/verify/<code>/) is
routed by certificates.urls, before this."""

from django.urls import path
from oauth2_provider import views as oauth2_views

app_name = "api"

urlpatterns = [
    path("oauth/token/", oauth2_views.TokenView.as_view(), name="token"),
]
