"""Rotating a signing secret without refusing anything: the old secret signs beside the new one
for WEBHOOKS["SECRET_GRACE_HOURS"] (24 h by default), checked by a real receiver with the library.

NOW is 10.00 WIB on 30 November 2026, so the grace period of a rotation at NOW ends at
10.00 WIB on 1 December 2026.
"""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from standardwebhooks.webhooks import Webhook, WebhookVerificationError
from wagtail.models import ModelLogEntry

from api.models import WebhookDelivery, WebhookEndpoint
from api.tests.webhooks.builders import make_endpoint
from api.webhooks import services
from api.webhooks.models import DeliveryStatus, WebhookEvent
from certificates.services import certificate_issue
from certificates.subjects import Subject
from courses.tests.builders import make_course
from lms.tests.factories import AgencyFactory, UserFactory, make_officer

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 30, 3, 0, tzinfo=datetime.UTC)
HOUR = datetime.timedelta(hours=1)
GRACE_END_TEXT = "1 Desember 2026 10.00 WIB"


@pytest.fixture
def course(catalog):
    return make_course(catalog=catalog, agency=AgencyFactory(code="IMI"), title="Paspor", slug="paspor")


@pytest.fixture
def admin(client):
    user = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(user)
    return user


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def send(course, django_capture_on_commit_callbacks):
    """Cause one `certificate.issued` message (a new officer earns the course) and send it."""

    def issue():
        with django_capture_on_commit_callbacks(execute=True):
            certificate_issue(user=make_officer(), subject=Subject.of(course))

    return issue


def signatures(message) -> int:
    return len(message.headers["webhook-signature"].split(" "))


def rotate(endpoint) -> str:
    return services.webhook_endpoint_secret_rotate(endpoint=endpoint, by=None)


class TestGracePeriod:
    def test_a_receiver_still_holding_the_old_secret_accepts_until_the_grace_period_ends(
        self, receiver, clock, send
    ):
        endpoint = make_endpoint(receiver, "sdm", events=[WebhookEvent.CERTIFICATE_ISSUED])
        old = endpoint.secret  # the receiver keeps verifying with this one
        new = rotate(endpoint)

        for step in (HOUR, 22 * HOUR + 59 * datetime.timedelta(minutes=1)):  # 11.00, then 09.59 WIB the next day
            clock.shift(step)
            send()
            message = receiver.to("sdm")[-1]
            assert message.verified and signatures(message) == 2, message.error
            Webhook(new).verify(message.body, message.headers)  # as the deployed receiver will

        clock.shift(datetime.timedelta(minutes=1))  # 10.00 WIB: the grace period is over
        send()
        after = receiver.to("sdm")[-1]
        assert not after.verified and after.status == 400 and "No matching signature" in after.error
        assert signatures(after) == 1
        Webhook(new).verify(after.body, after.headers)
        delivery = WebhookDelivery.objects.order_by("pk").last()
        assert delivery.status == DeliveryStatus.PENDING and delivery.last_response_code == 400
        assert old != new

    def test_a_receiver_holding_only_the_new_secret_accepts_during_and_after_the_grace_period(
        self, receiver, clock, send
    ):
        endpoint = make_endpoint(receiver, "sdm", events=[WebhookEvent.CERTIFICATE_ISSUED])
        receiver.listen("sdm", rotate(endpoint))  # deployed at once

        clock.shift(HOUR)
        send()
        clock.shift(30 * HOUR)
        send()
        during, after = receiver.to("sdm")
        assert during.verified and after.verified, (during.error, after.error)
        assert (signatures(during), signatures(after)) == (2, 1)

    def test_without_a_grace_period_the_old_secret_stops_at_once(self, receiver, clock, send, settings):
        settings.WEBHOOKS = {**settings.WEBHOOKS, "SECRET_GRACE_HOURS": 0}
        endpoint = make_endpoint(receiver, "sdm", events=[WebhookEvent.CERTIFICATE_ISSUED])
        rotate(endpoint)
        send()
        (message,) = receiver.to("sdm")
        assert not message.verified and signatures(message) == 1
        endpoint.refresh_from_db()
        assert (endpoint.previous_secret, endpoint.previous_secret_expires_at) == ("", None)

    def test_retries_and_redeliveries_are_signed_with_the_secrets_valid_when_sent(
        self, client, admin, receiver, clock, send, django_capture_on_commit_callbacks
    ):
        endpoint = make_endpoint(receiver, "sdm", events=[WebhookEvent.CERTIFICATE_ISSUED], statuses=[500])
        old = endpoint.secret
        send()  # made and first tried before the rotation, with the old secret alone: refused with 500
        delivery = WebhookDelivery.objects.get()
        assert delivery.status == DeliveryStatus.PENDING and signatures(receiver.to("sdm")[0]) == 1

        clock.shift(datetime.timedelta(seconds=30))
        new = rotate(endpoint)
        receiver.listen("sdm", new)  # the receiver deploys the new secret at once

        clock.shift(datetime.timedelta(minutes=6))
        call_command("sweep_webhook_deliveries", stdout=StringIO())
        retry = receiver.to("sdm")[-1]
        assert retry.verified and retry.event_id == delivery.event_id and signatures(retry) == 2
        Webhook(old).verify(retry.body, retry.headers)  # still accepted where the old one is held

        clock.shift(25 * HOUR)
        with django_capture_on_commit_callbacks(execute=True):  # "Kirim ulang" in the admin
            client.post(reverse("webhook_deliveries:redeliver", args=[delivery.pk]))
        again = receiver.to("sdm")[-1]
        assert again.verified and again.event_id == delivery.event_id and signatures(again) == 1
        with pytest.raises(WebhookVerificationError):
            Webhook(old).verify(again.body, again.headers)

    def test_a_second_rotation_keeps_only_the_secret_current_just_before(self, receiver, clock, send):
        endpoint = make_endpoint(receiver, "sdm", events=[WebhookEvent.CERTIFICATE_ISSUED])
        first = endpoint.secret
        second = rotate(endpoint)
        clock.shift(2 * HOUR)
        third = rotate(endpoint)
        receiver.listen("sdm", second)

        clock.shift(HOUR)
        send()
        (message,) = receiver.to("sdm")
        assert message.verified and signatures(message) == 2
        Webhook(third).verify(message.body, message.headers)
        with pytest.raises(WebhookVerificationError):
            Webhook(first).verify(message.body, message.headers)
        endpoint.refresh_from_db()
        # The second secret gets a full grace period from the second rotation.
        assert endpoint.previous_secret_expires_at == NOW + 26 * HOUR
        entry = ModelLogEntry.objects.filter(action=services.SECRET_ROTATE).order_by("pk").last()
        assert entry.data == {
            "previous_secret_until": (NOW + 26 * HOUR).isoformat(),
            "dropped_secret_was_valid_until": (NOW + 24 * HOUR).isoformat(),
        }

    def test_the_sweep_erases_an_old_secret_whose_grace_period_is_over(self, receiver, clock):
        endpoint = make_endpoint(receiver, "sdm")
        rotate(endpoint)
        clock.shift(23 * HOUR)
        call_command("sweep_webhook_deliveries", stdout=StringIO())
        endpoint.refresh_from_db()
        assert endpoint.previous_secret and endpoint.previous_secret_expires_at == NOW + 24 * HOUR

        clock.shift(HOUR)
        call_command("sweep_webhook_deliveries", stdout=StringIO())
        endpoint.refresh_from_db()
        assert (endpoint.previous_secret, endpoint.previous_secret_expires_at) == ("", None)


class TestAdmin:
    def test_the_secret_page_says_until_when_the_old_secret_signs(self, client, admin, receiver, clock):
        endpoint = make_endpoint(receiver, "sdm")
        rotate_url = reverse("webhook_endpoints:rotate", args=[endpoint.pk])
        confirm = client.get(rotate_url).content.decode()
        assert "24 jam" in confirm and "rahasia lama" in confirm

        response = client.post(rotate_url, follow=True)
        page = response.content.decode()
        endpoint.refresh_from_db()
        assert endpoint.secret in page  # shown once
        assert GRACE_END_TEXT in page  # in the success message and in the grace-period section
        assert "Rahasia terakhir diganti pada 30 November 2026 10.00 WIB" in page
        assert "Akhiri masa transisi" in page
        entry = ModelLogEntry.objects.get(action=services.SECRET_ROTATE, object_id=str(endpoint.pk))
        assert entry.user_id == admin.pk and entry.data["previous_secret_until"] == (NOW + 24 * HOUR).isoformat()

        # Reached from the listing and the edit page; the date is there on every later visit.
        secret_url = reverse("webhook_endpoints:secret", args=[endpoint.pk])
        for url in (reverse("webhook_endpoints:index"), reverse("webhook_endpoints:edit", args=[endpoint.pk])):
            assert secret_url in client.get(url).content.decode()
        later = client.get(secret_url).content.decode()
        assert GRACE_END_TEXT in later and endpoint.secret not in later

        # Rotating again within the grace period says what happens to the secret before.
        again = client.get(rotate_url).content.decode()
        assert f"masih berjalan sampai {GRACE_END_TEXT}" in again

        clock.shift(24 * HOUR)
        over = client.get(secret_url).content.decode()
        assert GRACE_END_TEXT not in over and "Akhiri masa transisi" not in over

    def test_ending_the_grace_period_makes_the_old_secret_refused_at_once(
        self, client, admin, receiver, clock, send
    ):
        endpoint = make_endpoint(receiver, "sdm", events=[WebhookEvent.CERTIFICATE_ISSUED])
        rotate(endpoint)  # the receiver keeps the old secret
        send()
        assert receiver.to("sdm")[-1].verified

        clock.shift(HOUR)
        grace_end_url = reverse("webhook_endpoints:grace_end", args=[endpoint.pk])
        confirm = client.get(grace_end_url).content.decode()
        assert GRACE_END_TEXT in confirm and "Akhiri masa transisi" in confirm
        response = client.post(grace_end_url, follow=True)
        assert "Masa transisi diakhiri" in response.content.decode()
        endpoint.refresh_from_db()
        assert (endpoint.previous_secret, endpoint.previous_secret_expires_at) == ("", None)
        entry = ModelLogEntry.objects.get(action=services.SECRET_GRACE_END, object_id=str(endpoint.pk))
        assert entry.user_id == admin.pk
        assert entry.data == {"previous_secret_was_valid_until": (NOW + 24 * HOUR).isoformat()}

        send()  # one second later, as it were: refused by the receiver holding the old secret
        refused = receiver.to("sdm")[-1]
        assert not refused.verified and signatures(refused) == 1
        # Ending it twice changes and records nothing.
        client.post(grace_end_url)
        assert ModelLogEntry.objects.filter(action=services.SECRET_GRACE_END).count() == 1

    def test_only_superusers_end_a_grace_period(self, client, receiver):
        endpoint = make_endpoint(receiver, "sdm")
        rotate(endpoint)
        client.force_login(UserFactory(is_staff=True))
        response = client.post(reverse("webhook_endpoints:grace_end", args=[endpoint.pk]))
        assert response.status_code in (302, 403)
        assert WebhookEndpoint.objects.get().previous_secret
        assert not ModelLogEntry.objects.filter(action=services.SECRET_GRACE_END).exists()
