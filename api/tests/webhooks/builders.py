"""Clients and endpoints for the webhook tests, each endpoint listening on the test receiver."""

from api.models import WebhookEndpoint
from api.services import api_client_register
from api.webhooks import signing
from api.webhooks.models import WebhookEvent

ALL_SCOPES = "officers:read certificates:read progress:read"


def make_endpoint(receiver, path: str, *, agency=None, scopes=ALL_SCOPES, events=None, statuses=(), **kwargs):
    """An API client (of `agency`, or central) with one endpoint at receiver/path, subscribed to `events` (all)."""
    client = api_client_register(name=f"SDM {path}", agency=agency, scopes=scopes).client
    secret = signing.secret_generate()
    endpoint = WebhookEndpoint.objects.create(
        client=client,
        url=receiver.url(path),
        events=list(events if events is not None else WebhookEvent.values),
        secret=secret,
        **kwargs,
    )
    receiver.listen(path, secret, statuses=statuses)
    return endpoint
