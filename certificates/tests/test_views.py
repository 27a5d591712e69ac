"""My certificates, PDF downloads, renewal and print bundles, through the test client."""

import datetime
import io
import zipfile

import pytest
from django.utils import timezone
from pypdf import PdfReader

from certificates.models import BundleStatus, Certificate, CertificateBundle
from certificates.services import certificate_render
from certificates.tests.factories import make_certificate
from courses.models import Enrollment, ModuleProgress, QuizAttempt
from courses.services import enrollment_create, module_complete
from courses.tests.builders import make_course, make_module, quiz_questions
from lms import roles
from lms.tests.factories import AgencyFactory, OfficeFactory, UserFactory, VillageFactory, make_officer

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def imigrasi(db):
    return AgencyFactory(code="IMI", name="Direktorat Jenderal Imigrasi")


@pytest.fixture
def course(catalog, imigrasi):
    return make_course(catalog=catalog, agency=imigrasi, title="Paspor", slug="paspor", modules=1, validity_months=12)


@pytest.fixture
def rendered(course, officer):
    return certificate_render(certificate=make_certificate(holder=officer, course=course))


# --- My certificates -------------------------------------------------------------------


def test_my_certificates_lists_states_downloads_preparing_and_share_links(client, course, officer, rendered):
    preparing = make_certificate(holder=officer, course=make_course(agency=course.agency, title="Kursus Kedua", slug="kedua"))
    client.force_login(officer)
    html = client.get("/my/certificates/").content.decode()
    assert "Paspor" in html and "Kursus Kedua" in html
    assert f"/certificates/{rendered.pk}/pdf/" in html
    assert f"/certificates/{preparing.pk}/pdf/" not in html
    assert "sedang disiapkan" in html
    assert rendered.verification_url in html
    assert "Berlaku" in html


def test_each_share_link_has_a_copy_button_worked_by_a_static_script(client, course, officer, rendered):
    """"Salin tautan" copies the field beside it (the browser test clicks it: tests/e2e/test_copy_link.py).
    The button is hidden until the script shows it: without JavaScript the link is there to copy by hand."""
    from bs4 import BeautifulSoup

    revoked = make_certificate(holder=officer, course=make_course(agency=course.agency, title="Dicabut", slug="dicabut"),
                               revoked=True)
    client.force_login(officer)
    soup = BeautifulSoup(client.get("/my/certificates/").content.decode(), "html.parser")
    buttons = soup.select("button.copy-link")
    assert len(buttons) == 1, "one per certificate that may be shared (not the revoked one)"
    button = buttons[0]
    assert button.get_text(strip=True) == "Salin tautan"
    assert button["type"] == "button" and button.has_attr("hidden")
    assert button["data-copied-text"] == "Tautan disalin"
    field = soup.find(id=button["data-copy-target"])
    assert field.name == "input" and field["value"] == rendered.verification_url
    assert soup.find("label", attrs={"for": field["id"]}).get_text(strip=True) == "Tautan verifikasi untuk dibagikan"
    assert soup.find(id=button["data-copy-status"])["aria-live"] == "polite", "the confirmation is announced"
    assert soup.find(id=f"sertifikat-{rendered.pk}") is not None and soup.find(id=f"sertifikat-{revoked.pk}") is not None
    scripts = soup.find_all("script")
    assert [script.get("src") for script in scripts if script.get("src", "").endswith("copy-link.js")]
    assert all(script.get("src") for script in scripts), "no inline script (the CSP forbids it)"


def test_header_links_to_my_certificates(client, officer):
    client.force_login(officer)
    assert "/my/certificates/" in client.get("/my/learning/").content.decode()


def test_my_certificates_needs_login(client):
    response = client.get("/my/certificates/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("count", [1, 20])
def test_my_certificates_query_count_is_constant(client, catalog, imigrasi, officer, count, django_assert_num_queries):
    for number in range(count):
        course = make_course(catalog=catalog, agency=imigrasi, title=f"Kursus {number}", slug=f"kursus-{number}")
        make_certificate(holder=officer, course=course, revoked=number % 3 == 1)
    client.force_login(officer)
    # session, user, certificates; the header: the user's groups (HR link, no user bar for an
    # officer) and, once per content version, the catalog link (catalog page, site root paths)
    with django_assert_num_queries(6):
        response = client.get("/my/certificates/")
    assert response.content.decode().count('class="card certificate ') == count


# --- Downloads -------------------------------------------------------------------------


def test_holder_downloads_their_pdf(client, officer, rendered):
    client.force_login(officer)
    response = client.get(f"/certificates/{rendered.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    assert rendered.serial in PdfReader(io.BytesIO(content)).pages[0].extract_text()


@pytest.mark.parametrize("group", [roles.HR])
def test_hr_downloads_any_pdf(client, rendered, group):
    client.force_login(UserFactory(groups=[group]))
    assert client.get(f"/certificates/{rendered.pk}/pdf/").status_code == 200


def test_admin_downloads_any_pdf(client, rendered):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(f"/certificates/{rendered.pk}/pdf/").status_code == 200


@pytest.mark.parametrize("group", [roles.OFFICER, roles.TRAINER_IMIGRASI, roles.REVIEWER])
def test_anyone_else_gets_404(client, rendered, group):
    client.force_login(UserFactory(groups=[group]))
    assert client.get(f"/certificates/{rendered.pk}/pdf/").status_code == 404
    assert client.get("/certificates/999999/pdf/").status_code == 404


def test_anonymous_download_goes_to_login(client, rendered):
    response = client.get(f"/certificates/{rendered.pk}/pdf/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_download_of_a_pdf_not_yet_rendered_says_it_is_being_prepared_and_asks_the_worker(client, course, officer, monkeypatch):
    from certificates import services

    queued = []
    monkeypatch.setattr(services, "_enqueue_render", queued.append)
    certificate = make_certificate(holder=officer, course=course)
    client.force_login(officer)
    response = client.get(f"/certificates/{certificate.pk}/pdf/")
    assert response.status_code == 202
    assert "sedang disiapkan" in response.content.decode()
    assert queued == [certificate.pk]


# --- Renewal ---------------------------------------------------------------------------


def complete(user, course):
    enrollment_create(user=user, course=course)
    for module in course.get_modules():
        module_complete(user=user, module=module.specific)


def test_an_expired_certificate_is_renewed_by_completing_the_course_again(
    client, catalog, imigrasi, officer, django_capture_on_commit_callbacks
):
    course = make_course(catalog=catalog, agency=imigrasi, title="Berkuis", slug="berkuis", validity_months=12)
    module = make_module(course=course, title="Modul kuis", questions=quiz_questions(2))
    with django_capture_on_commit_callbacks(execute=True):
        enrollment_create(user=officer, course=course)
        module_complete(user=officer, module=module, by_quiz=True)
    first = Certificate.objects.get(holder=officer, course=course)
    QuizAttempt.objects.create(user=officer, module=module, number=1, pass_mark=70, status="submitted", submitted_at=timezone.now(), passed=True)
    # Two years later the certificate has expired.
    Certificate.objects.filter(pk=first.pk).update(issued_on=TODAY - datetime.timedelta(days=800), expires_on=TODAY - datetime.timedelta(days=70))

    client.force_login(officer)
    assert "Perpanjang" in client.get("/my/certificates/").content.decode()
    response = client.post(f"/my/certificates/{first.pk}/renew/")
    assert response.status_code == 302
    assert not Enrollment.objects.get(user=officer, course=course).completed_at
    assert not ModuleProgress.objects.filter(user=officer, completed_at__isnull=False).exists()
    assert QuizAttempt.objects.filter(user=officer, module=module).count() == 1  # history kept

    # The old pass does not count for the new cycle: a new attempt can be started and is numbered after it.
    from courses.services import quiz_attempt_start

    attempt = quiz_attempt_start(user=officer, module=module)
    assert attempt.number == 2
    with django_capture_on_commit_callbacks(execute=True):
        module_complete(user=officer, module=module, by_quiz=True)
    certificates = list(Certificate.objects.filter(holder=officer, course=course).order_by("cycle"))
    assert [c.cycle for c in certificates] == [1, 2]
    assert certificates[1].status == "valid" and certificates[1].pdf
    assert "Perpanjang" not in client.get("/my/certificates/").content.decode()


def test_a_valid_certificate_cannot_be_renewed(client, officer, rendered):
    client.force_login(officer)
    response = client.post(f"/my/certificates/{rendered.pk}/renew/", follow=True)
    assert "belum kedaluwarsa" in response.content.decode()


def test_someone_elses_certificate_cannot_be_renewed(client, other_officer, rendered):
    client.force_login(other_officer)
    assert client.post(f"/my/certificates/{rendered.pk}/renew/").status_code == 404


# --- Bundles ---------------------------------------------------------------------------


@pytest.fixture
def class_of_three(course):
    office = OfficeFactory(code="KANIM-SBY", name="Kantor Imigrasi Surabaya")
    village = VillageFactory(office=office, name="Desa Uji")
    holders = [
        make_officer(full_name="Ahmad Ṡubagyo", office=office, village=village),
        make_officer(full_name="Budi Santoso", office=office),
        make_officer(full_name="Citra Dewi"),
    ]
    certificates = [certificate_render(certificate=make_certificate(holder=holder, course=course)) for holder in holders]
    make_certificate(holder=make_officer(full_name="Dicabut Saja"), course=course, revoked=True)
    return office, village, certificates


def test_hr_downloads_a_zip_of_a_courses_certificates(client, course, class_of_three):
    client.force_login(UserFactory(groups=[roles.HR]))
    response = client.post(f"/certificates/bundles/course/{course.pk}/", {"format": "zip"})
    bundle = CertificateBundle.objects.get()
    assert response["Location"] == f"/certificates/bundles/{bundle.pk}/"
    assert bundle.status == BundleStatus.READY and bundle.certificate_count == 3
    download = client.get(f"/certificates/bundles/{bundle.pk}/download/")
    names = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))).namelist()
    assert len(names) == 3
    assert any(name.startswith("ahmad-subagyo_PIMPASA-") for name in names)
    assert not any("dicabut" in name for name in names)


def test_trainer_of_the_agency_prints_one_merged_pdf_filtered_by_office(client, course, class_of_three):
    office, _village, _certificates = class_of_three
    client.force_login(UserFactory(groups=[roles.TRAINER_IMIGRASI]))
    client.post(f"/certificates/bundles/course/{course.pk}/", {"format": "pdf", "office": office.pk})
    bundle = CertificateBundle.objects.get()
    download = client.get(f"/certificates/bundles/{bundle.pk}/download/")
    reader = PdfReader(io.BytesIO(b"".join(download.streaming_content)))
    assert len(reader.pages) == 2
    assert "Ahmad Ṡubagyo" in reader.pages[0].extract_text()


def test_bundle_filtered_by_village(client, course, class_of_three):
    _office, village, _certificates = class_of_three
    client.force_login(UserFactory(groups=[roles.HR]))
    client.post(f"/certificates/bundles/course/{course.pk}/", {"format": "pdf", "village": village.pk})
    assert CertificateBundle.objects.get().certificate_count == 1


def test_a_large_bundle_is_built_by_the_worker(client, course, class_of_three, settings, django_capture_on_commit_callbacks):
    settings.CERTIFICATES = {**settings.CERTIFICATES, "BUNDLE_SYNC_MAX": 2}
    client.force_login(UserFactory(groups=[roles.HR]))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(f"/certificates/bundles/course/{course.pk}/", {"format": "zip"})
    bundle = CertificateBundle.objects.get()
    assert bundle.status == BundleStatus.PENDING
    assert "sedang disiapkan" in client.get(f"/certificates/bundles/{bundle.pk}/").content.decode()
    for callback in callbacks:
        callback()
    bundle.refresh_from_db()
    assert bundle.status == BundleStatus.READY and bundle.certificate_count == 3


@pytest.mark.parametrize("group", [roles.OFFICER, roles.TRAINER_BP2MI, roles.REVIEWER])
def test_others_cannot_make_bundles(client, course, group):
    client.force_login(UserFactory(groups=[group]))
    assert client.get(f"/certificates/bundles/course/{course.pk}/").status_code == 404
    assert client.post(f"/certificates/bundles/course/{course.pk}/", {"format": "zip"}).status_code == 404


def test_a_bundle_is_private_to_its_requester_and_admins(client, course, class_of_three):
    trainer = UserFactory(groups=[roles.TRAINER_IMIGRASI])
    client.force_login(trainer)
    client.post(f"/certificates/bundles/course/{course.pk}/", {"format": "zip"})
    bundle = CertificateBundle.objects.get()
    client.force_login(UserFactory(groups=[roles.TRAINER_IMIGRASI]))
    assert client.get(f"/certificates/bundles/{bundle.pk}/download/").status_code == 404
    client.force_login(UserFactory(groups=[roles.HR]))
    assert client.get(f"/certificates/bundles/{bundle.pk}/download/").status_code == 200


def test_a_revoked_pdf_is_not_handed_to_its_holder_but_hr_keeps_access(client, officer, rendered):
    from certificates.services import certificate_revoke

    certificate_revoke(certificate=rendered, by=UserFactory(groups=[roles.HR]), reason="issued_in_error")
    client.force_login(officer)
    assert client.get(f"/certificates/{rendered.pk}/pdf/").status_code == 404
    client.force_login(UserFactory(groups=[roles.HR]))
    assert client.get(f"/certificates/{rendered.pk}/pdf/").status_code == 200


def test_bundles_leave_out_expired_certificates(client, course, class_of_three):
    make_certificate(holder=make_officer(full_name="Sudah Lewat"), course=course, issued_on=datetime.date(2023, 1, 1), expires_on=datetime.date(2024, 1, 1))
    client.force_login(UserFactory(groups=[roles.HR]))
    client.post(f"/certificates/bundles/course/{course.pk}/", {"format": "zip"})
    assert CertificateBundle.objects.get().certificate_count == 3
