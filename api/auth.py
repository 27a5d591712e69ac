"""Bearer tokens of django-oauth-toolkit, checked per operation for one scope, and each client's rate limit.

`ClientToken(scope)` is the `auth=` of an operation. It finds the access token by its checksum
(as django-oauth-toolkit does) in one query with its application's ApiClient and agency, and:
- no, unknown or expired token, or an inactive client: 401;
- a token without the operation's scope (or whose client no longer holds it): 403;
- over the client's `rate_limit_per_minute`: 429 with Retry-After (lms.ratelimits counters,
  shared through the cache like the site's other budgets).
The operation then reads `request.auth`, the ApiClient.
"""

import hashlib

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security.http import HttpBearer
from oauth2_provider.models import get_access_token_model

from api import scopes as api_scopes
from api.problems import Problem
from lms import cache as lms_cache
from lms.ratelimits import check_rate_limit

AccessToken = get_access_token_model()
RATE_GROUP = "api"
TOKEN_URL = "/api/v1/oauth/token/"


def _client_key(group, request) -> str:
    return str(request.api_client.pk)


class ClientToken(HttpBearer):
    """OAuth 2.0 client credentials (the OpenAPI security scheme `OAuth2`)."""

    openapi_type = "oauth2"
    openapi_description = "OAuth 2.0 client credentials: POST /api/v1/oauth/token/ with the client id and secret."

    def __init__(self, scope: str | None, *, versions: tuple[str, ...] = ()):
        """`versions`: the lms.cache scopes the operation reads, fetched with the token in one round trip."""
        if scope is not None and scope not in api_scopes.SCOPES:
            raise ValueError(f"Unknown scope {scope!r}")
        self.scope = scope
        self.versions = versions
        super().__init__()

    openapi_flows = {
        "clientCredentials": {
            "tokenUrl": TOKEN_URL,
            "scopes": api_scopes.SCOPE_DOCS,
        }
    }

    def authenticate(self, request, token: str):
        client = client_for_token(token, versions=self.versions)
        if client is None:
            return None  # ninja answers 401 (api.problems)
        granted = set(client.token_scopes) & set(client.scope_list)
        if self.scope is not None and self.scope not in granted:
            raise Problem(403, _("Operasi ini memerlukan cakupan %(scope)s.") % {"scope": self.scope})
        request.api_client = client
        usage = check_rate_limit(request, group=RATE_GROUP, key=_client_key, rate=f"{client.rate_limit_per_minute}/m")
        if usage is not None:
            retry_after = max(int(usage["time_left"]), 1)
            raise Problem(
                429,
                _("Batas %(limit)s permintaan per menit untuk klien ini terlampaui. Coba lagi dalam %(seconds)s detik.")
                % {"limit": client.rate_limit_per_minute, "seconds": retry_after},
                headers={"Retry-After": str(retry_after)},
            )
        return client


TOKEN_CACHE_SECONDS = 60


def _token_key(checksum: str) -> str:
    return f"api:token:{checksum}"


def client_for_token(token: str, *, versions: tuple[str, ...] = ()):
    """The active ApiClient of a valid (unexpired) access token, or None.

    Kept in the shared cache for up to a minute (never past the token's expiry), so most requests
    make no query to authenticate; changing a client or replacing its secret deletes its entries
    (forget_client_tokens). The cache versions of `versions` are read in the same round trip."""
    if not token:
        return None
    checksum = hashlib.sha256(token.encode("utf-8")).hexdigest()
    cached = lms_cache.get_noting_versions(_token_key(checksum), versions)
    if cached is None:
        cached = _load(checksum)
        if cached[0] is not None:
            lifetime = int((cached[1] - timezone.now()).total_seconds())
            if lifetime > 0:
                cache.set(_token_key(checksum), cached, timeout=min(TOKEN_CACHE_SECONDS, lifetime))
    client, expires = cached
    if client is None or timezone.now() >= expires:
        return None
    return client


def _load(checksum: str):
    access = (
        AccessToken.objects.select_related("application__api_client__agency", "application__user")
        .filter(token_checksum=checksum)
        .first()
    )
    if access is None or access.is_expired() or not access.application_id:
        return None, None
    client = getattr(access.application, "api_client", None)
    if client is None or not client.is_active:
        return None, None
    client.token_scopes = access.scope.split()
    return client, access.expires


def forget_client_tokens(client) -> None:
    """Drop the cached answers for the client's tokens (it changed, or its tokens are being revoked)."""
    checksums = AccessToken.objects.filter(application_id=client.application_id).values_list("token_checksum", flat=True)
    cache.delete_many([_token_key(checksum) for checksum in checksums])
