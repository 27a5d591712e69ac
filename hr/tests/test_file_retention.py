"""Exports, officer uploads and print bundles leave MEDIA_ROOT after HR_FILE_RETENTION_DAYS; their records stay.

Real files in the per-test MEDIA_ROOT (conftest.py), real records, the real
management command, and the pages a user then reaches through the test client.
"""

import datetime
import io
import os
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import CommandError, call_command
from django.utils import timezone

from certificates.models import BundleStatus, CertificateBundle
from courses.tests.builders import make_course
from hr import services
from hr.models import ExportJob, JobStatus, OfficerImport, OfficerImportStatus
from hr.tests.builders import make_hr_user
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


def cleanup(*args) -> str:
    out = io.StringIO()
    call_command("cleanup_hr_files", *args, stdout=out)
    return out.getvalue()


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


def test_files_past_the_retention_are_deleted_and_their_records_kept(hr, course, office):
    export, bundle, upload = make_export(by=hr), make_bundle(course=course, by=hr), make_import(by=hr, applied=True)
    paths = [path_of(export), path_of(bundle), path_of(upload)]
    assert all(path.exists() for path in paths)

    output = cleanup()

    assert not any(path.exists() for path in paths)
    for record in (export, bundle, upload):
        name = record.file.name
        record.refresh_from_db()
        assert record.file_deleted_at is not None
        assert record.file.name == name  # the history still says which file there was
        assert not record.file_available
    assert (export.status, bundle.status, upload.status) == (JobStatus.DONE, BundleStatus.READY, "applied")
    assert f"Deleted export #{export.pk}: {export.file.name}" in output
    assert f"Deleted import #{upload.pk}" in output and f"Deleted bundle #{bundle.pk}" in output
    assert "Deleted 3 file(s)" in output and "(retention: 7 day(s))" in output


def test_recent_files_are_kept(hr, course, office):
    records = [make_export(by=hr, days_old=6), make_bundle(course=course, by=hr, days_old=6.9),
               make_import(by=hr, days_old=1)]

    assert "Deleted 0 file(s)" in cleanup()

    for record in records:
        assert path_of(record).exists()
        record.refresh_from_db()
        assert record.file_deleted_at is None and record.file_available


def test_the_retention_comes_from_the_setting(hr, settings):
    settings.HR_FILE_RETENTION_DAYS = 30
    kept, gone = make_export(by=hr, days_old=10), make_export(by=hr, days_old=31)
    assert "(retention: 30 day(s))" in cleanup()
    assert path_of(kept).exists() and not path_of(gone).exists()


def test_failed_jobs_lose_their_file_at_once(hr, course):
    export = make_export(by=hr, status=JobStatus.FAILED, days_old=0)
    bundle = make_bundle(course=course, by=hr, status=BundleStatus.FAILED, days_old=0)
    cleanup()
    assert not path_of(export).exists() and not path_of(bundle).exists()


@pytest.mark.parametrize("status", [JobStatus.PENDING, JobStatus.RUNNING])
def test_a_file_a_worker_may_still_be_writing_is_never_deleted(hr, course, status):
    """However old the job: a stuck or slow worker may write or finish the file at any moment."""
    export = make_export(by=hr, status=status, days_old=60)
    bundle = make_bundle(course=course, by=hr, status=BundleStatus.PENDING, days_old=60)

    assert "Deleted 0 file(s)" in cleanup()

    assert path_of(export).exists() and path_of(bundle).exists()
    assert not ExportJob.objects.filter(file_deleted_at__isnull=False).exists()
    assert not CertificateBundle.objects.filter(file_deleted_at__isnull=False).exists()


def test_dry_run_lists_and_deletes_nothing(hr, course, office):
    records = [make_export(by=hr), make_bundle(course=course, by=hr), make_import(by=hr)]

    output = cleanup("--dry-run")

    assert f"Would delete export #{records[0].pk}: {records[0].file.name}" in output
    assert "Would delete 3 file(s)" in output and "Dry run: nothing changed." in output
    for record in records:
        assert path_of(record).exists()
        record.refresh_from_db()
        assert record.file_deleted_at is None


def test_a_second_run_changes_nothing(hr, course, office):
    records = [make_export(by=hr), make_bundle(course=course, by=hr), make_import(by=hr)]
    cleanup()
    first = {type(record): type(record).objects.get(pk=record.pk).file_deleted_at for record in records}

    assert "Deleted 0 file(s)" in cleanup()

    assert {type(record): type(record).objects.get(pk=record.pk).file_deleted_at for record in records} == first


def test_a_file_already_missing_from_storage_still_marks_its_record(hr):
    export = make_export(by=hr)
    path_of(export).unlink()
    assert "(already missing)" in cleanup()
    export.refresh_from_db()
    assert export.file_deleted_at is not None


def test_a_file_that_cannot_be_deleted_keeps_its_record_for_the_next_run(hr, monkeypatch):
    export = make_export(by=hr)

    def refuse(self, name):
        raise PermissionError(name)

    monkeypatch.setattr(FileSystemStorage, "delete", refuse)
    with pytest.raises(CommandError, match="1 file"):
        cleanup()
    export.refresh_from_db()
    assert export.file_deleted_at is None and path_of(export).exists()
    monkeypatch.undo()
    assert "Deleted 1 file(s)" in cleanup()


# --- What users see afterwards ------------------------------------------------------------


def test_an_expired_export_download_is_gone_with_a_clear_message_and_a_new_export(client, hr):
    export = make_export(by=hr, query="status=valid&instansi=3")
    cleanup()

    response = client.get(f"/hr/ekspor/{export.pk}/unduh/")

    assert response.status_code == 410
    page = response.content.decode()
    assert "Berkas ini sudah dihapus pada" in page and "berkas hanya disimpan 7 hari" in page
    assert 'href="/hr/sertifikat/ekspor.xlsx?status=valid&amp;instansi=3"' in page
    job_page = client.get(f"/hr/ekspor/{export.pk}/").content.decode()
    assert "sudah dihapus" in job_page and f'href="/hr/ekspor/{export.pk}/unduh/"' not in job_page


def test_an_expired_bundle_download_is_gone_and_can_be_built_again(client, hr, course):
    bundle = make_bundle(course=course, by=hr)
    cleanup()

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
    cleanup()

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
    cleanup()
    response = client.get(f"/hr/impor/{record.pk}/")
    assert response.status_code == 200
    assert "Sudah diimpor" in response.content.decode()


# --- Files no record holds -----------------------------------------------------------------


def stray(name: str, *, hours_old: float) -> Path:
    """A file in MEDIA_ROOT that no record points to, last written `hours_old` hours ago."""
    path = Path(default_storage.path(name))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"sisa")
    written = (timezone.now() - datetime.timedelta(hours=hours_old)).timestamp()
    os.utime(path, (written, written))
    return path


def age(path: Path, *, hours: float) -> None:
    written = (timezone.now() - datetime.timedelta(hours=hours)).timestamp()
    os.utime(path, (written, written))


@pytest.fixture
def strays(hr, course):
    return {
        "export": stray("hr/exports/2026/11/registri-sertifikat-99.xlsx", hours_old=30),
        "import": stray("hr/imports/2026/10/petugas.csv", hours_old=24 * 40),
        "bundle": stray("certificate-bundles/2026/paspor-99.zip", hours_old=25),
        "young": stray("hr/exports/2026/11/being-written.xlsx", hours_old=1),
        "elsewhere": stray("certificates/2026/PIMPASA-IMI-2026-000001.pdf", hours_old=24 * 40),
        "other": stray("documents/surat.pdf", hours_old=24 * 40),
    }


def test_files_no_record_holds_are_deleted_after_a_day(hr, course, office, strays):
    # Files records hold stay however old the file itself is, until their record's own retention.
    held = [make_export(by=hr, days_old=1), make_import(by=hr, days_old=1), make_bundle(course=course, by=hr, days_old=1)]
    for record in held:
        age(path_of(record), hours=24 * 30)

    output = cleanup()

    for kind in ("export", "import", "bundle"):
        assert not strays[kind].exists(), kind
    for kind in ("young", "elsewhere", "other"):
        assert strays[kind].exists(), kind
    assert all(path_of(record).exists() for record in held)
    assert "Deleted orphaned file (no record holds it): hr/exports/2026/11/registri-sertifikat-99.xlsx (4" in output
    assert "hr/imports/2026/10/petugas.csv" in output and "certificate-bundles/2026/paspor-99.zip" in output
    assert "Deleted 0 file(s) and 3 orphaned file(s)" in output
    assert "Deleted 0 file(s) and 0 orphaned file(s)" in cleanup()  # a second run finds nothing


def test_a_file_left_behind_by_a_deleted_record_goes_too(hr):
    export = make_export(by=hr)
    ExportJob.objects.filter(pk=export.pk).update(file_deleted_at=ago(3))  # its file came back, e.g. a restore
    age(path_of(export), hours=48)
    assert "1 orphaned file(s)" in cleanup()
    assert not path_of(export).exists()


def test_dry_run_lists_orphans_and_deletes_nothing(hr, strays):
    output = cleanup("--dry-run")
    assert "Would delete orphaned file (no record holds it): hr/imports/2026/10/petugas.csv" in output
    assert "Would delete 0 file(s) and 3 orphaned file(s)" in output and "Dry run: nothing changed." in output
    assert all(path.exists() for path in strays.values())


def test_an_orphan_that_cannot_be_deleted_is_tried_again(hr, monkeypatch):
    path = stray("hr/exports/2026/11/lost.xlsx", hours_old=48)

    def refuse(self, name):
        raise PermissionError(name)

    monkeypatch.setattr(FileSystemStorage, "delete", refuse)
    with pytest.raises(CommandError, match="1 file"):
        cleanup()
    assert path.exists()
    monkeypatch.undo()
    assert "1 orphaned file(s)" in cleanup() and not path.exists()

