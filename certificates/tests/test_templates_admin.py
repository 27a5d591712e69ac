"""Certificate templates edited in the Wagtail admin: clear placeholder errors, edits mark PDFs outdated."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from certificates.models import Certificate, CertificateTemplate, Signatory
from certificates.models.templates import fill_placeholders, validate_placeholders
from certificates.services import certificate_render
from certificates.tests.factories import make_certificate
from courses.tests.builders import make_course
from lms.models import Agency
from lms.tests.factories import AgencyFactory, UserFactory
from lms.tests.query_budget import assert_flat_query_count

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/snippets/certificates/certificatetemplate/add/"


def form_data(agency, **overrides):
    data = {
        "agency": agency.pk,
        "course": "",
        "program": "",
        "language": "id",
        "title_text": "Sertifikat Pelatihan",
        "body_text": "telah menyelesaikan {jenis}",
        "closing_text": "({jp} JP).",
        "signatory": "",
        "logo": "",
        "background_image": "",
        "accent_color": "#1d4f91",
    }
    data.update(overrides)
    return data


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


@pytest.fixture
def agency(db):
    return AgencyFactory(code="IMI", name="Direktorat Jenderal Imigrasi")


def test_unknown_placeholder_gets_a_clear_admin_message(admin_client, agency):
    response = admin_client.post(ADD_URL, form_data(agency, body_text="Selamat {nama}, Anda lulus {kursus} pada {tgl}."))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Placeholder tidak dikenal: {kursus}, {tgl}" in html
    assert "{nama}" in html and "{jenis}" in html  # the list of what is available
    assert not CertificateTemplate.objects.exists()


def test_stray_brace_is_refused():
    with pytest.raises(ValidationError, match="berpasangan"):
        validate_placeholders("lulus {judul dengan baik")


def test_placeholders_fill_and_leave_other_text_alone():
    assert fill_placeholders("{nama} — {jp} JP", {"nama": "Ayu", "jp": "6"}) == "Ayu — 6 JP"


def test_a_bad_accent_colour_is_refused(admin_client, agency):
    response = admin_client.post(ADD_URL, form_data(agency, accent_color="biru"))
    assert "heksadesimal" in response.content.decode()


def test_creating_and_editing_in_the_admin_marks_existing_pdfs_outdated(admin_client, agency, catalog, officer):
    course = make_course(catalog=catalog, agency=agency)
    certificate = certificate_render(certificate=make_certificate(holder=officer, course=course))
    assert not certificate.pdf_outdated

    response = admin_client.post(ADD_URL, form_data(agency))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Certificate.objects.get(pk=certificate.pk).pdf_outdated

    certificate_render(certificate=certificate)
    template = CertificateTemplate.objects.get()
    edit_url = f"/admin/snippets/certificates/certificatetemplate/edit/{template.pk}/"
    response = admin_client.post(edit_url, form_data(agency, title_text="Piagam"))
    assert response.status_code == 302
    assert Certificate.objects.get(pk=certificate.pk).pdf_outdated


def test_a_second_general_template_for_the_same_agency_is_refused_clearly(admin_client, agency):
    CertificateTemplate.objects.create(agency=agency)
    response = admin_client.post(ADD_URL, form_data(agency))
    assert "sudah punya templat umum" in response.content.decode()


def test_a_course_template_must_belong_to_the_courses_agency(admin_client, agency, catalog):
    other_course = make_course(catalog=catalog, agency=AgencyFactory(code="POLRI"))
    response = admin_client.post(ADD_URL, form_data(agency, course=other_course.pk))
    assert "Instansi templat harus sama" in response.content.decode()


def test_the_title_placeholder_is_refused_because_the_title_stands_apart(admin_client, agency):
    response = admin_client.post(ADD_URL, form_data(agency, body_text="telah menyelesaikan {judul} dengan baik"))
    assert "dicetak tersendiri" in response.content.decode()
    assert not CertificateTemplate.objects.exists()


JAKARTA = ZoneInfo("Asia/Jakarta")


@time_machine.travel(datetime.datetime(2026, 11, 30, 9, 0, tzinfo=JAKARTA), tick=False)
def test_a_signatory_out_of_office_today_is_refused_with_the_period(admin_client, agency):
    former = Signatory.objects.create(
        agency=agency, name="Dr. Mantan Pejabat, S.H.", position="Direktur Jenderal Imigrasi",
        valid_from=datetime.date(2022, 1, 3), valid_until=datetime.date(2025, 12, 31),
    )
    response = admin_client.post(ADD_URL, form_data(agency, signatory=former.pk))
    html = " ".join(response.content.decode().split())
    assert "Masa jabatan Dr. Mantan Pejabat, S.H. (3 Januari 2022 – 31 Desember 2025) tidak mencakup hari ini, 30 November 2026" in html
    assert not CertificateTemplate.objects.exists()

    future = Signatory.objects.create(
        agency=agency, name="Dr. Pejabat Baru, M.Si.", position="Direktur Jenderal Imigrasi",
        valid_from=datetime.date(2026, 12, 1),
    )
    response = admin_client.post(ADD_URL, form_data(agency, signatory=future.pk))
    assert "tidak mencakup hari ini" in response.content.decode()

    current = Signatory.objects.create(
        agency=agency, name="Dr. Pejabat Kini, M.H.", position="Direktur Jenderal Imigrasi",
        valid_from=datetime.date(2026, 1, 2), valid_until=datetime.date(2026, 11, 30),
    )
    response = admin_client.post(ADD_URL, form_data(agency, signatory=current.pk))
    assert response.status_code == 302
    assert CertificateTemplate.objects.get().signatory == current


def test_a_signatory_of_another_agency_is_refused(admin_client, agency):
    polri = Signatory.objects.create(agency=AgencyFactory(code="POLRI"), name="Contoh", position="Kabareskrim")
    response = admin_client.post(ADD_URL, form_data(agency, signatory=polri.pk))
    assert "Pilih penandatangan dari instansi templat ini." in response.content.decode()


SIGNATORY_ADD_URL = "/admin/snippets/certificates/signatory/add/"


def signatory_form(agency, **overrides):
    data = {
        "agency": agency.pk, "name": "Dr. Contoh, S.H.", "id_kind": "nip", "id_number": "197001011990031001",
        "position": "Direktur Jenderal Imigrasi", "place": "Jakarta", "valid_from": "2026-01-02", "valid_until": "",
        "signature_image": "", "stamp_image": "",
    }
    data.update(overrides)
    return data


def test_the_signatory_register_refuses_a_bad_number_and_an_appointment_ending_before_it_starts(admin_client, agency):
    response = admin_client.post(SIGNATORY_ADD_URL, signatory_form(agency, id_number="1970010119900310"))
    assert "NIP harus terdiri dari tepat 18 angka 0–9." in response.content.decode()
    response = admin_client.post(SIGNATORY_ADD_URL, signatory_form(agency, id_kind="nrp", id_number="197001011990031001"))
    assert "NRP harus terdiri dari tepat 8 angka 0–9." in response.content.decode()
    response = admin_client.post(SIGNATORY_ADD_URL, signatory_form(agency, valid_until="2025-12-31"))
    assert "Tanggal akhir masa jabatan tidak boleh sebelum tanggal mulainya." in response.content.decode()
    assert not Signatory.objects.exists()

    response = admin_client.post(SIGNATORY_ADD_URL, signatory_form(agency, id_kind="nrp", id_number="75010123"))
    assert response.status_code == 302
    assert Signatory.objects.get().id_number == "75010123"


def test_editing_a_signatory_marks_the_pdfs_it_signed_outdated(admin_client, agency, catalog, officer):
    signatory = Signatory.objects.create(agency=agency, name="Dr. Contoh, S.H.", position="Direktur Jenderal Imigrasi")
    course = make_course(catalog=catalog, agency=agency)
    certificate = make_certificate(holder=officer, course=course)
    Certificate.objects.filter(pk=certificate.pk).update(signatory=signatory)
    certificate = certificate_render(certificate=certificate)
    assert not certificate.pdf_outdated
    response = admin_client.post(
        f"/admin/snippets/certificates/signatory/edit/{signatory.pk}/",
        signatory_form(agency, name="Dr. Contoh Dikoreksi, S.H.", valid_from=""),
    )
    assert response.status_code == 302
    assert Certificate.objects.get(pk=certificate.pk).pdf_outdated


def agency_rows(catalog, count):
    """`count` agencies, each with a signatory and a course template."""
    for _ in range(count):
        agency = AgencyFactory()
        Signatory.objects.create(agency=agency, name=f"Pejabat {agency.code}", position="Direktur")
        CertificateTemplate.objects.create(agency=agency, course=make_course(catalog=catalog, agency=agency))


@pytest.mark.parametrize(
    "url, budget",
    [("/admin/snippets/certificates/signatory/", 14), ("/admin/snippets/certificates/certificatetemplate/", 14)],
)
def test_the_signatory_and_template_lists_cost_the_same_with_many_rows(
    admin_client, catalog, url, budget, django_assert_num_queries
):
    """Each row names its agency (a template also its course): loaded with the rows, not a query each."""
    agency_rows(catalog, 1)
    _small, large = assert_flat_query_count(
        django_assert_num_queries, small=lambda: admin_client.get(url), grow=lambda: agency_rows(catalog, 10),
        budget=budget,
    )
    page = large.content.decode()
    assert len(set(re.findall(r"/edit/(\d+)/", page))) == 11
    assert all(f">{agency}<" in page or f"{agency} · " in page for agency in Agency.objects.all())
