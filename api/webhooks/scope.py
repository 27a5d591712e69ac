"""Who receives an event: the same rule as the API's reads.

An endpoint receives an event when it subscribes to its type, its client is active and
holds the scope that reads that kind of record, and the client is central (no agency)
or of an agency the event concerns. An Imigrasi client never hears of a BP2MI certificate;
officer events go to every client with officers:read, as the API shows officers to all
(api.selectors).
"""

from api import scopes
from api.webhooks.events import Event
from api.webhooks.models import WebhookEvent

# The API scope a client needs to read what each event carries.
EVENT_SCOPES = {
    WebhookEvent.CERTIFICATE_ISSUED: scopes.CERTIFICATES_READ,
    WebhookEvent.CERTIFICATE_REVOKED: scopes.CERTIFICATES_READ,
    WebhookEvent.CERTIFICATE_EXPIRED: scopes.CERTIFICATES_READ,
    WebhookEvent.COURSE_COMPLETED: scopes.PROGRESS_READ,
    WebhookEvent.OFFICER_UPDATED: scopes.OFFICERS_READ,
}


def events_allowed(client) -> list[str]:
    """The event types this client's scopes let it subscribe to."""
    held = set(client.scope_list)
    return [event for event in WebhookEvent.values if EVENT_SCOPES[event] in held]


def endpoint_receives(endpoint, event: Event) -> bool:
    client = endpoint.client
    if not (client.is_active and endpoint.subscribes(event.type) and client.has_scope(EVENT_SCOPES[event.type])):
        return False
    return event.agency_ids is None or client.is_central or client.agency_id in event.agency_ids
