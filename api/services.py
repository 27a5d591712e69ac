"""Registering and changing API clients (the admin's views and tests call these)."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import get_application_model
from wagtail.log_actions import log

from api import audit, auth
from api.models import ApiClient
from api.scopes import parse_scopes


@dataclass(frozen=True)
class Credentials:
    """What the admin sees once: the secret is stored hashed and cannot be shown again."""

    client: ApiClient
    client_id: str
    client_secret: str


def _service_user_name(client_id: str) -> str:
    return f"api-client-{client_id}"[:150]


@transaction.atomic
def api_client_register(
    *, name: str, agency=None, scopes: str, rate_limit_per_minute: int = 120, is_active: bool = True, by=None
) -> Credentials:
    """A client-credentials application, its service user (the actor of its writes in the audit log) and its ApiClient."""
    Application = get_application_model()
    secret = generate_client_secret()
    application = Application(
        name=name,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        client_secret=secret,  # hashed on save (hash_client_secret)
        hash_client_secret=True,
        skip_authorization=True,
    )
    service_user = get_user_model()(
        username=_service_user_name(application.client_id),
        first_name="API",
        last_name=name[:150],
        is_active=False,  # never logs in; it only names the client in the history and as revoker
    )
    service_user.set_unusable_password()
    service_user.save()
    application.user = service_user
    application.save()
    client = ApiClient(
        name=name,
        agency=agency,
        application=application,
        scopes=" ".join(parse_scopes(scopes)),
        rate_limit_per_minute=rate_limit_per_minute,
        is_active=is_active,
        created_by=by,
    )
    client.full_clean(exclude=["application"])
    client.save()
    log(client, audit.CLIENT_REGISTER, user=by, data={"name": name, "scopes": client.scopes})
    return Credentials(client=client, client_id=application.client_id, client_secret=secret)


@transaction.atomic
def api_client_secret_rotate(*, client: ApiClient, by=None) -> Credentials:
    """A new secret (shown once); the old one stops working and the client's tokens are revoked."""
    application = client.application
    secret = generate_client_secret()
    application.client_secret = secret
    application.save(update_fields=["client_secret"])
    auth.forget_client_tokens(client)
    application.accesstoken_set.all().delete()
    log(client, audit.CLIENT_SECRET_ROTATE, user=by, data={"name": client.name})
    return Credentials(client=client, client_id=application.client_id, client_secret=secret)


def service_user(client: ApiClient):
    """The user that stands for the client in the audit log and as `revoked_by`."""
    return client.application.user
