"""The certificate list builds its pages from `.values()` rows (api.serializers.certificate_page_json):
the bytes must be those pydantic writes for CertificatePage of certificate_out of the same certificates."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from api.pagination import encode_cursor
from api.schemas import CertificatePage
from api.serializers import certificate_out
from api.tests.builders import bearer, make_api_client, make_token
from certificates.models import Certificate
from certificates.tests.factories import make_certificate, make_program
from courses.tests.builders import make_course
from lms.tests.factories import AgencyFactory, make_officer

pytestmark = pytest.mark.django_db

JAKARTA_NOON = datetime.datetime(2026, 11, 30, 12, 0, 0, 123456, tzinfo=datetime.timezone(datetime.timedelta(hours=7)))


def expected(certificates, next_cursor, today) -> bytes:
    items = [certificate_out(certificate, today) for certificate in certificates]
    return CertificatePage.model_validate({"items": items, "next_cursor": next_cursor}).model_dump_json().encode()


def test_a_fresh_page_is_the_json_pydantic_writes_for_the_same_certificates(client):
    agency = AgencyFactory()
    course = make_course(agency=agency, modules=1)
    program = make_program(courses=[course], agency=agency)
    with time_machine.travel(JAKARTA_NOON, tick=False):
        holder = make_officer()
        holder.officer_profile.full_name = 'Ni Luh "Ayu" Sétiawati \u2028 <b>'
        holder.officer_profile.save()
        make_certificate(holder=holder, course=course)  # valid, name with quotes and non-ASCII
        make_certificate(  # expired
            holder=make_officer(), course=course, issued_on=datetime.date(2022, 1, 3),
            expires_on=datetime.date(2024, 1, 3),
        )
    with time_machine.travel(JAKARTA_NOON + datetime.timedelta(seconds=1), tick=False):
        make_certificate(holder=make_officer(), course=course, revoked=True)  # revoked, with a reason
        signed = make_certificate(holder=make_officer(), program=program, expires_on=None)  # program, no expiry
        Certificate.objects.filter(pk=signed.pk).update(pdf_sha256="ab" * 32)
    central = make_api_client(name="SDM Pusat")

    with time_machine.travel(JAKARTA_NOON + datetime.timedelta(days=1), tick=False):
        headers = bearer(make_token(central))
        today = timezone.localdate()
        certificates = list(Certificate.objects.order_by("updated_at", "pk"))
        assert {certificate.status_on(today).value for certificate in certificates} == {"valid", "expired", "revoked"}

        first = client.get("/api/v1/certificates/", {"limit": 3}, **headers)
        third = certificates[2]
        assert first.status_code == 200
        assert first["Content-Type"] == "application/json"
        assert first.content == expected(certificates[:3], encode_cursor(third.updated_at, third.pk), today)

        rest = client.get("/api/v1/certificates/", {"limit": 3, "cursor": first.json()["next_cursor"]}, **headers)
        assert rest.content == expected(certificates[3:], None, today)

        revoked = client.get("/api/v1/certificates/", {"status": "revoked"}, **headers)
        assert revoked.content == expected([c for c in certificates if c.revoked_at], None, today)


def test_a_client_that_accepts_gzip_gets_the_same_page_compressed(client):
    import gzip

    course = make_course(modules=1)
    for _ in range(3):
        make_certificate(holder=make_officer(), course=course)
    headers = bearer(make_token(make_api_client(name="SDM Pusat")))

    plain = client.get("/api/v1/certificates/", {"limit": 100}, **headers)
    compressed = client.get("/api/v1/certificates/", {"limit": 100}, HTTP_ACCEPT_ENCODING="gzip, deflate", **headers)
    assert "Content-Encoding" not in plain
    assert compressed["Content-Encoding"] == "gzip"
    assert gzip.decompress(compressed.content) == plain.content
    assert len(plain.json()["items"]) == 3
    assert "Accept-Encoding" in plain["Vary"] and "Accept-Encoding" in compressed["Vary"]
