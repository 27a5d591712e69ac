"""Responses carrying personal data say `Cache-Control: no-store` (lms/no_store.py):
every URL of the HR workspace, whatever it answers, and the certificate files and
lists of one person. Public verification stays cacheable."""

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from certificates.bundling import bundle_request
from certificates.models import BundleFormat
from courses.tests.builders import make_course
from hr.models import BulkVerification, ExportJob, JobStatus, OfficerImport
from hr.tests.builders import make_hr_user, make_world

pytestmark = pytest.mark.django_db

NOT_FOUND = 999_999


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def hr_patterns():
    """Every URL pattern mounted under the `hr` namespace, as (url name, pattern)."""
    (resolver,) = [p for p in get_resolver().url_patterns if isinstance(p, URLResolver) and p.namespace == "hr"]
    return [(pattern.name, pattern) for pattern in resolver.url_patterns]


@pytest.fixture
def hr_world(client):
    world = make_world()
    hr = make_hr_user()
    client.force_login(hr)
    export = ExportJob.objects.create(created_by=hr, format="xlsx", total_rows=1, status=JobStatus.DONE)
    export.file.save("registri.xlsx", ContentFile(b"PK\x03\x04 not really a workbook"))
    client.post(reverse("hr:bulk_verify"), {"subjek": f"c{world.course_a.pk}", "nips": world.budi.officer_profile.nip})
    officer_import = OfficerImport.objects.create(created_by=hr, filename="petugas.csv", sha256="0" * 64)
    officer_import.file.save("petugas.csv", ContentFile(b"NIP,Nama Lengkap\n"))
    certificate = world.certificates["budi_a"]
    # Real objects where a URL takes one, so the pages and files answer 200; other ids get 404.
    kwargs = {
        "revoke": {"pk": certificate.pk},
        "export_job": {"pk": export.pk},
        "export_download": {"pk": export.pk},
        "officer": {"user_id": world.budi.pk},
        "officer_invite": {"user_id": world.budi.pk},
        "bulk_verify_result": {"pk": BulkVerification.objects.get().pk},
        "bulk_verify_download": {"pk": BulkVerification.objects.get().pk, "fmt": "csv"},
        "officer_import_preview": {"pk": officer_import.pk},
    }
    return world, hr, kwargs


def test_every_hr_url_answers_no_store_whatever_its_status(client, hr_world):
    """A new HR view is covered without being listed: the namespace is."""
    _world, _hr, known = hr_world
    answered, missing = [], []
    for name, pattern in hr_patterns():
        kwargs = known.get(name) or {
            key: NOT_FOUND if converter.regex == "[0-9]+" else "csv" for key, converter in pattern.pattern.converters.items()
        }
        url = reverse(f"hr:{name}", kwargs=kwargs)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            answered.append((method, url, response.status_code))
            if not no_store(response):
                missing.append(f"{method.upper()} {url} → {response.status_code}, Cache-Control: {response.get('Cache-Control')!r}")
    assert not missing, "\n".join(missing)
    assert len(answered) == 2 * len(hr_patterns()) >= 30
    assert {status for _method, _url, status in answered} >= {200, 302}


@pytest.mark.parametrize("url", ["/hr/ekspor/999999/", "/hr/verifikasi/999999/unduh.csv", "/hr/petugas/999999/"])
def test_hr_errors_are_not_stored_either(client, hr_world, url):
    """An id that does not exist today may exist tomorrow; nothing under /hr/ is kept."""
    response = client.get(url)
    assert response.status_code == 404 and no_store(response)


@pytest.mark.parametrize(
    "url",
    [
        "/hr/sertifikat/ekspor.csv?status=valid",
        "/hr/sertifikat/ekspor.xlsx?status=valid",
        "/hr/impor/templat.csv",
        "/hr/jp/ekspor.csv",
        "/hr/jp/siasn.xlsx",
    ],
)
def test_hr_downloads_are_not_stored(client, hr_world, url):
    response = client.get(url)
    assert response.status_code == 200
    assert no_store(response) and "private" in response["Cache-Control"]


def test_hr_file_downloads_are_not_stored(client, hr_world):
    _world, _hr, known = hr_world
    for name in ("export_download", "bulk_verify_download"):
        response = client.get(reverse(f"hr:{name}", kwargs=known[name]))
        assert response.status_code == 200, name
        assert no_store(response), name
    xlsx = client.get(reverse("hr:bulk_verify_download", kwargs={**known["bulk_verify_download"], "fmt": "xlsx"}))
    assert xlsx.status_code == 200 and no_store(xlsx)


def test_an_officers_own_certificates_and_their_pdf_are_not_stored(hr_world):
    world, _hr, _known = hr_world
    certificate = world.certificates["budi_a"]
    officer = Client()
    officer.force_login(world.budi)
    listing = officer.get("/my/certificates/")
    assert listing.status_code == 200 and no_store(listing)
    url = reverse("certificates:download", args=[certificate.pk])
    first = officer.get(url)  # the PDF is rendered on first request ("being prepared")
    assert first.status_code in (200, 202) and no_store(first)
    pdf = officer.get(url)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert no_store(pdf)


def test_certificate_bundles_are_not_stored(client, hr_world):
    world, hr, _known = hr_world
    course = make_course(title="Belum Ada Lulusan", agency=world.imigrasi, modules=1)  # built at once: an empty ZIP
    form = client.get(reverse("certificates:bundle_create", args=[course.pk]))
    assert form.status_code == 200 and no_store(form)
    bundle = bundle_request(course=course, requested_by=hr, fmt=BundleFormat.ZIP)
    page = client.get(reverse("certificates:bundle", args=[bundle.pk]))
    assert page.status_code == 200 and no_store(page)
    download = client.get(reverse("certificates:bundle_download", args=[bundle.pk]))
    assert download.status_code == 200 and no_store(download)


def test_public_verification_stays_cacheable(client, hr_world):
    world, _hr, _known = hr_world
    response = Client().get(reverse("certificates:verify", args=[world.certificates["budi_a"].code]))
    assert response.status_code == 200
    assert not no_store(response)
