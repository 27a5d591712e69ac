"""Webhooks: record the messages an event causes, send them from the task worker, retry, redeliver.

The flow, in one direction:

    a service changes something (issue, revoke, complete, officer update)
      → its signal (inside the same transaction) → api.webhooks.receivers
      → webhook_events_emit: one pending WebhookDelivery per subscribed endpoint in scope,
        written in that transaction (a rollback leaves no message behind)
      → on commit: one `deliver_webhook` task per delivery (never sent inside the request)
      → worker: webhook_deliver → signed POST → delivered, or the next try is scheduled
        (WEBHOOKS["RETRY_SCHEDULE_SECONDS"]), up to WEBHOOKS["MAX_ATTEMPTS"] tries, then failed.

Each try first claims the row with a conditional UPDATE that pushes `next_attempt_at`
forward by the send lease, so two workers (a retry and a sweep) never send the same
try twice; a worker killed while sending leaves the lease to run out and
`manage.py sweep_webhook_deliveries` asks again.
"""

import datetime
import logging
from functools import partial

import httpx
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from wagtail.log_actions import log

from api.webhooks import signing
from api.webhooks import tasks  # tasks import this module too: a failed try enqueues the next one
from api.webhooks.addresses import validate_webhook_url
from api.webhooks.events import Event
from api.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from api.webhooks.scope import endpoint_receives
from lms import queueing

logger = logging.getLogger(__name__)

USER_AGENT = "Pimpasa-LMS-Webhooks/1"
ERROR_MAX = 500

# Audit-log actions (labels registered in api.webhooks.admin).
REDELIVER = "api.webhook_redeliver"
SECRET_ROTATE = "api.webhook_secret_rotate"
SECRET_GRACE_END = "api.webhook_secret_grace_end"


def _config(key):
    return settings.WEBHOOKS[key]


# --- recording events ----------------------------------------------------------------------


def webhook_endpoints_subscribed(event_type: str) -> list[WebhookEndpoint]:
    """The active endpoints subscribed to `event_type`, with their clients (one query)."""
    endpoints = WebhookEndpoint.objects.filter(is_active=True).select_related("client").order_by("pk")
    return [endpoint for endpoint in endpoints if endpoint.subscribes(event_type)]


def webhook_events_emit(*, events: list[Event], endpoints: list[WebhookEndpoint] | None = None) -> list[WebhookDelivery]:
    """One pending delivery per event and active endpoint that subscribes to it and may see it.

    Call inside the transaction that caused the events: the deliveries commit or roll
    back with it, and their tasks are enqueued only once it commits. Two queries
    (endpoints unless given, insert) whatever the number of events and endpoints.
    """
    if not events:
        return []
    if endpoints is None:
        endpoints = list(WebhookEndpoint.objects.filter(is_active=True).select_related("client"))
    now = timezone.now()
    deliveries = [
        WebhookDelivery(
            endpoint=endpoint,
            event_type=event.type,
            payload=event.payload(),
            next_attempt_at=now,
            created_at=now,
        )
        for event in events
        for endpoint in endpoints
        if endpoint_receives(endpoint, event)
    ]
    if not deliveries:
        return []
    deliveries = WebhookDelivery.objects.bulk_create(deliveries, batch_size=500)
    transaction.on_commit(partial(_enqueue_all, [delivery.pk for delivery in deliveries]))
    return deliveries


def _enqueue(delivery_id: int, *, run_after: datetime.datetime | None = None) -> bool:
    """Ask the worker to send one delivery; False when the queue is down (the sweep asks again)."""
    task = tasks.deliver_webhook
    if run_after is not None and task.get_backend().supports_defer:
        task = task.using(run_after=run_after)
    try:
        result = queueing.enqueue(task, delivery_id)
    except queueing.QueueUnavailable:
        return False
    # Unless it already ran (the immediate backend of the tests runs it inside enqueue()).
    WebhookDelivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING).update(task_id=result.id)
    return True


def _enqueue_all(delivery_ids: list[int]) -> None:
    for delivery_id in delivery_ids:
        if not _enqueue(delivery_id):
            logger.warning("Webhook queue unavailable; %s deliveries wait for the sweep", len(delivery_ids))
            return


# --- sending ----------------------------------------------------------------------------------


def _retry_delay(attempts: int) -> datetime.timedelta:
    """After the `attempts`-th failed try: 1 min, 5 min, 30 min, 2 h, 6 h, 12 h, then 12 h again."""
    schedule = _config("RETRY_SCHEDULE_SECONDS")
    return datetime.timedelta(seconds=schedule[min(attempts, len(schedule)) - 1])


def _claim(delivery_id: int, *, now: datetime.datetime) -> bool:
    lease = datetime.timedelta(seconds=_config("SEND_LEASE_SECONDS"))
    return bool(WebhookDelivery.objects.due(now).filter(pk=delivery_id).update(next_attempt_at=now + lease))


def _post(delivery: WebhookDelivery, *, at: datetime.datetime) -> tuple[int | None, str]:
    """Send one signed try; (HTTP status or None, error text or "")."""
    endpoint = delivery.endpoint
    try:
        validate_webhook_url(endpoint.url)
    except ValidationError as error:
        return None, " ".join(error.messages)
    body = signing.body_encode(delivery.payload)
    # Signed with the secrets valid now, whenever the message was first made: a retry or a
    # redelivery after a rotation carries the new secret's signature (and the old one's in its grace period).
    headers = signing.signed_headers(secrets=endpoint.signing_secrets(at), event_id=delivery.event_id, body=body, at=at)
    headers.update({"content-type": "application/json", "user-agent": USER_AGENT})
    try:
        response = httpx.post(
            endpoint.url,
            content=body.encode("utf-8"),
            headers=headers,
            timeout=_config("TIMEOUT_SECONDS"),
            follow_redirects=False,
        )
    except httpx.HTTPError as error:
        return None, f"{type(error).__name__}: {error}"[:ERROR_MAX]
    if 200 <= response.status_code < 300:
        return response.status_code, ""
    return response.status_code, f"HTTP {response.status_code}: {response.text[:200]}"[:ERROR_MAX]


def webhook_deliver(*, delivery_id: int) -> str:
    """One try at sending a due delivery (the task's work); returns the delivery's status after it."""
    now = timezone.now()
    if not _claim(delivery_id, now=now):
        return "not-due"  # sent, given up, or another worker holds it
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    if not delivery.endpoint.is_active:
        code, error = None, "Endpoint inactive"
    else:
        code, error = _post(delivery, at=now)
    attempts = delivery.attempts + 1
    done = WebhookDelivery.objects.filter(pk=delivery_id)
    if not error:
        done.update(
            status=DeliveryStatus.DELIVERED, attempts=F("attempts") + 1, last_attempt_at=now,
            last_response_code=code, last_error="", delivered_at=timezone.now(), next_attempt_at=None,
        )
        return DeliveryStatus.DELIVERED
    if attempts >= _config("MAX_ATTEMPTS") or not delivery.endpoint.is_active:
        logger.warning("Webhook %s to endpoint %s failed %s times; giving up: %s",
                       delivery.event_id, delivery.endpoint_id, attempts, error)
        done.update(
            status=DeliveryStatus.FAILED, attempts=F("attempts") + 1, last_attempt_at=now,
            last_response_code=code, last_error=error, next_attempt_at=None,
        )
        return DeliveryStatus.FAILED
    next_at = now + _retry_delay(attempts)
    done.update(
        attempts=F("attempts") + 1, last_attempt_at=now, last_response_code=code, last_error=error,
        next_attempt_at=next_at, task_id="",
    )
    # With a queue that can wait (database backend; RQ with its scheduler) the retry is queued now
    # to run then; otherwise (the immediate backend of the tests) the sweep sends it when due.
    if tasks.deliver_webhook.get_backend().supports_defer:
        _enqueue(delivery_id, run_after=next_at)
    return DeliveryStatus.PENDING


def webhook_deliveries_sweep(*, now=None) -> int:
    """Enqueue every pending delivery that is overdue and not waiting in the queue; returns how many.

    Covers a worker killed while sending (its lease ran out), a queue that was down
    when the event happened, and a backend that cannot defer a retry. Safe to run at
    any time, twice, or on two machines: the send itself is claimed by the worker.
    """
    now = now or timezone.now()
    grace = datetime.timedelta(seconds=_config("SWEEP_GRACE_SECONDS"))
    overdue = (
        WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now - grace)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", "task_id")
    )
    enqueued = 0
    for delivery_id, task_id in overdue.iterator():
        if queueing.waiting_in_queue(tasks.deliver_webhook, task_id):
            continue
        if not _enqueue(delivery_id):
            raise queueing.QueueUnavailable()
        enqueued += 1
    return enqueued


# --- the admin's actions -----------------------------------------------------------------


@transaction.atomic
def webhook_redeliver(*, delivery: WebhookDelivery, by) -> WebhookDelivery:
    """Send a message again, with the same event id and payload, as a fresh series of tries."""
    previous = {"status": delivery.status, "attempts": delivery.attempts}
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=timezone.now(), delivered_at=None, task_id=""
    )
    delivery.refresh_from_db()
    log(
        instance=delivery,
        action=REDELIVER,
        user=by,
        data={"event_id": delivery.event_id, "event_type": delivery.event_type, **previous},
    )
    transaction.on_commit(partial(_enqueue_all, [delivery.pk]))
    return delivery


@transaction.atomic
def webhook_endpoint_create(*, endpoint: WebhookEndpoint, by) -> str:
    """Save a new endpoint with a fresh secret; returns the secret, which is shown this once."""
    secret = signing.secret_generate()
    endpoint.secret = secret
    endpoint.save()
    log(instance=endpoint, action="wagtail.create", user=by)
    return secret


def _secret_grace() -> datetime.timedelta:
    return datetime.timedelta(hours=_config("SECRET_GRACE_HOURS"))


@transaction.atomic
def webhook_endpoint_secret_rotate(*, endpoint: WebhookEndpoint, by) -> str:
    """Replace the signing secret; returns the new one, which is shown this once.

    The secret it replaces keeps signing beside the new one for WEBHOOKS["SECRET_GRACE_HOURS"],
    so the receiver refuses nothing while it deploys the new one. Only one old secret is
    kept: rotating again within a grace period drops the secret before the current one at
    once, and the current one gets a full grace period of its own.
    """
    now = timezone.now()
    current = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    dropped_until = current.previous_secret_until(now)
    grace = _secret_grace()
    expires_at = now + grace if grace else None
    secret = signing.secret_generate()
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        secret=secret,
        secret_rotated_at=now,
        previous_secret=current.secret if expires_at else "",
        previous_secret_expires_at=expires_at,
    )
    endpoint.refresh_from_db()
    log(
        instance=endpoint,
        action=SECRET_ROTATE,
        user=by,
        data={
            "previous_secret_until": expires_at.isoformat() if expires_at else None,
            # An older secret that was still in its grace period and stopped signing with this rotation.
            "dropped_secret_was_valid_until": dropped_until.isoformat() if dropped_until else None,
        },
    )
    return secret


@transaction.atomic
def webhook_endpoint_secret_grace_end(*, endpoint: WebhookEndpoint, by) -> bool:
    """Stop signing with the previous secret now (e.g. it leaked); False when it no longer signed anyway."""
    now = timezone.now()
    current = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    until = current.previous_secret_until(now)
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(previous_secret="", previous_secret_expires_at=None)
    endpoint.refresh_from_db()
    if until is None:
        return False
    log(instance=endpoint, action=SECRET_GRACE_END, user=by, data={"previous_secret_was_valid_until": until.isoformat()})
    return True


def webhook_endpoint_previous_secrets_forget(*, now: datetime.datetime) -> int:
    """Erase previous secrets whose grace period is over (they already sign nothing); returns how many."""
    return WebhookEndpoint.objects.filter(previous_secret_expires_at__lte=now).update(
        previous_secret="", previous_secret_expires_at=None
    )
