"""The admin's side: endpoints per client with a secret shown once, and the delivery log with "Kirim ulang"."""

import re

import pytest
from django.urls import reverse
from standardwebhooks.webhooks import Webhook
from wagtail.models import ModelLogEntry

from api.models import WebhookDelivery, WebhookEndpoint
from api.services import api_client_register
from api.tests.webhooks.builders import make_endpoint
from api.webhooks import services
from api.webhooks.models import DeliveryStatus, WebhookEvent
from certificates.services import certificate_issue
from certificates.subjects import Subject
from courses.tests.builders import make_course
from hr.tests.builders import make_hr_user
from lms import roles
from lms.tests.factories import AgencyFactory, UserFactory
from lms.tests.query_budget import assert_flat_query_count

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client):
    user = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(user)
    return user


@pytest.fixture
def course(catalog):
    return make_course(catalog=catalog, agency=AgencyFactory(code="IMI"), title="Paspor", slug="paspor")


def issue(officer, course, callbacks):
    with callbacks(execute=True):
        return certificate_issue(user=officer, subject=Subject.of(course))


class TestEndpoints:
    def test_a_new_endpoint_shows_its_secret_once(self, client, admin, receiver):
        api_client = api_client_register(name="SDM Imigrasi", scopes="certificates:read").client
        response = client.post(
            reverse("webhook_endpoints:add"),
            {"client": api_client.pk, "url": receiver.url("sdm"), "description": "Sistem SDM",
             "events": [WebhookEvent.CERTIFICATE_ISSUED, WebhookEvent.CERTIFICATE_REVOKED], "is_active": "on"},
        )
        endpoint = WebhookEndpoint.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("webhook_endpoints:secret", args=[endpoint.pk])
        assert endpoint.events == ["certificate.issued", "certificate.revoked"]
        assert endpoint.secret.startswith("whsec_")

        first = client.get(response["Location"])
        assert endpoint.secret in first.content.decode()
        assert "no-store" in first["Cache-Control"]
        again = client.get(response["Location"])
        assert endpoint.secret not in again.content.decode()
        assert "tidak dapat ditampilkan lagi" in again.content.decode()
        # Nowhere else either: not in the edit form, not in the listing.
        for url in (reverse("webhook_endpoints:edit", args=[endpoint.pk]), reverse("webhook_endpoints:index")):
            page = client.get(url)
            assert page.status_code == 200 and endpoint.secret not in page.content.decode()
        assert ModelLogEntry.objects.filter(action="wagtail.create", object_id=str(endpoint.pk)).exists()

    def test_a_client_cannot_subscribe_to_what_its_scopes_cannot_read(self, client, admin, receiver):
        api_client = api_client_register(name="SDM Imigrasi", scopes="officers:read").client
        response = client.post(
            reverse("webhook_endpoints:add"),
            {"client": api_client.pk, "url": receiver.url("sdm"), "events": [WebhookEvent.CERTIFICATE_ISSUED],
             "is_active": "on"},
        )
        assert response.status_code == 200
        assert "certificate.issued (certificates:read)" in response.content.decode()
        assert not WebhookEndpoint.objects.exists()

    def test_rotating_the_secret_signs_the_next_messages_with_the_new_one_too(
        self, client, admin, receiver, course, officer, django_capture_on_commit_callbacks
    ):
        endpoint = make_endpoint(receiver, "sdm")
        old = endpoint.secret
        response = client.post(reverse("webhook_endpoints:rotate", args=[endpoint.pk]))
        endpoint.refresh_from_db()
        assert endpoint.secret != old and endpoint.secret_rotated_at is not None
        assert endpoint.secret in client.get(response["Location"]).content.decode()
        assert ModelLogEntry.objects.filter(action=services.SECRET_ROTATE, object_id=str(endpoint.pk)).exists()

        receiver.listen("sdm", endpoint.secret)
        issue(officer, course, django_capture_on_commit_callbacks)
        (message,) = receiver.to("sdm")
        assert message.verified
        # The old secret signs too during its grace period (test_secret_rotation.py: until when).
        Webhook(old).verify(message.body, message.headers)


class TestDeliveryLog:
    def test_the_log_is_filtered_by_status_and_event(
        self, client, admin, receiver, course, officer, other_officer, django_capture_on_commit_callbacks
    ):
        make_endpoint(receiver, "sdm", statuses=[500])
        issue(officer, course, django_capture_on_commit_callbacks)  # fails once: pending
        issue(other_officer, course, django_capture_on_commit_callbacks)  # delivered
        failed, delivered = WebhookDelivery.objects.filter(event_type="certificate.issued").order_by("pk")
        assert (failed.status, delivered.status) == (DeliveryStatus.PENDING, DeliveryStatus.DELIVERED)

        index = reverse("webhook_deliveries:index")
        listed = client.get(index, {"status": "pending", "event_type": "certificate.issued"}).content.decode()
        assert reverse("webhook_deliveries:inspect", args=[failed.pk]) in listed
        assert reverse("webhook_deliveries:inspect", args=[delivered.pk]) not in listed
        assert reverse("webhook_deliveries:redeliver", args=[failed.pk]) in listed
        page = client.get(reverse("webhook_deliveries:inspect", args=[failed.pk])).content.decode()
        assert failed.event_id in page and "HTTP 500" in page

    def test_kirim_ulang_sends_the_same_event_id_again(
        self, client, admin, receiver, course, officer, django_capture_on_commit_callbacks
    ):
        make_endpoint(receiver, "sdm")
        issue(officer, course, django_capture_on_commit_callbacks)
        delivery = WebhookDelivery.objects.get(event_type="certificate.issued")
        url = reverse("webhook_deliveries:redeliver", args=[delivery.pk])
        assert "Kirim ulang" in client.get(url).content.decode()

        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url)
        assert response.status_code == 302
        first, second = receiver.to("sdm")
        assert first.event_id == second.event_id == delivery.event_id
        assert first.body == second.body and second.verified
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 1)
        assert WebhookDelivery.objects.count() == 1
        entry = ModelLogEntry.objects.get(action=services.REDELIVER)
        assert entry.user_id == admin.pk and entry.data["event_id"] == delivery.event_id

    def test_only_superusers_see_webhooks(self, client, receiver):
        endpoint = make_endpoint(receiver, "sdm")
        delivery = WebhookDelivery.objects.create(endpoint=endpoint, event_type="certificate.issued", payload={})
        secret = endpoint.secret
        urls = [
            reverse("webhook_endpoints:index"),
            reverse("webhook_endpoints:add"),
            reverse("webhook_endpoints:edit", args=[endpoint.pk]),
            reverse("webhook_endpoints:secret", args=[endpoint.pk]),
            reverse("webhook_endpoints:rotate", args=[endpoint.pk]),
            reverse("webhook_deliveries:index"),
            reverse("webhook_deliveries:inspect", args=[delivery.pk]),
            reverse("webhook_deliveries:redeliver", args=[delivery.pk]),
        ]
        for user in (make_hr_user(), UserFactory(groups=[roles.TRAINER_IMIGRASI, roles.REVIEWER])):
            client.force_login(user)
            for url in urls:
                response = client.post(url) if "kirim-ulang" in url or "ganti-rahasia" in url else client.get(url)
                assert response.status_code in (302, 403), (url, response.status_code)
                if response.status_code == 302:  # refused: to the login (no admin access) or the dashboard, never onwards
                    assert response.url == "/admin/" or response.url.startswith("/admin/login/"), (url, response.url)
                assert secret not in response.content.decode()
        endpoint.refresh_from_db()
        assert (endpoint.secret, endpoint.secret_rotated_at) == (secret, None), "the secret was rotated"
        delivery.refresh_from_db()
        assert delivery.attempts == 0 and delivery.status == DeliveryStatus.PENDING
        assert not ModelLogEntry.objects.filter(action__in=[services.REDELIVER, services.SECRET_ROTATE]).exists()


class TestListsQueryBudget:
    """The endpoint list names each endpoint's client, and the delivery log's endpoint filter offers each
    endpoint by its client: loaded with them, not a query a row."""

    def test_the_endpoint_list(self, client, admin, receiver, django_assert_num_queries):
        make_endpoint(receiver, "sdm-0")

        def more():
            for n in range(1, 11):
                make_endpoint(receiver, f"sdm-{n}")

        _small, large = assert_flat_query_count(
            django_assert_num_queries, small=lambda: client.get(reverse("webhook_endpoints:index")), grow=more, budget=13
        )
        assert len(set(re.findall(r"SDM sdm-(\d+)", large.content.decode()))) == 11  # each row names its client

    def test_the_delivery_log(self, client, admin, receiver, django_assert_num_queries):
        def delivery(n):
            endpoint = make_endpoint(receiver, f"sdm-{n}")
            return WebhookDelivery.objects.create(endpoint=endpoint, event_type="certificate.issued", payload={})

        delivery(0)
        _small, large = assert_flat_query_count(
            django_assert_num_queries,
            small=lambda: client.get(reverse("webhook_deliveries:index")),
            grow=lambda: [delivery(n) for n in range(1, 11)],
            budget=13,
        )
        page = large.content.decode()
        inspect = reverse("webhook_deliveries:inspect", args=[0]).replace("/0/", "/")
        assert len(set(re.findall(re.escape(inspect) + r"(\d+)/", page))) == 11
        assert len(set(re.findall(r"SDM sdm-(\d+) →", page))) == 11  # every endpoint, by its client, in the filter
