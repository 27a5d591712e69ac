"""Which events are recorded, for whom: scoped like the API, written with the change that caused them."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.models import CertificateExpiryEmission, WebhookDelivery
from api.tests.webhooks.builders import make_endpoint
from api.webhooks.addresses import validate_webhook_url
from api.webhooks.models import WebhookEvent
from certificates.services import certificate_issue, certificate_revoke
from certificates.signals import certificate_revoked
from certificates.subjects import Subject
from certificates.tests.factories import make_certificate
from courses.services import enrollment_create, module_complete
from courses.tests.builders import make_course
from hr.officer_import import officer_import_apply
from hr.tabular import read_table
from lms.models import OfficerProfile
from lms.tests.factories import AgencyFactory, OfficeFactory, UserFactory, make_officer
from lms.tests.query_budget import statements

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 30)
MORNING = datetime.datetime(2026, 11, 30, 6, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=7)))


@pytest.fixture
def agencies(db):
    return {
        "imigrasi": AgencyFactory(code="IMI", name="Direktorat Jenderal Imigrasi"),
        "bp2mi": AgencyFactory(code="BP2MI", name="Kementerian P2MI"),
    }


@pytest.fixture
def courses(catalog, agencies):
    return {
        key: make_course(catalog=catalog, agency=agency, title=f"Kursus {key}", slug=f"kursus-{key}", modules=1)
        for key, agency in agencies.items()
    }


@pytest.fixture
def endpoints(receiver, agencies):
    return {
        "imigrasi": make_endpoint(receiver, "imigrasi", agency=agencies["imigrasi"]),
        "bp2mi": make_endpoint(receiver, "bp2mi", agency=agencies["bp2mi"]),
        "pusat": make_endpoint(receiver, "pusat"),
    }


def received_types(receiver, path) -> list[str]:
    return [message.payload["type"] for message in receiver.to(path)]


class TestScope:
    def test_an_imigrasi_client_never_gets_a_bp2mi_event(
        self, receiver, endpoints, courses, officer, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            certificate = certificate_issue(user=officer, subject=Subject.of(courses["bp2mi"]))
        with django_capture_on_commit_callbacks(execute=True):
            certificate_revoke(certificate=certificate, by=UserFactory(), reason="other")

        assert received_types(receiver, "bp2mi") == ["certificate.issued", "certificate.revoked"]
        assert received_types(receiver, "pusat") == ["certificate.issued", "certificate.revoked"]
        assert receiver.to("imigrasi") == []
        assert not WebhookDelivery.objects.filter(endpoint=endpoints["imigrasi"], event_type__startswith="certificate.").exists()
        assert all(message.verified for message in receiver.received)

    def test_a_client_gets_only_the_events_its_scopes_can_read_and_it_subscribed_to(
        self, receiver, courses, officer, django_capture_on_commit_callbacks
    ):
        make_endpoint(receiver, "petugas-saja", scopes="officers:read")
        make_endpoint(receiver, "tanpa-langganan", events=[WebhookEvent.CERTIFICATE_REVOKED])
        make_endpoint(receiver, "nonaktif", is_active=False)
        inactive_client = make_endpoint(receiver, "klien-nonaktif")
        inactive_client.client.is_active = False
        inactive_client.client.save()
        with django_capture_on_commit_callbacks(execute=True):
            certificate_issue(user=officer, subject=Subject.of(courses["imigrasi"]))
        assert receiver.received == []
        assert not WebhookDelivery.objects.exists()

    def test_no_endpoint_costs_one_query(self, courses, officer, django_assert_num_queries):
        # The receivers ask who subscribes and build nothing else.
        certificate = make_certificate(holder=officer, course=courses["imigrasi"])
        with django_assert_num_queries(1):
            certificate_revoked.send(sender=type(certificate), certificate=certificate, by=None)


class TestCourseCompleted:
    def test_completing_a_course_sends_course_completed_and_certificate_issued(
        self, receiver, endpoints, courses, officer, django_capture_on_commit_callbacks
    ):
        course = courses["imigrasi"]
        with django_capture_on_commit_callbacks(execute=True):
            enrollment_create(user=officer, course=course)
            for module in course.get_modules():
                module_complete(user=officer, module=module.specific)

        assert sorted(received_types(receiver, "imigrasi")) == ["certificate.issued", "course.completed"]
        assert receiver.to("bp2mi") == []
        (completed,) = [m.payload for m in receiver.to("imigrasi") if m.payload["type"] == "course.completed"]
        assert completed["data"]["course"] == {"id": course.pk, "title": course.title, "agency": "IMI"}
        assert completed["data"]["officer"]["nip"] == officer.officer_profile.nip
        assert completed["data"]["completed_at"].endswith("+07:00")  # as the API writes times


class TestOfficerUpdated:
    """Officers are the programme's roster: the API shows them to every client with officers:read, and so do the events."""

    def test_an_officer_saved_is_sent_to_every_client_that_reads_officers(
        self, receiver, endpoints, courses, django_capture_on_commit_callbacks
    ):
        make_endpoint(receiver, "sertifikat-saja", scopes="certificates:read")
        officer = make_officer(full_name="Budi Santoso")
        WebhookDelivery.objects.all().delete()  # its creation (never committed in a test)

        profile = officer.officer_profile
        profile.rank = "Penata (III/c)"
        with django_capture_on_commit_callbacks(execute=True):
            profile.save()

        for path in ("imigrasi", "bp2mi", "pusat"):
            assert received_types(receiver, path) == ["officer.updated"], path
        assert receiver.to("sertifikat-saja") == []
        data = receiver.to("imigrasi")[0].payload["data"]
        assert (data["nip"], data["full_name"], data["rank"], data["created"]) == (
            profile.nip, "Budi Santoso", "Penata (III/c)", False
        )
        assert data["office"]["code"] == profile.office.code and data["email"] == officer.email

    def test_an_officer_import_sends_one_event_per_officer_written_in_constant_queries(
        self, receiver, endpoints, django_capture_on_commit_callbacks
    ):
        office = OfficeFactory(code="KANIM-BDG", name="Kantor Imigrasi Bandung")

        def rows(count, start=0):
            header = "NIP,Nama,Email,Pangkat,Kantor,Desa,Kabupaten,Provinsi"
            lines = [f"1980010{1 + n // 100}2005011{n % 100:03d},Petugas {n},p{n}@imigrasi.example,,{office.code},,,"
                     for n in range(start, start + count)]
            return read_table(name="petugas.csv", data="\n".join([header, *lines]).encode())

        with django_capture_on_commit_callbacks(execute=False), CaptureQueriesContext(connection) as few:
            officer_import_apply(table=rows(3))
        with django_capture_on_commit_callbacks(execute=False), CaptureQueriesContext(connection) as many:
            officer_import_apply(table=rows(30, start=3))
        assert statements(many) == statements(few)  # a bulk insert SQLite splits counts once
        for endpoint in endpoints.values():
            assert WebhookDelivery.objects.filter(endpoint=endpoint).count() == 33
        created = WebhookDelivery.objects.filter(endpoint=endpoints["pusat"]).values_list("payload", flat=True)
        assert {payload["data"]["created"] for payload in created} == {True}
        assert OfficerProfile.objects.count() == 33


class TestExpired:
    def test_each_expiry_is_emitted_once_however_often_the_command_runs(
        self, receiver, endpoints, courses, officer, other_officer, django_capture_on_commit_callbacks
    ):
        yesterday = make_certificate(holder=officer, course=courses["imigrasi"], issued_on=TODAY.replace(year=2024),
                                     expires_on=TODAY - datetime.timedelta(days=1))
        make_certificate(holder=other_officer, course=courses["imigrasi"], issued_on=TODAY.replace(year=2020),
                         expires_on=TODAY.replace(year=2022))  # long ago: before the look-back
        make_certificate(holder=other_officer, course=courses["bp2mi"], issued_on=TODAY.replace(year=2024),
                         expires_on=TODAY - datetime.timedelta(days=2), revoked=True)  # revoked, not expired
        make_certificate(holder=other_officer, course=courses["imigrasi"], issued_on=TODAY.replace(year=2025),
                         expires_on=TODAY, cycle=2)  # still valid today

        with time_machine.travel(MORNING, tick=False):
            out = StringIO()
            with django_capture_on_commit_callbacks(execute=True):
                call_command("emit_expired_certificates", stdout=out)
            assert "Emitted the expiry of 1 certificate(s)." in out.getvalue()
            with django_capture_on_commit_callbacks(execute=True):
                call_command("emit_expired_certificates", stdout=StringIO())

        assert received_types(receiver, "imigrasi") == ["certificate.expired"]
        assert received_types(receiver, "pusat") == ["certificate.expired"]
        assert receiver.to("bp2mi") == []
        data = receiver.to("imigrasi")[0].payload["data"]
        assert (data["serial"], data["status"], data["expires_on"]) == (
            yesterday.serial, "expired", (TODAY - datetime.timedelta(days=1)).isoformat()
        )
        assert list(CertificateExpiryEmission.objects.values_list("certificate_id", flat=True)) == [yesterday.pk]

    def test_expiries_are_marked_even_when_nobody_subscribes(self, courses, officer):
        make_certificate(holder=officer, course=courses["imigrasi"], issued_on=TODAY.replace(year=2024),
                         expires_on=TODAY - datetime.timedelta(days=1))
        with time_machine.travel(MORNING, tick=False):
            call_command("emit_expired_certificates", stdout=StringIO())
        assert CertificateExpiryEmission.objects.count() == 1 and not WebhookDelivery.objects.exists()


class TestAddress:
    @pytest.mark.parametrize("url", ["https://localhost/hook", "https://127.0.0.1:8443/webhook"])
    def test_https_is_accepted(self, settings, url):
        settings.WEBHOOKS = {**settings.WEBHOOKS, "ALLOW_INSECURE_LOOPBACK": False}
        validate_webhook_url(url)

    def test_plain_http_only_to_this_machine_and_only_where_allowed(self, settings):
        settings.WEBHOOKS = {**settings.WEBHOOKS, "ALLOW_INSECURE_LOOPBACK": True}
        validate_webhook_url("http://127.0.0.1:8181/hook")
        validate_webhook_url("http://localhost/hook")
        for url in ("http://0.0.0.0/hook", "ftp://127.0.0.1/hook"):
            with pytest.raises(ValidationError):
                validate_webhook_url(url)
        settings.WEBHOOKS = {**settings.WEBHOOKS, "ALLOW_INSECURE_LOOPBACK": False}
        with pytest.raises(ValidationError, match="https"):
            validate_webhook_url("http://127.0.0.1:8181/hook")
