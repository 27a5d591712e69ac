"""API clients and tokens for the tests (tokens made directly: the token endpoint has its own tests)."""

import datetime
import secrets

from django.utils import timezone
from oauth2_provider.models import AccessToken

from api.scopes import SCOPES
from api.services import api_client_register

ALL_SCOPES = " ".join(SCOPES)


def make_api_client(*, name=None, agency=None, scopes=ALL_SCOPES, rate_limit_per_minute=1000):
    name = name or f"Klien {secrets.token_hex(4)}"
    return api_client_register(
        name=name, agency=agency, scopes=scopes, rate_limit_per_minute=rate_limit_per_minute
    ).client


def make_token(client, *, scopes: str | None = None, expires_in: int = 3600) -> str:
    token = secrets.token_urlsafe(30)
    AccessToken.objects.create(
        application=client.application,
        token=token,
        scope=client.scopes if scopes is None else scopes,
        expires=timezone.now() + datetime.timedelta(seconds=expires_in),
    )
    return token


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}
