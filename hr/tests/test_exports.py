"""Exports of the filtered registry, read back with the csv module and openpyxl."""

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry

from hr import exports
from hr.models import ExportJob, JobStatus
from hr.tests.builders import make_hr_user, make_world
from hr.tests.spreadsheets import csv_as_shown

pytestmark = pytest.mark.django_db

HEADER = [
    "Nama", "NIP", "Kursus/Program", "Jenis", "Instansi", "Kantor", "Provinsi", "Nomor Seri", "Tanggal Terbit",
    "Berlaku Sampai", "Status", "Alasan Pencabutan", "Kode Verifikasi",
]


@pytest.fixture
def world():
    return make_world()


@pytest.fixture
def hr(client):
    user = make_hr_user()
    client.force_login(user)
    return user


def streamed(response) -> str:
    assert response.streaming
    return b"".join(response.streaming_content).decode("utf-8-sig")


def expected_row(certificate, *, office, province, status, kind="Kursus", reason="") -> list[str]:
    return [
        certificate.holder_name, certificate.holder_nip, certificate.title, kind, certificate.agency.short_name,
        office, province, certificate.serial, certificate.issued_on.isoformat(),
        certificate.expires_on.isoformat() if certificate.expires_on else "", status, reason, certificate.code,
    ]


def test_csv_is_the_filtered_registry_with_an_indonesian_header(client, hr, world):
    response = client.get(reverse("hr:export_csv"), {"status": "valid", "instansi": world.polri.pk, "halaman": 3})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = streamed(response)
    assert list(csv.reader(io.StringIO(text)))[1][1] == f'="{world.joko.officer_profile.nip}"'
    rows = csv_as_shown(text)
    assert rows == [
        HEADER,
        expected_row(world.certificates["joko_b"], office="Kantor Imigrasi Medan", province="Sumatera Utara",
                     status="Berlaku"),
    ]
    job = ExportJob.objects.get()
    assert (job.format, job.status, job.total_rows, job.query) == ("csv", JobStatus.DONE, 1, f"status=valid&instansi={world.polri.pk}")
    entry = ModelLogEntry.objects.get(action="hr.export")
    assert entry.user == hr and entry.data["rows"] == 1


def test_csv_header_stays_indonesian_for_an_english_user(client, hr, world):
    client.cookies["django_language"] = "en"
    rows = list(csv.reader(io.StringIO(streamed(client.get(reverse("hr:export_csv"), {"status": "revoked"})))))
    assert rows[0] == HEADER
    assert rows[1][10] == "Dicabut" and rows[1][11] == "Diterbitkan karena kesalahan"


def test_xlsx_matches_the_csv(client, hr, world):
    params = {"urutan": "nama"}
    csv_rows = csv_as_shown(streamed(client.get(reverse("hr:export_csv"), params)))
    response = client.get(reverse("hr:export_xlsx"), params)
    assert response["Content-Type"] == exports.XLSX_CONTENT_TYPE
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    xlsx_rows = [
        ["" if value is None else value.date().isoformat() if isinstance(value, datetime.datetime) else str(value)
         for value in row]
        for row in sheet.iter_rows(values_only=True)
    ]
    assert xlsx_rows == csv_rows
    assert len(xlsx_rows) == 7
    program_row = next(row for row in xlsx_rows if row[2] == world.program.title)
    assert program_row[3] == "Program"


def test_large_xlsx_runs_in_the_background_with_progress_and_a_download(
    client, hr, world, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(exports, "XLSX_INLINE_LIMIT", 3)
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 2)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("hr:export_xlsx"), {"status": "valid"})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("hr:export_job", args=[job.pk])
    job.refresh_from_db()
    assert (job.status, job.total_rows, job.done_rows, job.percent) == (JobStatus.DONE, 4, 4, 100)
    page = client.get(response["Location"]).content.decode()
    assert 'http-equiv="refresh"' not in page
    download = client.get(reverse("hr:export_download", args=[job.pk]))
    content = b"".join(download.streaming_content)
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    assert len(list(sheet.iter_rows(values_only=True))) == 5


def test_pending_job_page_refreshes_itself_without_javascript(client, hr):
    job = ExportJob.objects.create(created_by=hr, format="xlsx", total_rows=10_000, done_rows=2_500, status="running")
    page = client.get(reverse("hr:export_job", args=[job.pk])).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in page
    assert 'value="25"' in page
    # No script refreshes it: the only one on the page is the header Menu's (closing it with Escape).
    assert re.findall(r"<script[^>]*>", page) == ['<script src="/static/js/site-menu.js" defer>']
    assert client.get(reverse("hr:export_download", args=[job.pk])).status_code == 404


def test_csv_streams_without_loading_every_row(world):
    """The CSV body is a generator over a database iterator: nothing is built before it is sent."""
    from hr.selectors import export_rows, registry_queryset

    stream = exports.csv_stream(exports.registry_header(), exports.registry_cells(export_rows(registry_queryset())))
    assert next(stream).startswith("\ufeffNama,NIP")
    assert next(stream).count(",") >= len(HEADER) - 1


def test_formulas_in_names_are_exported_as_text(client, hr, world):
    world.certificates["joko_b"].__class__.objects.filter(pk=world.certificates["joko_b"].pk).update(
        holder_name='=HYPERLINK("http://jahat.example","klik")'
    )
    rows = list(csv.reader(io.StringIO(streamed(client.get(reverse("hr:export_csv"), {"q": "HYPERLINK"})))))
    assert rows[1][0] == "'=HYPERLINK(\"http://jahat.example\",\"klik\")"
    response = client.get(reverse("hr:export_xlsx"), {"q": "HYPERLINK"})
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert sheet["A2"].data_type == "s" and sheet["A2"].value.startswith("'=")
