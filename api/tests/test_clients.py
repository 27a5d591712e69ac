"""Registering an API client and getting a token with client credentials."""

import base64

import pytest
from django.contrib.auth.hashers import check_password
from oauth2_provider.models import AccessToken
from wagtail.models import ModelLogEntry

from api import audit
from api.services import api_client_register, api_client_secret_rotate
from api.tests.builders import bearer, make_api_client, make_token
from lms.tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db
TOKEN_URL = "/api/v1/oauth/token/"


def basic(client_id, secret):
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def test_the_secret_is_stored_hashed_and_the_service_user_cannot_log_in():
    admin = UserFactory(is_superuser=True)
    credentials = api_client_register(
        name="SDM Imigrasi", agency=AgencyFactory(), scopes="officers:read bogus certificates:read", by=admin
    )
    application = credentials.client.application
    assert application.client_secret != credentials.client_secret
    assert check_password(credentials.client_secret, application.client_secret)
    assert credentials.client.scopes == "officers:read certificates:read"
    assert not application.user.is_active and not application.user.has_usable_password()
    entry = ModelLogEntry.objects.get(action=audit.CLIENT_REGISTER)
    assert entry.user_id == admin.pk and entry.object_id == str(credentials.client.pk)


def test_client_credentials_give_an_expiring_token_with_only_the_clients_scopes(client):
    credentials = api_client_register(name="SDM Pusat", scopes="certificates:read progress:read")
    response = client.post(
        TOKEN_URL,
        {"grant_type": "client_credentials"},
        HTTP_AUTHORIZATION=basic(credentials.client_id, credentials.client_secret),
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["token_type"] == "Bearer" and 0 < body["expires_in"] <= 3600
    assert set(body["scope"].split()) == {"certificates:read", "progress:read"}

    asked_for_more = client.post(
        TOKEN_URL,
        {"grant_type": "client_credentials", "scope": "certificates:read certificates:revoke"},
        HTTP_AUTHORIZATION=basic(credentials.client_id, credentials.client_secret),
    )
    assert asked_for_more.status_code == 400
    assert asked_for_more.json()["error"] == "invalid_scope"
    assert AccessToken.objects.count() == 1


def test_a_wrong_secret_or_an_inactive_client_gets_no_token(client):
    credentials = api_client_register(name="SDM Polri", scopes="officers:read")
    wrong = client.post(
        TOKEN_URL, {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=basic(credentials.client_id, "nope")
    )
    assert wrong.status_code == 401
    credentials.client.is_active = False
    credentials.client.save()
    inactive = client.post(
        TOKEN_URL,
        {"grant_type": "client_credentials"},
        HTTP_AUTHORIZATION=basic(credentials.client_id, credentials.client_secret),
    )
    assert inactive.status_code == 401
    assert not AccessToken.objects.exists()


def test_a_deactivated_client_or_a_replaced_secret_stops_its_cached_tokens_at_once(client):
    api_client = make_api_client(name="SDM Cache")
    token = bearer(make_token(api_client))
    assert client.get("/api/v1/courses", **token).status_code == 200  # now cached
    api_client.is_active = False
    api_client.save()
    assert client.get("/api/v1/courses", **token).status_code == 401
    api_client.is_active = True
    api_client.save()
    assert client.get("/api/v1/courses", **token).status_code == 200
    api_client_secret_rotate(client=api_client)
    assert client.get("/api/v1/courses", **token).status_code == 401
