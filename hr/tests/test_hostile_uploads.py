"""Hostile files at the two HR upload pages, through the test client: a clear message or a correct result,
never a 500 and never half a write. Runs on SQLite and, in CI's second pass, on PostgreSQL (which refuses NUL).

/hr/impor/ is followed all the way: upload, preview, confirm. /hr/verifikasi/ to its result page and
both downloads. Each hypothesis example runs in a transaction that is rolled back, so every example
starts from the same database; the files it stored are removed with it.
"""

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hr.models import BulkVerification, OfficerImport, OfficerImportStatus
from hr.tests.builders import make_hr_user, make_world
from hr.tests.hostile_files import hostile_files, nul_after_8kib_csv, officer_csv, truncated_sheet_xlsx
from lms.models import OfficerProfile, Village

pytestmark = pytest.mark.django_db

FUZZ = settings(max_examples=60, deadline=None, database=None, suppress_health_check=list(HealthCheck))


@pytest.fixture
def world():
    return make_world()


@pytest.fixture
def hr(client, world):
    user = make_hr_user()
    client.force_login(user)
    return user


def stored_files() -> set[Path]:
    root = Path(django_settings.MEDIA_ROOT)
    return {path for path in root.rglob("*") if path.is_file()} if root.exists() else set()


def written() -> tuple:
    """Everything an import or a verification could write."""
    return (
        OfficerImport.objects.count(), BulkVerification.objects.count(), OfficerProfile.objects.count(),
        get_user_model().objects.count(), Village.objects.count(),
    )


class rolled_back:
    """Run one example in a transaction that is undone afterwards, and delete the files it stored."""

    def __enter__(self):
        self.files = stored_files()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()

    def __exit__(self, *exc):
        transaction.set_rollback(True)
        self.atomic.__exit__(*exc)
        for path in stored_files() - self.files:
            path.unlink()
        return False


def import_file(client, name: str, data: bytes) -> str:
    """Upload, preview and confirm; asserts that each step answers and that nothing is half-written."""
    before, files = written(), stored_files()
    response = client.post("/hr/impor/", {"file": SimpleUploadedFile(name, data)})
    if response.status_code == 200:
        assert response.context["form"].errors["file"], "a refused file says why"
        assert written() == before and stored_files() == files
        return "refused"
    assert response.status_code == 302, response.status_code
    record = OfficerImport.objects.get(pk=response["Location"].rstrip("/").rsplit("/", 1)[1])
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    plan = preview.context["plan"]
    response = client.post(response["Location"])
    assert response.status_code == 302
    record.refresh_from_db()
    after = written()
    if record.status == OfficerImportStatus.APPLIED:
        assert plan is not None and plan.is_valid
        assert after[2] == before[2] + plan.created and after[4] == before[4] + len(plan.new_villages)
        return "imported"
    assert after[2:] == before[2:], "a rejected import writes nothing"
    return "rejected"


def verify_file(client, world, name: str, data: bytes) -> str:
    before, files = written(), stored_files()
    response = client.post("/hr/verifikasi/", {"subjek": f"c{world.course_a.pk}", "file": SimpleUploadedFile(name, data)})
    if response.status_code == 200:
        assert response.context["form"].errors
        assert written() == before and stored_files() == files
        return "refused"
    assert response.status_code == 302, response.status_code
    record = BulkVerification.objects.latest("pk")
    assert client.get(response["Location"]).status_code == 200
    for fmt in ("csv", "xlsx"):
        assert client.get(f"/hr/verifikasi/{record.pk}/unduh.{fmt}").status_code == 200
    return "verified"


@pytest.mark.parametrize("name, data", [("petugas.xlsx", truncated_sheet_xlsx()), ("petugas.csv", nul_after_8kib_csv())])
def test_the_reported_files_get_a_message_and_nothing_is_written(client, hr, world, name, data):
    before = written()
    response = client.post("/hr/impor/", {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 200
    message = str(response.context["form"].errors["file"])
    assert ("rusak" in message) if name.endswith(".xlsx") else ("NUL" in message and "Baris 202" in message)
    response = client.post("/hr/verifikasi/", {"subjek": f"c{world.course_a.pk}", "file": SimpleUploadedFile(name, data)})
    assert response.status_code == 200 and response.context["form"].errors
    assert written() == before and not OfficerImport.objects.exists() and not BulkVerification.objects.exists()
    assert stored_files() == set()


def test_a_good_file_still_goes_through_both_pages(client, hr, world):
    assert import_file(client, "petugas.csv", officer_csv()) == "imported"
    assert verify_file(client, world, "petugas.csv", officer_csv()) == "verified"


@FUZZ
@given(upload=hostile_files)
def test_hostile_files_at_the_officer_import(client, hr, world, upload):
    with rolled_back():
        import_file(client, *upload)


@FUZZ
@given(upload=hostile_files)
def test_hostile_files_at_bulk_verification(client, hr, world, upload):
    with rolled_back():
        verify_file(client, world, *upload)


@FUZZ
@given(upload=hostile_files, pasted=st.text(max_size=200))
def test_pasting_and_uploading_together_or_pasting_junk(client, hr, world, upload, pasted):
    with rolled_back():
        before = written()
        data = {"subjek": f"c{world.course_a.pk}", "nips": pasted, "file": SimpleUploadedFile(*upload)}
        response = client.post("/hr/verifikasi/", data)
        assert response.status_code in (200, 302)
        if response.status_code == 200:
            assert response.context["form"].errors and written() == before
