"""Writes through the integration API raise the same events, sent after the API's answer."""

import json

import pytest

from api.models import WebhookDelivery
from api.tests.builders import bearer, make_api_client, make_token
from api.tests.webhooks.builders import make_endpoint
from api.webhooks.models import DeliveryStatus, WebhookEvent
from certificates.tests.factories import make_certificate
from courses.tests.builders import make_course
from lms.tests.factories import AgencyFactory, OfficeFactory

pytestmark = pytest.mark.django_db


def test_a_revoke_through_the_api_answers_first_and_the_webhook_follows(
    client, catalog, receiver, officer, django_capture_on_commit_callbacks
):
    bp2mi = AgencyFactory(code="BP2MI")
    certificate = make_certificate(holder=officer, course=make_course(catalog=catalog, agency=bp2mi))
    endpoint = make_endpoint(receiver, "pusat", events=[WebhookEvent.CERTIFICATE_REVOKED])
    token = make_token(make_api_client(agency=bp2mi, scopes="certificates:read certificates:revoke"))

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            f"/api/v1/certificates/{certificate.pk}/revoke", json.dumps({"reason": "other", "note": "uji"}),
            content_type="application/json", **bearer(token),
        )
    assert response.status_code == 200, response.content
    assert receiver.received == []
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert delivery.status == DeliveryStatus.PENDING

    for callback in callbacks:
        callback()
    (message,) = receiver.to("pusat")
    assert message.verified and message.event_id == delivery.event_id
    data, answer = message.payload["data"], response.json()
    assert set(data) == set(answer)  # the record as the API shows it
    for key in ("id", "serial", "status", "revocation_reason", "agency", "holder_nip", "issued_on", "expires_on"):
        assert data[key] == answer[key], key
    assert data["status"] == "revoked"


def test_an_officer_written_through_the_api_is_an_officer_updated_event(
    client, receiver, django_capture_on_commit_callbacks
):
    office = OfficeFactory(code="KANIM-BDG")
    make_endpoint(receiver, "pusat", events=[WebhookEvent.OFFICER_UPDATED])
    token = make_token(make_api_client(scopes="officers:read officers:write"))
    body = {"full_name": "Siti Aminah", "email": "siti@imigrasi.example", "office": office.code}

    with django_capture_on_commit_callbacks(execute=True):
        response = client.put(
            "/api/v1/officers/198503122010011001", json.dumps(body), content_type="application/json", **bearer(token)
        )
    assert response.status_code == 201, response.content
    (message,) = receiver.to("pusat")
    assert message.verified
    assert message.payload["type"] == "officer.updated"
    assert message.payload["data"]["nip"] == "198503122010011001" and message.payload["data"]["created"] is True
