"""Certificate templates edited in the Wagtail admin: clear placeholder errors, edits mark PDFs outdated."""

import pytest
from django.core.exceptions import ValidationError

from certificates.models import Certificate, CertificateTemplate
from certificates.models.templates import fill_placeholders, validate_placeholders
from certificates.services import certificate_render
from certificates.tests.factories import make_certificate
from courses.tests.builders import make_course
from lms.tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/snippets/certificates/certificatetemplate/add/"


def form_data(agency, **overrides):
    data = {
        "agency": agency.pk,
        "course": "",
        "program": "",
        "language": "id",
        "title_text": "Sertifikat Pelatihan",
        "body_text": "telah menyelesaikan {judul} ({jp} JP).",
        "signatory_name": "",
        "signatory_title": "",
        "signature_image": "",
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
    assert "{nama}" in html and "{judul}" in html  # the list of what is available
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
