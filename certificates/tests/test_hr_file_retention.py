"""Exports, officer uploads and print bundles leave MEDIA_ROOT after HR_FILE_RETENTION_DAYS; their records stay.

Real files in the per-test MEDIA_ROOT (conftest.py), real records, and the
pages a user reaches through the test client once a file has been deleted.
"""

import datetime
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from certificates.hr import services
from certificates.models import (
    BundleStatus,
    CertificateBundle,
    ExportJob,
    JobStatus,
    OfficerImport,
    OfficerImportStatus,
)
from certificates.tests.hr_builders import make_hr_user
from courses.tests.builders import make_course
from lms.models import OfficerProfile
from lms.tests.factories import AgencyFactory, OfficeFactory

pytestmark = pytest.mark.django_db

OFFICERS_CSV = (
    "NIP,Nama Lengkap,Email,Pangkat/Golongan,Kantor,Desa Binaan,Kabupaten/Kota,Provinsi\n"
    "198503122010011001,Budi Santoso,budi@imigrasi.example,Penata (III/c),KANIM-BDG,Desa Binong,Kabupaten Subang,"
    "Jawa Barat\n"
).encode()


def ago(days: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def path_of(record) -> Path:
    return Path(default_storage.path(record.file.name))


def make_export(*, by, status=JobStatus.DONE, days_old=10, query="status=valid") -> ExportJob:
    """A background XLSX export whose file the worker wrote `days_old` days ago (or is writing, if running)."""
    job = ExportJob.objects.create(created_by=by, format="xlsx", query=query, total_rows=3, status=status)
    job.file.save(f"registri-sertifikat-{job.pk}.xlsx", ContentFile(b"PK\x03\x04 xlsx"), save=False)
    finished = ago(days_old) if status in (JobStatus.DONE, JobStatus.FAILED) else None
    ExportJob.objects.filter(pk=job.pk).update(file=job.file.name, created_at=ago(days_old), finished_at=finished)
    job.refresh_from_db()
    return job


def make_bundle(*, course, by, status=BundleStatus.READY, days_old=10) -> CertificateBundle:
    bundle = CertificateBundle.objects.create(course=course, requested_by=by, format="zip", status=status)
    bundle.file.save(f"{course.slug}-{bundle.pk}.zip", ContentFile(b"PK\x05\x06" + bytes(18)), save=False)
    finished = ago(days_old) if status != BundleStatus.PENDING else None
    CertificateBundle.objects.filter(pk=bundle.pk).update(
        file=bundle.file.name, created_at=ago(days_old), finished_at=finished
    )
    bundle.refresh_from_db()
    return bundle


def make_import(*, by, days_old=10, applied=False) -> OfficerImport:
    record = services.officer_import_upload(by=by, name="petugas.csv", data=OFFICERS_CSV)
    update = {"created_at": ago(days_old)}
    if applied:
        update.update(status=OfficerImportStatus.APPLIED, applied_at=ago(days_old), summary={
            "created": 1, "updated": 0, "unchanged": 0})
    OfficerImport.objects.filter(pk=record.pk).update(**update)
    record.refresh_from_db()
    return record


def expire(*records):
    """What the retention cleanup does to a record: its file goes, the record says when."""
    for record in records:
        record.file.storage.delete(record.file.name)
        type(record).objects.filter(pk=record.pk).update(file_deleted_at=timezone.now())


@pytest.fixture
def hr(client):
    user = make_hr_user()
    client.force_login(user)
    return user


@pytest.fixture
def course(catalog):
    return make_course(catalog=catalog, agency=AgencyFactory(code="IMI"), title="Paspor", slug="paspor")


@pytest.fixture
def office(db):
    return OfficeFactory(code="KANIM-BDG", name="Kantor Imigrasi Bandung", province="Jawa Barat")


def test_an_expired_export_download_is_gone_with_a_clear_message_and_a_new_export(client, hr):
    export = make_export(by=hr, query="status=valid&instansi=3")
    expire(export)

    response = client.get(f"/hr/ekspor/{export.pk}/unduh/")

    assert response.status_code == 410
    page = response.content.decode()
    assert "Berkas ini sudah dihapus pada" in page and "berkas hanya disimpan 7 hari" in page
    assert 'href="/hr/sertifikat/ekspor.xlsx?status=valid&amp;instansi=3"' in page
    job_page = client.get(f"/hr/ekspor/{export.pk}/").content.decode()
    assert "sudah dihapus" in job_page and f'href="/hr/ekspor/{export.pk}/unduh/"' not in job_page


def test_an_expired_bundle_download_is_gone_and_can_be_built_again(client, hr, course):
    bundle = make_bundle(course=course, by=hr)
    expire(bundle)

    response = client.get(f"/certificates/bundles/{bundle.pk}/download/")

    assert response.status_code == 410
    page = response.content.decode()
    assert "Berkas ini sudah dihapus pada" in page and "Buat berkas ini lagi" in page
    assert f'href="/certificates/bundles/{bundle.pk}/download/"' not in page
    assert f'action="/certificates/bundles/course/{course.pk}/"' in page and 'name="format" value="zip"' in page
    # The offered button builds the same bundle again (this course has no certificates: an empty ZIP).
    response = client.post(f"/certificates/bundles/course/{course.pk}/", {"format": "zip"})
    rebuilt = CertificateBundle.objects.exclude(pk=bundle.pk).get()
    assert response["Location"] == f"/certificates/bundles/{rebuilt.pk}/"
    assert client.get(f"/certificates/bundles/{rebuilt.pk}/download/").status_code == 200


def test_a_deleted_upload_cannot_be_imported_and_says_to_upload_again(client, hr, office):
    record = make_import(by=hr)
    expire(record)

    page = client.get(f"/hr/impor/{record.pk}/").content.decode()
    assert "Berkas ini sudah dihapus pada" in page and "Unggah berkas lagi" in page
    assert "Impor sekarang" not in page

    response = client.post(f"/hr/impor/{record.pk}/", follow=True)
    assert "Unggah berkasnya lagi" in response.content.decode()
    assert not OfficerProfile.objects.exists()
    record.refresh_from_db()
    assert record.status == OfficerImportStatus.PREVIEWED


def test_an_applied_import_still_shows_its_summary_after_its_file_is_deleted(client, hr, office):
    record = make_import(by=hr, applied=True)
    expire(record)
    response = client.get(f"/hr/impor/{record.pk}/")
    assert response.status_code == 200
    assert "Sudah diimpor" in response.content.decode()
