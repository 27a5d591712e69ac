"""Webhooks reach a real receiver signed per Standard Webhooks, are retried with backoff, and are
never sent inside the request that caused them."""

import base64
import datetime
from io import StringIO

import httpx
import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from api.models import WebhookDelivery
from api.tests.webhooks.builders import make_endpoint
from api.webhooks import services, tasks
from api.webhooks.models import DeliveryStatus, WebhookEvent
from certificates.models import Certificate
from certificates.services import certificate_issue
from certificates.subjects import Subject
from certificates.tests.factories import make_certificate
from courses.tests.builders import make_course
from hr.tests.builders import make_hr_user
from lms.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 30, 3, 0, tzinfo=datetime.UTC)


@pytest.fixture
def imigrasi(db):
    return AgencyFactory(code="IMI", name="Direktorat Jenderal Imigrasi")


@pytest.fixture
def course(catalog, imigrasi):
    return make_course(catalog=catalog, agency=imigrasi, title="Paspor", slug="paspor")


def resend(receiver, path, body, headers):
    """Send captured bytes and headers again, as someone who intercepted them would."""
    wanted = {name: value for name, value in headers.items() if name.startswith("webhook-") or name == "content-type"}
    return httpx.post(receiver.url(path), content=body, headers=wanted)


def issue(officer, course, callbacks):
    with callbacks(execute=True):
        return certificate_issue(user=officer, subject=Subject.of(course))


def test_the_receiver_verifies_the_signed_message_with_the_library(
    receiver, course, officer, django_capture_on_commit_callbacks
):
    endpoint = make_endpoint(receiver, "sdm", events=[WebhookEvent.CERTIFICATE_ISSUED])
    certificate = issue(officer, course, django_capture_on_commit_callbacks)

    (message,) = receiver.to("sdm")
    assert message.verified, message.error
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert message.event_id == delivery.event_id and delivery.event_id.startswith("msg_")
    assert {"webhook-id", "webhook-timestamp", "webhook-signature"} <= set(message.headers)
    assert message.headers["webhook-signature"].startswith("v1,")
    assert message.headers["content-type"] == "application/json"
    payload = message.payload
    assert payload["type"] == "certificate.issued"
    assert payload["data"]["serial"] == certificate.serial
    assert payload["data"]["agency"] == "IMI" and payload["data"]["status"] == "valid"
    assert payload["data"]["holder_nip"] == officer.officer_profile.nip
    assert payload["data"]["id"] == certificate.pk and payload["data"]["verification_code"] == certificate.code
    assert (delivery.status, delivery.attempts, delivery.last_response_code) == (DeliveryStatus.DELIVERED, 1, 204)
    assert delivery.delivered_at is not None and delivery.next_attempt_at is None


def test_the_secret_is_in_the_standard_webhooks_format(receiver):
    endpoint = make_endpoint(receiver, "sdm")
    assert endpoint.secret.startswith("whsec_")
    assert len(base64.b64decode(endpoint.secret.removeprefix("whsec_"))) == 32


def test_a_tampered_body_is_refused_by_the_library(receiver, course, officer, django_capture_on_commit_callbacks):
    endpoint = make_endpoint(receiver, "sdm")
    issue(officer, course, django_capture_on_commit_callbacks)
    (message,) = receiver.to("sdm")
    tampered = message.body.replace(b'"status":"valid"', b'"status":"revoked"')
    assert tampered != message.body

    with pytest.raises(WebhookVerificationError):
        Webhook(endpoint.secret).verify(tampered, message.headers)
    # Sent to the receiver as an attacker would: refused.
    response = resend(receiver, "sdm", tampered, message.headers)
    assert response.status_code == 400
    assert not receiver.received[-1].verified and "No matching signature" in receiver.received[-1].error


def test_a_replayed_message_is_refused_by_the_library(receiver, course, officer, django_capture_on_commit_callbacks):
    make_endpoint(receiver, "sdm")
    with time_machine.travel(NOW, tick=False) as clock:
        issue(officer, course, django_capture_on_commit_callbacks)
        (message,) = receiver.to("sdm")
        assert message.verified

        # The same bytes and headers, captured and sent again ten minutes later.
        clock.shift(datetime.timedelta(minutes=10))
        response = resend(receiver, "sdm", message.body, message.headers)
    assert response.status_code == 400
    assert "too old" in receiver.received[-1].error


def test_a_secret_of_another_endpoint_does_not_verify(receiver, course, officer, django_capture_on_commit_callbacks):
    make_endpoint(receiver, "sdm")
    other = make_endpoint(receiver, "lain", events=[])
    issue(officer, course, django_capture_on_commit_callbacks)
    (message,) = receiver.to("sdm")
    with pytest.raises(WebhookVerificationError):
        Webhook(other.secret).verify(message.body, message.headers)


def test_a_receiver_that_fails_twice_gets_the_same_event_again_and_it_is_delivered_once(
    receiver, course, officer, django_capture_on_commit_callbacks
):
    endpoint = make_endpoint(receiver, "sdm", statuses=[500, 503], events=[WebhookEvent.CERTIFICATE_ISSUED])
    with time_machine.travel(NOW, tick=False) as clock:
        issue(officer, course, django_capture_on_commit_callbacks)
        delivery = WebhookDelivery.objects.get(endpoint=endpoint)
        assert (delivery.status, delivery.attempts, delivery.last_response_code) == (DeliveryStatus.PENDING, 1, 500)
        assert delivery.next_attempt_at == NOW + datetime.timedelta(minutes=1)  # first backoff step

        # Not due yet: the sweep sends nothing.
        call_command("sweep_webhook_deliveries", stdout=StringIO())
        assert len(receiver.to("sdm")) == 1

        # The immediate test backend cannot defer a task: the sweep sends each due retry.
        clock.shift(datetime.timedelta(minutes=1, seconds=300))
        call_command("sweep_webhook_deliveries", stdout=StringIO())
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts, delivery.last_response_code) == (DeliveryStatus.PENDING, 2, 503)
        assert delivery.next_attempt_at == NOW + datetime.timedelta(minutes=6, seconds=300)  # then 5 minutes

        clock.shift(datetime.timedelta(minutes=5, seconds=300))
        out = StringIO()
        call_command("sweep_webhook_deliveries", stdout=out)
        assert "Enqueued 1" in out.getvalue()

        clock.shift(datetime.timedelta(days=1))
        call_command("sweep_webhook_deliveries", stdout=StringIO())  # nothing is left to send

    messages = receiver.to("sdm")
    assert [message.status for message in messages] == [500, 503, 204]
    assert all(message.verified for message in messages)
    assert len({message.event_id for message in messages}) == 1
    assert len({message.headers["webhook-timestamp"] for message in messages}) == 3  # signed anew each try
    assert len({message.body for message in messages}) == 1
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert messages[0].event_id == delivery.event_id
    assert (delivery.status, delivery.attempts, delivery.last_response_code) == (DeliveryStatus.DELIVERED, 3, 204)


def test_a_receiver_that_keeps_failing_is_given_up_after_the_maximum(
    receiver, course, officer, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOKS = {**settings.WEBHOOKS, "MAX_ATTEMPTS": 3, "SWEEP_GRACE_SECONDS": 0}
    endpoint = make_endpoint(receiver, "sdm", statuses=[500] * 10, events=[WebhookEvent.CERTIFICATE_ISSUED])
    with time_machine.travel(NOW, tick=False) as clock:
        issue(officer, course, django_capture_on_commit_callbacks)
        for _ in range(5):
            clock.shift(datetime.timedelta(hours=1))
            call_command("sweep_webhook_deliveries", stdout=StringIO())
    assert len(receiver.to("sdm")) == 3
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == (DeliveryStatus.FAILED, 3, None)
    assert delivery.last_error.startswith("HTTP 500")


def test_an_unreachable_receiver_is_retried(receiver, course, officer, django_capture_on_commit_callbacks):
    endpoint = make_endpoint(receiver, "sdm")
    receiver.stop()
    issue(officer, course, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1
    assert delivery.last_response_code is None and "ConnectError" in delivery.last_error


class TestNeverInsideTheRequest:
    def test_the_request_returns_before_anything_is_sent(
        self, client, receiver, course, officer, django_capture_on_commit_callbacks
    ):
        certificate = make_certificate(holder=officer, course=course)
        endpoint = make_endpoint(receiver, "sdm", events=[WebhookEvent.CERTIFICATE_REVOKED])
        client.force_login(make_hr_user())

        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            response = client.post(reverse("hr:revoke", args=[certificate.pk]), {"reason": "other", "note": "uji"})
        assert response.status_code == 302
        assert receiver.received == []
        delivery = WebhookDelivery.objects.get(endpoint=endpoint)  # written by the request, in its transaction
        assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 0

        for callback in callbacks:  # the commit hands it to the worker
            callback()
        (message,) = receiver.to("sdm")
        assert message.verified and message.payload["type"] == "certificate.revoked"
        assert message.payload["data"]["status"] == "revoked"
        assert message.payload["data"]["revocation_reason"] == "other"

    def test_with_the_database_queue_the_worker_sends_it(
        self, client, receiver, course, officer, settings, django_capture_on_commit_callbacks
    ):
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
        certificate = make_certificate(holder=officer, course=course)
        endpoint = make_endpoint(receiver, "sdm", statuses=[500], events=[WebhookEvent.CERTIFICATE_REVOKED])
        client.force_login(make_hr_user())

        with time_machine.travel(NOW, tick=False):
            with django_capture_on_commit_callbacks(execute=True):
                response = client.post(reverse("hr:revoke", args=[certificate.pk]), {"reason": "other", "note": "uji"})
            assert response.status_code == 302
            assert receiver.received == []  # queued, not sent
            delivery = WebhookDelivery.objects.get(endpoint=endpoint)
            queued = tasks.deliver_webhook.get_backend().get_result(delivery.task_id)
            assert queued.args == [delivery.pk] and queued.task.run_after is None

            tasks.deliver_webhook.call(delivery.pk)  # what the worker does with it
            delivery.refresh_from_db()
            assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1
            retry = tasks.deliver_webhook.get_backend().get_result(delivery.task_id)
            assert retry.id != queued.id and retry.args == [delivery.pk]
            assert retry.task.run_after == delivery.next_attempt_at == NOW + datetime.timedelta(minutes=1)

        with time_machine.travel(NOW + datetime.timedelta(minutes=1), tick=False):
            tasks.deliver_webhook.call(delivery.pk)
        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 2
        assert [message.status for message in receiver.to("sdm")] == [500, 204]

    def test_a_rolled_back_change_leaves_no_message(self, receiver, course, officer, django_capture_on_commit_callbacks):
        make_endpoint(receiver, "sdm")
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
            with transaction.atomic():
                certificate_issue(user=officer, subject=Subject.of(course))
                raise RuntimeError("something after the issue failed")
        assert not Certificate.objects.exists()
        assert not WebhookDelivery.objects.exists()
        assert receiver.received == []


def test_a_due_try_is_claimed_by_one_worker_only(receiver):
    endpoint = make_endpoint(receiver, "sdm")
    delivery = WebhookDelivery.objects.create(endpoint=endpoint, event_type="certificate.issued", payload={},
                                              next_attempt_at=NOW)
    with time_machine.travel(NOW, tick=False):
        assert services._claim(delivery.pk, now=NOW) is True
        assert services._claim(delivery.pk, now=NOW) is False  # a second worker, a sweep's task: not theirs
        assert tasks.deliver_webhook.call(delivery.pk) == "not-due"
    assert receiver.received == []
    # A worker killed while sending: once its lease runs out the try is due again.
    lease_over = NOW + datetime.timedelta(seconds=120)
    with time_machine.travel(lease_over, tick=False):
        assert tasks.deliver_webhook.call(delivery.pk) == DeliveryStatus.DELIVERED
    assert len(receiver.to("sdm")) == 1
