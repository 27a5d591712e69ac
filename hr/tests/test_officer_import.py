"""HR imports officers from CSV/XLSX: preview, all-or-nothing, upsert on NIP, invitations, bad files."""

import csv
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from wagtail.models import ModelLogEntry

from hr.models import OfficerImport, OfficerImportStatus
from hr.officer_import import ImportRejected, expected_header, officer_import_apply, officer_import_plan
from hr.tabular import TableError, read_table
from lms import roles
from lms.models import OfficerProfile, Village
from lms.tests.factories import OfficeFactory, OfficerProfileFactory, UserFactory, VillageFactory

pytestmark = pytest.mark.django_db

User = get_user_model()
HEADER = "NIP,Nama Lengkap,Email,Pangkat/Golongan,Kantor,Desa Binaan,Kabupaten/Kota,Provinsi"
NIP_A = "198503122010011001"
NIP_B = "199001012015032002"
NIP_C = "198811052012121003"


@pytest.fixture
def office():
    return OfficeFactory(code="KANIM-BDG", name="Kantor Imigrasi Bandung", province="Jawa Barat")


@pytest.fixture
def hr_client(client):
    user = UserFactory(groups=[roles.HR])
    client.force_login(user)
    client.user = user
    return client


def csv_bytes(*rows, header=HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


def good_rows():
    return [
        f"{NIP_A},Budi Santoso,budi@imigrasi.example,Penata (III/c),KANIM-BDG,Desa Binong,Kabupaten Subang,Jawa Barat",
        f"{NIP_B},Siti Aminah,siti@imigrasi.example,,Kantor Imigrasi Bandung,,,",
    ]


def plan_for(data: bytes, name="petugas.csv"):
    return officer_import_plan(table=read_table(name=name, data=data))


def apply(data: bytes, name="petugas.csv"):
    return officer_import_apply(table=read_table(name=name, data=data))


class TestPreview:
    def test_preview_lists_creates_and_writes_nothing(self, office):
        plan = plan_for(csv_bytes(*good_rows()))
        assert plan.is_valid
        assert (plan.created, plan.updated, plan.unchanged) == (2, 0, 0)
        assert [row.nip for row in plan.rows] == [NIP_A, NIP_B]
        assert len(plan.new_villages) == 1
        assert not OfficerProfile.objects.exists()
        assert not Village.objects.exists()

    def test_every_invalid_row_has_its_line_and_reason(self, office):
        plan = plan_for(
            csv_bytes(
                *good_rows(),
                "12345,Nip Pendek,a@x.example,,KANIM-BDG,,,",
                f"{NIP_A},Duplikat,dup@x.example,,KANIM-BDG,,,",
                f"{NIP_C},,tanpa.nama@x.example,,KANIM-BDG,,,",
                "198811052012121004,Kantor Salah,k@x.example,,KANIM-XYZ,,,",
                "198811052012121005,Tanpa Email,,,KANIM-BDG,,,",
            )
        )
        assert not plan.is_valid
        reasons = {issue.line: issue.message for issue in plan.issues}
        assert set(reasons) == {4, 5, 6, 7, 8}
        assert "18 angka" in reasons[4]
        assert "baris 2" in reasons[5]
        assert "Nama lengkap kosong" in reasons[6]
        assert "Kantor tidak dikenal: KANIM-XYZ" in reasons[7]
        assert "Email wajib" in reasons[8]

    def test_nip_typed_with_spaces_is_accepted(self, office):
        plan = plan_for(csv_bytes("19850312 201001 1 001,Budi,budi@x.example,,KANIM-BDG,,,"))
        assert plan.is_valid and plan.rows[0].nip == NIP_A

    def test_semicolon_separated_csv_from_indonesian_excel(self, office):
        data = csv_bytes(f"{NIP_A};Budi;budi@x.example;;KANIM-BDG;;;", header=HEADER.replace(",", ";"))
        assert plan_for(data).created == 1

    def test_email_of_another_account_is_refused(self, office):
        UserFactory(username="orang.lain", email="budi@imigrasi.example")
        plan = plan_for(csv_bytes(good_rows()[0]))
        assert "sudah dipakai akun lain" in plan.issues[0].message


class TestApply:
    def test_creates_accounts_profiles_villages_and_invites(self, office, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            apply(csv_bytes(*good_rows()))
        budi = OfficerProfile.objects.select_related("user", "village").get(nip=NIP_A)
        assert budi.full_name == "Budi Santoso" and budi.office == office and budi.rank == "Penata (III/c)"
        assert budi.village.name == "Desa Binong" and budi.village.office == office
        assert budi.user.username == NIP_A and not budi.user.has_usable_password()
        assert budi.user.groups.filter(name=roles.OFFICER).exists()
        assert sorted(message.to[0] for message in mail.outbox) == ["budi@imigrasi.example", "siti@imigrasi.example"]

    def test_invitation_link_lets_the_officer_set_a_password_and_log_in(
        self, client, office, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            apply(csv_bytes(good_rows()[0]))
        link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
        path = link.split("://", 1)[1].split("/", 1)[1]
        response = client.get("/" + path, follow=True)
        assert response.context["validlink"]
        response = client.post(
            response.redirect_chain[-1][0],
            {"new_password1": "Desa-Binong-2026!", "new_password2": "Desa-Binong-2026!"},
            follow=True,
        )
        assert "Kata sandi tersimpan" in response.content.decode()
        client.post("/accounts/logout/")
        response = client.post("/accounts/login/", {"username": NIP_A, "password": "Desa-Binong-2026!"})
        assert response.status_code == 302 and response.wsgi_request.user.username == NIP_A
        assert not client.get("/" + path, follow=True).context["validlink"]  # used once only

    def test_one_bad_row_writes_nothing(self, office, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(ImportRejected) as rejected:
            apply(csv_bytes(*good_rows(), "999,Rusak,r@x.example,,KANIM-BDG,,,"))
        assert rejected.value.plan.invalid_lines == [4]
        assert not OfficerProfile.objects.exists()
        assert not User.objects.filter(username__in=[NIP_A, NIP_B]).exists()
        assert not Village.objects.exists()
        assert mail.outbox == []

    def test_reimport_changes_nothing_and_a_changed_row_updates(self, office, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            apply(csv_bytes(*good_rows()))
        mail.outbox.clear()
        again = apply(csv_bytes(*good_rows()))
        assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
        other = OfficeFactory(code="KANIM-CBN", name="Kantor Imigrasi Cirebon")
        changed = good_rows()[1].replace("Siti Aminah", '"Siti Aminah, S.H."').replace("Kantor Imigrasi Bandung", "KANIM-CBN")
        with django_capture_on_commit_callbacks(execute=True):
            plan = apply(csv_bytes(good_rows()[0], changed))
        assert (plan.created, plan.updated, plan.unchanged) == (0, 1, 1)
        assert plan.rows[1].changes == ["Nama Lengkap", "Kantor"]
        siti = OfficerProfile.objects.get(nip=NIP_B)
        assert (siti.full_name, siti.office) == ("Siti Aminah, S.H.", other)
        assert OfficerProfile.objects.count() == 2 and Village.objects.count() == 1
        assert mail.outbox == []  # nobody new, nobody invited again

    def test_the_jabatan_column_sets_positions_and_a_file_without_it_keeps_them(
        self, office, django_capture_on_commit_callbacks
    ):
        header = HEADER.replace("Pangkat/Golongan,", "Pangkat/Golongan,Jabatan,")
        rows = [
            f"{NIP_A},Budi Santoso,budi@imigrasi.example,Penata (III/c),Analis Keimigrasian Ahli Muda,KANIM-BDG,,,",
            f"{NIP_B},Siti Aminah,siti@imigrasi.example,,,Kantor Imigrasi Bandung,,,",
        ]
        with django_capture_on_commit_callbacks(execute=True):
            apply(csv_bytes(*rows, header=header))
        assert dict(OfficerProfile.objects.values_list("nip", "position")) == {
            NIP_A: "Analis Keimigrasian Ahli Muda", NIP_B: ""
        }
        changed = apply(csv_bytes(rows[0].replace("Ahli Muda", "Ahli Madya"), rows[1], header=header))
        assert changed.rows[0].changes == ["Jabatan"]
        assert OfficerProfile.objects.get(nip=NIP_A).position == "Analis Keimigrasian Ahli Madya"

        without = apply(csv_bytes(f"{NIP_A},Budi Santoso,budi@imigrasi.example,Penata (III/c),KANIM-BDG,,,"))
        assert without.unchanged == 1
        assert OfficerProfile.objects.get(nip=NIP_A).position == "Analis Keimigrasian Ahli Madya"

    def test_existing_officer_can_be_updated_without_email(self, office):
        OfficerProfileFactory(nip=NIP_A, full_name="Lama", office=office)
        plan = apply(csv_bytes(f"{NIP_A},Budi Baru,,,KANIM-BDG,,,"))
        assert plan.updated == 1
        assert OfficerProfile.objects.get(nip=NIP_A).full_name == "Budi Baru"

    def test_xlsx_with_text_nips(self, office):
        workbook = Workbook()
        sheet = workbook.active
        sheet.append(HEADER.split(","))
        sheet.append([NIP_A, "Budi", "budi@x.example", "", "KANIM-BDG", None, None, None])
        buffer = io.BytesIO()
        workbook.save(buffer)
        assert apply(buffer.getvalue(), name="petugas.xlsx").created == 1


class TestMalformedFiles:
    @pytest.mark.parametrize(
        "name, data, message",
        [
            ("petugas.csv", b"", "kosong"),
            ("petugas.csv", "NIP;Nama\n".encode("utf-16"), "biner"),
            ("petugas.csv", "NIP,Nama Lengkap,Email,Kantor\n198503122010011001,Bud\xed,b@x.example,K\n".encode("latin-1"), "UTF-8"),
            ("petugas.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "biner"),
            ("petugas.xlsx", b"ini bukan excel", "bukan buku kerja"),
            ("petugas.xlsx", b"PK\x03\x04rusak", "bukan buku kerja"),
            ("petugas.csv", HEADER.encode() + b"\n", "tanpa data"),
        ],
    )
    def test_clear_message(self, name, data, message):
        with pytest.raises(TableError) as error:
            read_table(name=name, data=data)
        assert message in error.value.message

    def test_missing_columns_are_named(self, office):
        with pytest.raises(TableError) as error:
            plan_for(b"NIP,Nama\n198503122010011001,Budi\n")
        assert re.search(r"tidak ada: (Email|Surel), Kantor\.", error.value.message)

    def test_a_misspelt_required_header_is_named_with_what_was_expected(self, office):
        with pytest.raises(TableError) as error:
            plan_for(b"NIP,Nama,Emial,Kantor\n198503122010011001,Budi,b@x.example,KANIM-BDG\n")
        message = error.value.message
        assert "tidak ada: Email." in message and "\u201cEmial\u201d" in message and "Nama Lengkap" in message

    def test_a_header_given_twice_is_refused_by_name(self, office):
        with pytest.raises(TableError, match="Kolom ganda: \u201cSurel\u201d"):
            plan_for(b"NIP,Nama,Email,Surel,Kantor\n198503122010011001,Budi,b@x.example,c@x.example,KANIM-BDG\n")


class TestHeaders:
    @pytest.mark.parametrize(
        "header",
        [
            HEADER,  # the template's own
            "nip;NAMA LENGKAP;E-mail;Pangkat / Golongan;Kantor Imigrasi;Desa;Kabupaten / Kota;Provinsi",
            " NIP , Nama , Surel , Pangkat , Unit Kerja , Desa Binaan , Kabupaten , Provinsi ",
            "N.I.P.,Nama_Lengkap,Alamat Email,Golongan,Kode Kantor,Kelurahan,Kota,provinsi",
            "NIP,Full Name,Email Address,Rank,Office,Village,Regency/City,Province",
            "Employee ID,Name,E-Mail,Grade,Office code,Village,City,Province",
            "\ufeffNIP,Nama Lengkap*,Email*,Pangkat/Golongan,Kantor*,Desa Binaan,Kabupaten/Kota,Provinsi",
        ],
    )
    def test_indonesian_english_and_variant_headers_are_understood(self, office, header):
        delimiter = ";" if ";" in header else ","
        row = delimiter.join([NIP_A, "Budi Santoso", "budi@imigrasi.example", "Penata (III/c)", "KANIM-BDG",
                              "Desa Binong", "Kabupaten Subang", "Jawa Barat"])
        plan = plan_for(csv_bytes(row, header=header))
        assert plan.is_valid and plan.ignored_columns == []
        row = plan.rows[0]
        assert (row.nip, row.full_name, row.email, row.rank, row.office) == (
            NIP_A, "Budi Santoso", "budi@imigrasi.example", "Penata (III/c)", office)
        assert row.village_key == ("desa binong", "kabupaten subang")

    def test_an_unknown_header_is_named_on_the_preview_and_its_column_ignored(self, hr_client, office):
        data = csv_bytes(f"1,{NIP_A},Budi,b@x.example,KANIM-BDG,0812", header="No,NIP,Nama,Email,Kantor,Nomor HP")
        response = hr_client.post("/hr/impor/", {"file": SimpleUploadedFile("p.csv", data)}, follow=True)
        page = response.content.decode()
        assert "Kolom tidak dikenal, isinya diabaikan: No, Nomor HP." in page
        assert "Impor sekarang" in page

    def test_the_upload_page_names_a_missing_header(self, hr_client, office):
        data = csv_bytes(f"{NIP_A},Budi,KANIM-BDG", header="NIP,Nama,Kantor")
        response = hr_client.post("/hr/impor/", {"file": SimpleUploadedFile("p.csv", data)})
        assert response.status_code == 200
        assert "Kolom wajib tidak ada: Email." in str(response.context["form"].errors["file"])
        assert not OfficerImport.objects.exists()


class TestLengths:
    @pytest.mark.parametrize(
        "column, value, label",
        [
            (1, "B" * 201, "Nama Lengkap lebih dari 200 karakter."),
            (2, "b" * 64 + "@" + ("x" * 60 + ".") * 3 + "example", "Email lebih dari 254 karakter."),
            (3, "P" * 101, "Pangkat/Golongan lebih dari 100 karakter."),
            (5, "D" * 101, "Desa Binaan lebih dari 100 karakter."),
            (6, "K" * 101, "Kabupaten/Kota lebih dari 100 karakter."),
            (7, "J" * 101, "Provinsi lebih dari 100 karakter."),
        ],
    )
    def test_a_value_longer_than_the_database_holds_is_refused_not_cut(self, office, column, value, label):
        cells = [NIP_A, "Budi", "budi@x.example", "", "KANIM-BDG", "Desa Binong", "Kabupaten Subang", "Jawa Barat"]
        cells[column] = value
        plan = plan_for(csv_bytes(",".join(cells)))
        assert [issue.message for issue in plan.issues] == [label]
        with pytest.raises(ImportRejected):
            apply(csv_bytes(",".join(cells)))
        assert not OfficerProfile.objects.exists()


class TestImportPages:
    def upload(self, client, data, name="petugas.csv"):
        return client.post("/hr/impor/", {"file": SimpleUploadedFile(name, data)}, follow=True)

    def test_upload_preview_confirm(self, hr_client, office, django_capture_on_commit_callbacks):
        response = self.upload(hr_client, csv_bytes(*good_rows()))
        record = OfficerImport.objects.get()
        assert response.redirect_chain[-1][0] == f"/hr/impor/{record.pk}/"
        page = response.content.decode()
        assert "Budi Santoso" in page and "Impor sekarang" in page
        assert not OfficerProfile.objects.exists()
        with django_capture_on_commit_callbacks(execute=True):
            response = hr_client.post(f"/hr/impor/{record.pk}/", follow=True)
        assert "2 petugas baru" in response.content.decode()
        assert OfficerProfile.objects.count() == 2
        record.refresh_from_db()
        assert record.status == OfficerImportStatus.APPLIED and record.summary["created"] == 2
        entry = ModelLogEntry.objects.get(action="hr.officer_import")
        assert entry.user == hr_client.user and entry.data["created"] == 2
        assert len(mail.outbox) == 2
        # A second confirmation (double click, back button) imports nothing more.
        response = hr_client.post(f"/hr/impor/{record.pk}/", follow=True)
        assert "sudah diimpor" in response.content.decode()

    def test_invalid_rows_show_in_preview_and_cannot_be_confirmed(self, hr_client, office):
        response = self.upload(hr_client, csv_bytes(*good_rows(), "123,Rusak,r@x.example,,KANIM-BDG,,,"))
        page = response.content.decode()
        assert "Baris tidak valid" in page and "Impor sekarang" not in page
        record = OfficerImport.objects.get()
        response = hr_client.post(f"/hr/impor/{record.pk}/", follow=True)
        assert "Impor dibatalkan" in response.content.decode()
        assert not OfficerProfile.objects.exists()

    def test_every_invalid_row_downloads_as_csv(self, hr_client, office, monkeypatch):
        from hr import views

        monkeypatch.setattr(views, "PREVIEW_LIMIT", 1)  # the page shows one problem, the list has them all
        self.upload(hr_client, csv_bytes(*good_rows(), "123,Rusak,r@x.example,,KANIM-BDG,,,",
                                         "=1+1,Rumus,f@x.example,,KANIM-XYZ,,,"))
        record = OfficerImport.objects.get()
        page = hr_client.get(f"/hr/impor/{record.pk}/").content.decode()
        assert f'href="/hr/impor/{record.pk}/masalah.csv"' in page
        response = hr_client.get(f"/hr/impor/{record.pk}/masalah.csv")
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0] == ["Baris", "NIP", "Masalah"]
        assert rows[1][:2] == ["4", '="123"'] and "18 angka" in rows[1][2]
        assert [row[:2] for row in rows[2:]] == [["5", "'=1+1"], ["5", "'=1+1"]]  # NIP and office: two problems
        assert "Kantor tidak dikenal: KANIM-XYZ" in rows[3][2]

    def test_the_problem_list_of_an_imported_file_leads_back_to_its_page(self, hr_client, office):
        self.upload(hr_client, csv_bytes(*good_rows()))
        record = OfficerImport.objects.get()
        hr_client.post(f"/hr/impor/{record.pk}/")  # imported: the file is no longer read again
        response = hr_client.get(f"/hr/impor/{record.pk}/masalah.csv")
        assert response.status_code == 302 and response["Location"] == f"/hr/impor/{record.pk}/"

    def test_oversized_file_is_refused_while_it_arrives(self, hr_client, monkeypatch):
        from django.core.files.uploadhandler import TemporaryFileUploadHandler

        stored = []
        monkeypatch.setattr(TemporaryFileUploadHandler, "receive_data_chunk", lambda self, data, start: stored.append(len(data)))
        big = SimpleUploadedFile("besar.csv", b"x" * (50 * 1024 * 1024))
        response = hr_client.post("/hr/impor/", {"file": big})
        assert response.status_code == 200
        assert "terlalu besar" in str(response.context["form"].errors["file"])
        assert not stored  # not a byte reached the temporary file
        assert not OfficerImport.objects.exists()

    def test_csrf_is_still_checked_on_upload_pages(self, office):
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        client.force_login(UserFactory(groups=[roles.HR]))
        response = client.post("/hr/impor/", {"file": SimpleUploadedFile("p.csv", csv_bytes(*good_rows()))})
        assert response.status_code == 403
        assert not OfficerImport.objects.exists()

    @pytest.mark.parametrize("name, data", [("foto.png", b"\x89PNG"), ("petugas.csv", b"\x00\x01\x02binary")])
    def test_wrong_files_get_a_message_not_a_500(self, hr_client, name, data):
        response = self.upload(hr_client, data, name=name)
        assert response.status_code == 200
        assert response.context["form"].errors["file"]

    def test_template_download(self, hr_client):
        response = hr_client.get("/hr/impor/templat.csv")
        header, example = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert header == expected_header()
        assert example[0] == f'="{NIP_A}"'  # shown as the NIP itself in a spreadsheet, every digit kept
        assert read_table(name="templat.csv", data=response.content).rows[0][1][0] == NIP_A  # and read back


def test_preview_reads_the_database_in_five_queries_whatever_the_size(office, django_assert_num_queries):
    OfficerProfileFactory(nip=NIP_A, office=office)
    VillageFactory(name="Desa Binong", regency="Kabupaten Subang", office=office)
    few = csv_bytes(*good_rows())
    many = csv_bytes(*good_rows(), *[
        f"1980010{1 + n // 100}2005011{n % 100:03d},Petugas {n},p{n}@x.example,,KANIM-BDG,Desa {n % 7},Kab {n % 3},Jawa Barat"
        for n in range(300)
    ])
    with django_assert_num_queries(5):
        assert plan_for(few).is_valid
    with django_assert_num_queries(5):
        plan = plan_for(many)
    assert plan.is_valid, plan.issues[:2]
    assert (plan.created, plan.updated) == (301, 1)


def test_hr_can_resend_an_invitation_until_the_password_is_set(hr_client, office, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        apply(csv_bytes(good_rows()[0]))
    budi = User.objects.get(username=NIP_A)
    mail.outbox.clear()
    assert "Kirim ulang undangan" in hr_client.get(f"/hr/petugas/{budi.pk}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = hr_client.post(f"/hr/petugas/{budi.pk}/undang/", follow=True)
    assert "Undangan dikirim ulang" in response.content.decode()
    assert [message.to for message in mail.outbox] == [["budi@imigrasi.example"]]
    assert ModelLogEntry.objects.get(action="lms.officer_invite").user == hr_client.user
    budi.set_password("Sudah-Diatur-2026")
    budi.save()
    response = hr_client.post(f"/hr/petugas/{budi.pk}/undang/", follow=True)
    assert "sudah mengatur kata sandi" in response.content.decode()
    assert len(mail.outbox) == 1
