"""Serial numbers in a format per agency: tokens, clear refusals in the admin, uniqueness by the database."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from certificates.models import Certificate
from certificates.services import certificate_issue
from certificates.subjects import Subject
from courses.tests.builders import make_course
from lms.models import Agency
from lms.tests.factories import AgencyFactory, UserFactory, make_officer

pytestmark = pytest.mark.django_db

AGENCY_ADD_URL = "/admin/snippets/lms/agency/add/"
DAY = datetime.date(2026, 6, 1)


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def agency_form(**overrides):
    data = {
        "code": "bsrt", "name": "Badan Contoh", "short_name": "Contoh", "description": "", "logo": "",
        "serial_format": "PIMPASA/{agency}/{year}/{seq}", "accent_color": "#1d4f91",
    }
    data.update(overrides)
    return data


def test_the_default_format_gives_todays_serials(catalog):
    course = make_course(catalog=catalog, agency=AgencyFactory(code="IMI"), modules=1)
    certificate = certificate_issue(user=make_officer(), subject=Subject.of(course), issued_on=DAY)
    assert certificate.serial == "PIMPASA/IMI/2026/000001"


def test_an_agency_format_with_tokens_numbers_its_certificates(catalog):
    agency = AgencyFactory(code="bp2mi", serial_format="{agency}-SERT/{seq}/{year}")
    course = make_course(catalog=catalog, agency=agency, modules=1)
    serials = [
        certificate_issue(user=make_officer(), subject=Subject.of(course), issued_on=DAY).serial for _ in range(2)
    ]
    assert serials == ["BP2MI-SERT/000001/2026", "BP2MI-SERT/000002/2026"]


@pytest.mark.parametrize(
    ("serial_format", "message"),
    [
        ("PIMPASA/{agency}/{year}", "Format nomor seri harus memuat {seq} (nomor urut)"),
        ("PIMPASA/{agency}/{seq}", "Format nomor seri harus memuat {year}: nomor urut dimulai lagi setiap tahun"),
        ("PIMPASA/{year}/{seq}", "Format nomor seri harus memuat {agency}"),
        ("{agency}/{tahun}/{seq}", "Token tidak dikenal: {tahun}"),
        ("{agency}/{year}/{seq", "Kurung kurawal harus berpasangan"),
        ("{agency}#{year}#{seq}", "hanya boleh memuat huruf, angka, spasi"),
        ("{agency}/{year}/{seq}/{seq}", "Setiap token cukup dipakai sekali."),
        ("SERTIFIKAT-PIMPASA-KEMENTERIAN/{agency}/{year}/{seq}", "bisa sepanjang 59 karakter; paling banyak 40"),
    ],
)
def test_a_format_that_could_repeat_or_not_fit_is_refused_clearly(admin_client, serial_format, message):
    response = admin_client.post(AGENCY_ADD_URL, agency_form(serial_format=serial_format))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Agency.objects.filter(code="bsrt").exists()


def test_a_valid_format_is_saved(admin_client):
    response = admin_client.post(AGENCY_ADD_URL, agency_form(serial_format="SERT {agency}.{year}.{seq}"))
    assert response.status_code == 302
    assert Agency.objects.get(code="bsrt").serial_format == "SERT {agency}.{year}.{seq}"


def test_the_database_still_refuses_a_repeated_serial(catalog):
    course = make_course(catalog=catalog, agency=AgencyFactory(code="IMI"), modules=1)
    first = certificate_issue(user=make_officer(), subject=Subject.of(course), issued_on=DAY)
    second = certificate_issue(user=make_officer(), subject=Subject.of(course), issued_on=DAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.filter(pk=second.pk).update(serial=first.serial)
