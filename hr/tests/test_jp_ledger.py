"""The JP ledger (/hr/jp/), its exports and the SIASN records, read back as HR and SIASN would see them."""

import csv
import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.urls import reverse
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry

from certificates.models import Certificate
from certificates.tests.factories import make_certificate, make_program
from courses.services import enrollment_create, module_complete
from courses.tests.builders import make_course
from hr import exports, selectors
from hr.models import ExportJob, ExportKind, JobStatus
from hr.tests.builders import make_hr_user
from hr.tests.spreadsheets import csv_as_shown, open_in_calc
from lms.tests.factories import AgencyFactory, OfficeFactory, make_officer
from lms.tests.query_budget import assert_flat_query_count

pytestmark = pytest.mark.django_db

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")
NOW = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=JAKARTA)
LEDGER_HEADER = ["Nama", "NIP", "Kantor", "Provinsi", "Tahun", "JP", "Jumlah Kursus", "Target JP", "Kekurangan JP",
                 "Capaian"]
SIASN_HEADER = ["NIP", "Nama", "namaKursus", "nomorSertipikat", "jumlahJam", "tanggalKursus", "tanggalSelesaiKursus",
                "tahunKursus", "institusiPenyelenggara", "jenisKursusSertipikat"]


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


@pytest.fixture(autouse=True)
def pinned_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world(catalog):
    """budi: two courses of a program and the program in 2026, one course in 2025.
    siti: a revoked course and its second cycle, an expired course, one more course, all in 2026.
    joko: nothing."""
    imigrasi = AgencyFactory(code="IMI", name="Direktorat Jenderal Imigrasi", short_name="Imigrasi")
    polri = AgencyFactory(code="POLRI", name="Kepolisian Negara Republik Indonesia", short_name="Polri")
    bandung = OfficeFactory(code="KANIM-BDG", name="Kantor Imigrasi Bandung", province="Jawa Barat")
    medan = OfficeFactory(code="KANIM-MDN", name="Kantor Imigrasi Medan", province="Sumatera Utara")
    course_a = make_course(catalog=catalog, title="Migrasi Aman", agency=imigrasi, lesson_hours=6)
    course_b = make_course(catalog=catalog, title="Penyelundupan Manusia", agency=polri, lesson_hours=8)
    course_c = make_course(catalog=catalog, title="Pencegahan TPPO", agency=imigrasi, lesson_hours=10)
    program = make_program(courses=[course_a, course_b], agency=imigrasi)
    budi = make_officer(full_name="Budi Santoso", nip="198503122010011001", office=bandung)
    siti = make_officer(full_name="Siti Aminah", nip="199001012015032002", office=bandung)
    joko = make_officer(full_name="Joko Widodo", nip="198811052012121003", office=medan)
    certificates = {
        "budi_a": make_certificate(holder=budi, course=course_a, issued_on=day("2026-03-02")),
        "budi_b": make_certificate(holder=budi, course=course_b, issued_on=day("2026-04-10")),
        "budi_program": make_certificate(holder=budi, program=program, issued_on=day("2026-04-10")),
        "budi_c_2025": make_certificate(holder=budi, course=course_c, issued_on=day("2025-12-31")),
        "siti_a_revoked": make_certificate(holder=siti, course=course_a, issued_on=day("2026-01-05"), revoked=True),
        "siti_a": make_certificate(holder=siti, course=course_a, issued_on=day("2026-02-01"), cycle=2),
        "siti_c_expired": make_certificate(holder=siti, course=course_c, issued_on=day("2026-01-10"),
                                           expires_on=day("2026-06-30")),
        "siti_b": make_certificate(holder=siti, course=course_b, issued_on=day("2026-05-20")),
    }
    assert certificates["budi_program"].lesson_hours == 14  # the program shows its courses' total ...
    return locals()


@pytest.fixture
def hr(client):
    user = make_hr_user()
    client.force_login(user)
    return user


def ledger(**kwargs) -> dict[str, tuple[int, int]]:
    return {row.name: (row.earned, row.courses) for row in selectors.jp_ledger_rows(selectors.jp_ledger(**kwargs))}


def streamed(response) -> str:
    assert response.streaming
    return b"".join(response.streaming_content).decode("utf-8-sig")


class TestWhatCounts:
    def test_course_certificates_count_once_programs_add_nothing_revoked_never_expired_yes(self, world):
        # ... but adds nothing here: budi's 6 + 8, not 6 + 8 + 14; siti's revoked first cycle is not counted,
        # her expired course is (earned in the year it was completed); joko is listed with nothing.
        assert ledger(year=2026) == {"Budi Santoso": (14, 2), "Joko Widodo": (0, 0), "Siti Aminah": (24, 3)}
        assert ledger(year=2025) == {"Budi Santoso": (10, 1), "Joko Widodo": (0, 0), "Siti Aminah": (0, 0)}

    def test_an_inactive_account_is_not_listed(self, world):
        get_user_model().objects.filter(pk=world["joko"].pk).update(is_active=False)
        assert "Joko Widodo" not in ledger(year=2026)

    def test_below_target_and_the_configured_target(self, world, settings):
        assert ledger(year=2026, below_target=True) == {"Budi Santoso": (14, 2), "Joko Widodo": (0, 0)}
        assert ledger(year=2026, below_target=False) == {"Siti Aminah": (24, 3)}
        settings.JP_ANNUAL_TARGET = 14
        assert ledger(year=2026, below_target=True) == {"Joko Widodo": (0, 0)}
        rows = selectors.jp_ledger_rows(selectors.jp_ledger(year=2026))
        assert [(row.name, row.target, row.shortfall, row.below_target) for row in rows] == [
            ("Budi Santoso", 14, 0, False), ("Joko Widodo", 14, 14, True), ("Siti Aminah", 14, 0, False),
        ]

    def test_filters_by_agency_office_and_province(self, world):
        assert ledger(year=2026, agency=world["polri"]) == {
            "Budi Santoso": (8, 1), "Joko Widodo": (0, 0), "Siti Aminah": (8, 1),
        }
        assert ledger(year=2026, office=world["medan"]) == {"Joko Widodo": (0, 0)}
        assert ledger(year=2026, province="Jawa Barat") == {"Budi Santoso": (14, 2), "Siti Aminah": (24, 3)}
        assert ledger(year=2026, province="Jawa Barat", below_target=True) == {"Budi Santoso": (14, 2)}


def complete_course_at(moment: datetime.datetime, user, course, django_capture_on_commit_callbacks):
    with time_machine.travel(moment, tick=False), django_capture_on_commit_callbacks(execute=True):
        enrollment_create(user=user, course=course)
        for module in course.get_modules():
            module_complete(user=user, module=module.specific)


class TestYearBoundary:
    """The year is Jakarta's: 00:30 on 1 January in Jakarta is still 31 December in UTC."""

    def test_completion_at_2330_and_0030_jakarta_fall_in_their_local_years(
        self, catalog, client, django_capture_on_commit_callbacks
    ):
        agency = AgencyFactory(code="IMI")
        late = make_course(catalog=catalog, title="Kursus Malam Tahun Baru", agency=agency, modules=1, lesson_hours=3)
        early = make_course(catalog=catalog, title="Kursus Dini Hari", agency=agency, modules=1, lesson_hours=5)
        officer = make_officer(full_name="Ayu Lestari")
        complete_course_at(datetime.datetime(2026, 12, 31, 23, 30, tzinfo=JAKARTA), officer, late,
                           django_capture_on_commit_callbacks)
        after_midnight = datetime.datetime(2027, 1, 1, 0, 30, tzinfo=JAKARTA)
        complete_course_at(after_midnight, officer, early, django_capture_on_commit_callbacks)
        # Recorded at 17:30 UTC on 31 December, issued on Jakarta's 1 January.
        issued = Certificate.objects.get(title="Kursus Dini Hari")
        assert (issued.created_at.astimezone(datetime.UTC).date(), issued.issued_on) == (
            datetime.date(2026, 12, 31), datetime.date(2027, 1, 1)
        )

        assert ledger(year=2026) == {"Ayu Lestari": (3, 1)}
        assert ledger(year=2027) == {"Ayu Lestari": (5, 1)}
        records = {record.namaKursus: record.as_siasn() for record in
                   selectors.siasn_records(Certificate.objects.order_by("pk"))}
        assert (records["Kursus Malam Tahun Baru"]["tanggalSelesaiKursus"],
                records["Kursus Malam Tahun Baru"]["tahunKursus"]) == ("31-12-2026", 2026)
        assert (records["Kursus Dini Hari"]["tanggalSelesaiKursus"],
                records["Kursus Dini Hari"]["tahunKursus"]) == ("01-01-2027", 2027)

        # My learning shows the officer this (Jakarta) year's JP: on New Year's morning, only the new course.
        with time_machine.travel(after_midnight + datetime.timedelta(minutes=5), tick=False):
            client.force_login(officer)  # here: a session started in November would have expired
            page = client.get(reverse("my_learning")).content.decode()
        assert "Jam pelajaran (JP) tahun 2027" in page and "5 dari 20 JP" in page
        assert "Kurang 15 JP untuk mencapai target tahun ini." in page
        with time_machine.travel(datetime.datetime(2026, 12, 31, 23, 45, tzinfo=JAKARTA), tick=False):
            client.force_login(officer)
            page = client.get(reverse("my_learning")).content.decode()
        assert "Jam pelajaran (JP) tahun 2026" in page and "3 dari 20 JP" in page


class TestMyLearning:
    def test_the_officer_sees_this_years_jp_the_target_and_its_basis(self, world, client, settings):
        client.force_login(world["siti"])
        page = client.get(reverse("my_learning")).content.decode()
        assert "24 dari 20 JP" in page and "Target JP tahun ini sudah tercapai." in page
        assert "PP Nomor 11 Tahun 2017" in page and "Pasal 203 ayat (4)" in page
        settings.JP_ANNUAL_TARGET = 30
        client.force_login(world["budi"])
        page = client.get(reverse("my_learning")).content.decode()
        assert "14 dari 30 JP" in page and "Kurang 16 JP" in page

    def test_not_shown_to_hr(self, world, client, hr):
        assert "Jam pelajaran (JP)" not in client.get(reverse("my_learning")).content.decode()

    def test_in_english(self, world, client):
        client.force_login(world["budi"])
        page = client.get(reverse("my_learning"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "14 of 20 JP" in page


class TestLedgerPage:
    def test_only_hr_enters(self, world, client):
        url = reverse("hr:jp_ledger")
        assert client.get(url).status_code == 302
        client.force_login(world["budi"])
        assert client.get(url).status_code == 403
        assert client.get(reverse("hr:jp_siasn_csv")).status_code == 403

    def test_lists_this_year_by_default_with_the_target_and_its_legal_basis(self, world, client, hr):
        page = client.get(reverse("hr:jp_ledger")).content.decode()
        assert "PP Nomor 11 Tahun 2017 tentang Manajemen Pegawai Negeri Sipil, Pasal 203 ayat (4)" in page
        assert "Target: 20 JP" in page
        assert "3 petugas, tahun 2026" in page
        assert f'href="{reverse("hr:jp_siasn_xlsx")}?tahun=2026"' in page  # the year HR sees, even after New Year
        assert page.index("Budi Santoso") < page.index("Joko Widodo") < page.index("Siti Aminah")
        dashboard = client.get(reverse("hr:dashboard")).content.decode()
        assert 'href="/hr/jp/"' in dashboard  # the HR menu
        assert ('<a href="/hr/jp/?tahun=2026&amp;capaian=kurang">2</a></strong> petugas di bawah target JP tahun 2026'
                in dashboard)

    def test_the_officer_page_shows_this_years_jp(self, world, client, hr):
        page = client.get(reverse("hr:officer", args=[world["budi"].pk])).content.decode()
        assert "JP tahun 2026" in page and "14 dari 20 JP</a> · Di bawah target" in page

    def test_filters_in_the_url(self, world, client, hr):
        page = client.get(reverse("hr:jp_ledger"), {"tahun": "2026", "provinsi": "Jawa Barat",
                                                     "capaian": "kurang"}).content.decode()
        assert "Budi Santoso" in page and "Siti Aminah" not in page and "Joko Widodo" not in page
        page = client.get(reverse("hr:jp_ledger"), {"instansi": "polri", "urutan": "-jp"}).content.decode()
        assert "hanya JP dari kursus Polri" in page
        page = client.get(reverse("hr:jp_ledger"), {"tahun": "2025"}).content.decode()
        assert "3 petugas, tahun 2025" in page

    def test_an_unknown_filter_lists_nothing_and_exports_nothing(self, world, client, hr):
        response = client.get(reverse("hr:jp_ledger"), {"instansi": "XYZ"})
        page = response.content.decode()
        assert "“XYZ” tidak dikenal." in page and "Budi Santoso" not in page
        response = client.get(reverse("hr:jp_export_csv"), {"tahun": "1999"})
        assert response.status_code == 302 and response["Location"] == f"{reverse('hr:jp_ledger')}?tahun=1999"
        assert not ExportJob.objects.exists()

    def test_query_count_does_not_grow_with_officers(self, world, client, hr, django_assert_num_queries):
        def grow():
            course = world["course_a"]
            for number in range(60):
                officer = make_officer(full_name=f"Petugas Tambahan {number:02d}", office=world["medan"])
                make_certificate(holder=officer, course=course, issued_on=day("2026-06-01"))

        params = {"tahun": "2026"}

        def export_and_page():
            assert client.get(reverse("hr:jp_export_xlsx"), params).status_code == 200  # built in the request
            return client.get(reverse("hr:jp_ledger"), params)

        _small, large = assert_flat_query_count(django_assert_num_queries, small=export_and_page, grow=grow)
        assert "63 petugas, tahun 2026" in large.content.decode()


class TestLedgerExport:
    def test_csv_rows_and_the_audit_entry(self, world, client, hr):
        response = client.get(reverse("hr:jp_export_csv"), {"tahun": "2026", "urutan": "jp"})
        assert response["Content-Disposition"] == 'attachment; filename="rekap-jp-2026.csv"'
        rows = csv_as_shown(streamed(response))
        assert rows == [
            LEDGER_HEADER,
            ["Joko Widodo", "198811052012121003", "Kantor Imigrasi Medan", "Sumatera Utara", "2026", "0", "0", "20",
             "20", "Di bawah target"],
            ["Budi Santoso", "198503122010011001", "Kantor Imigrasi Bandung", "Jawa Barat", "2026", "14", "2", "20",
             "6", "Di bawah target"],
            ["Siti Aminah", "199001012015032002", "Kantor Imigrasi Bandung", "Jawa Barat", "2026", "24", "3", "20",
             "0", "Target tercapai"],
        ]
        job = ExportJob.objects.get()
        assert (job.kind, job.format, job.total_rows, job.query) == (ExportKind.JP_LEDGER, "csv", 3,
                                                                      "tahun=2026&urutan=jp")
        assert ModelLogEntry.objects.get(action="hr.export").data["kind"] == "jp"

    def test_xlsx_opened_in_calc(self, world, client, hr, tmp_path):
        response = client.get(reverse("hr:jp_export_xlsx"), {"tahun": "2026", "capaian": "kurang"})
        assert response["Content-Type"] == exports.XLSX_CONTENT_TYPE
        values, _cells = open_in_calc(response.content, tmp_path, suffix="xlsx")
        rows = [[cell for cell in row] for row in values.iter_rows(values_only=True)]
        assert rows == [
            LEDGER_HEADER,
            ["Budi Santoso", "198503122010011001", "Kantor Imigrasi Bandung", "Jawa Barat", 2026, 14, 2, 20, 6,
             "Di bawah target"],
            ["Joko Widodo", "198811052012121003", "Kantor Imigrasi Medan", "Sumatera Utara", 2026, 0, 0, 20, 20,
             "Di bawah target"],
        ]

    def test_a_large_xlsx_builds_in_the_background(
        self, world, client, hr, monkeypatch, django_capture_on_commit_callbacks
    ):
        monkeypatch.setattr(exports, "XLSX_INLINE_LIMIT", 2)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.get(reverse("hr:jp_siasn_xlsx"), {"tahun": "2026"})
        job = ExportJob.objects.get()
        assert response.status_code == 302 and response["Location"] == reverse("hr:export_job", args=[job.pk])
        job.refresh_from_db()
        assert (job.kind, job.status, job.total_rows) == (ExportKind.SIASN, JobStatus.DONE, 5)
        page = client.get(response["Location"]).content.decode()
        assert f'href="{reverse("hr:jp_ledger")}?tahun=2026"' in page and "Kembali ke rekap JP" in page
        download = client.get(reverse("hr:export_download", args=[job.pk]))
        assert download["Content-Disposition"].endswith(f'filename="riwayat-kursus-siasn-{job.pk}.xlsx"')
        sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content)), read_only=True).worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
        assert list(rows[0]) == SIASN_HEADER and len(rows) == 6


class TestSiasnExport:
    def expected(self, world):
        def row(key, start=None):
            certificate = world["certificates"][key]
            return [certificate.holder_nip, certificate.holder_name, certificate.title, certificate.serial,
                    str(certificate.lesson_hours), start or certificate.issued_on.strftime("%d-%m-%Y"),
                    certificate.issued_on.strftime("%d-%m-%Y"), str(certificate.issued_on.year),
                    certificate.agency_name, "Kursus"]

        return [row("budi_a"), row("budi_b"), row("siti_c_expired"), row("siti_a"), row("siti_b")]

    def test_csv_one_row_per_counted_course_certificate_in_siasn_fields(self, world, client, hr):
        response = client.get(reverse("hr:jp_siasn_csv"), {"tahun": "2026"})
        assert response["Content-Disposition"] == 'attachment; filename="riwayat-kursus-siasn-2026.csv"'
        text = streamed(response)
        assert list(csv.reader(io.StringIO(text)))[1][5] == '="02-03-2026"'  # a date stays text in a spreadsheet
        rows = csv_as_shown(text)
        assert rows == [SIASN_HEADER, *self.expected(world)]
        assert ExportJob.objects.get().kind == ExportKind.SIASN

    def test_the_period_start_is_written_when_known(self, world, client, hr):
        Certificate.objects.filter(pk=world["certificates"]["budi_a"].pk).update(period_start=day("2026-02-27"))
        rows = csv_as_shown(streamed(client.get(reverse("hr:jp_siasn_csv"), {"tahun": "2026", "q": ""})))
        assert rows[1][5:8] == ["27-02-2026", "02-03-2026", "2026"]

    def test_follows_the_ledgers_filters(self, world, client, hr):
        rows = csv_as_shown(streamed(client.get(reverse("hr:jp_siasn_csv"),
                                                {"tahun": "2026", "capaian": "kurang"})))
        assert [row[3] for row in rows[1:]] == [world["certificates"][key].serial for key in ("budi_a", "budi_b")]
        rows = csv_as_shown(streamed(client.get(reverse("hr:jp_siasn_csv"), {"tahun": "2026", "instansi": "POLRI"})))
        assert [row[2] for row in rows[1:]] == ["Penyelundupan Manusia", "Penyelundupan Manusia"]

    def test_xlsx_opened_in_calc_keeps_nip_serial_and_dates_as_written(self, world, client, hr, tmp_path):
        response = client.get(reverse("hr:jp_siasn_xlsx"), {"tahun": "2026"})
        assert response["Content-Disposition"] == 'attachment; filename="riwayat-kursus-siasn-2026.xlsx"'
        values, cells = open_in_calc(response.content, tmp_path, suffix="xlsx")
        rows = [["" if cell is None else str(cell) for cell in row] for row in values.iter_rows(values_only=True)]
        assert rows == [SIASN_HEADER, *self.expected(world)]
        assert all(cells.cell(row=2, column=column).data_type == "s" for column in (1, 4, 6, 7))
        assert cells.cell(row=2, column=5).data_type == "n"
