"""Standard Webhooks signing, by the `standardwebhooks` library (no hand-rolled HMAC)."""

import base64
import datetime
import json
import secrets

from standardwebhooks.webhooks import Webhook

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32  # the specification asks for 24 to 64 random bytes


def secret_generate() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii")


def body_encode(payload: dict) -> str:
    """The exact text sent and signed (a retry re-encodes the stored payload the same way)."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def signed_headers(*, secrets: list[str], event_id: str, body: str, at: datetime.datetime) -> dict[str, str]:
    """webhook-id, webhook-timestamp and webhook-signature for `body` sent at `at`.

    One signature per secret, space-separated ("v1,<new> v1,<old>"), as the specification
    provides for rotation: a receiver holding any one of the secrets accepts the message.
    """
    at = at.astimezone(datetime.UTC).replace(microsecond=0)  # the library signs whole seconds, in UTC
    return {
        "webhook-id": event_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": " ".join(Webhook(secret).sign(msg_id=event_id, timestamp=at, data=body) for secret in secrets),
    }
