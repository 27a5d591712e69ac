"""HR's CSV downloads opened in a real spreadsheet: LibreOffice Calc's default CSV import, headless.

Every NIP, serial number and verification code must come back exactly as written (not
1.98302172006041E+17), and a name someone made a formula must stay inert text. Calc's
converted sheet is read back with openpyxl: once with the values Calc computed, once with
what each cell holds (a formula would show there as data_type "f").
Without LibreOffice these tests skip on a developer's machine and fail under CI (CI=true).
XLSX downloads are checked for the same identifiers stored as text, with openpyxl alone.
"""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from certificates.models import Certificate
from hr.models import BulkVerification
from hr.tests.builders import make_hr_user, make_world
from hr.tests.spreadsheets import open_in_calc

pytestmark = pytest.mark.django_db

REPORTED_NIP = "198302172006041004"  # the NIP of the report: Calc made it 1.98302172006041E+17
NUMBER_LIKE_CODE = "1234567890123E45"  # a possible code (Crockford base32) that reads as 1.23E+57
LINK = '=HYPERLINK("http://localhost/","klik")'
COMMAND = "=cmd|' /C calc'!A0"


@pytest.fixture
def world():
    world = make_world()
    profile = world.joko.officer_profile
    profile.nip = REPORTED_NIP
    profile.save(update_fields=["nip"])
    Certificate.objects.filter(pk=world.certificates["joko_b"].pk).update(
        holder_nip=REPORTED_NIP, holder_name=LINK, code=NUMBER_LIKE_CODE
    )
    Certificate.objects.filter(pk=world.certificates["budi_a"].pk).update(holder_name=COMMAND)
    return world


@pytest.fixture
def hr(client, world):
    user = make_hr_user()
    client.force_login(user)
    return user


def rows_of(sheet) -> list[list]:
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def column(sheet, title: str) -> list:
    rows = rows_of(sheet)
    index = [str(value).lstrip("\ufeffï»¿") for value in rows[0]].index(title)
    return [row[index] if index < len(row) else None for row in rows[1:]]


def assert_inert(values, cells):
    """No cell of the converted sheet is a formula, and the injected ones are their own text."""
    for row in cells.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                assert cell.value.startswith('="') and cell.value.endswith('"'), cell.value
                assert '"' not in cell.value[2:-1], cell.value  # only our text formulas, nothing inside them
    texts = [str(cell.value) for row in values.iter_rows() for cell in row if cell.value is not None]
    assert "'" + LINK in texts and "'" + COMMAND in texts
    assert "klik" not in texts and "#VALUE!" not in texts and "Err:" not in " ".join(texts)


@pytest.mark.parametrize("utf8", [False, True], ids=["calc-default", "calc-utf8"])
def test_registry_csv_in_calc_keeps_every_identifier_and_runs_nothing(client, hr, world, tmp_path, utf8):
    response = client.get(reverse("hr:export_csv"))
    values, cells = open_in_calc(b"".join(response.streaming_content), tmp_path, utf8=utf8)

    nips = column(values, "NIP")
    assert sorted(nips) == sorted(c.holder_nip for c in Certificate.objects.all())
    assert REPORTED_NIP in nips
    for nip, serial, code in zip(nips, column(values, "Nomor Seri"), column(values, "Kode Verifikasi"), strict=True):
        assert isinstance(nip, str) and isinstance(serial, str) and isinstance(code, str)
    pairs = set(zip(nips, column(values, "Nomor Seri"), column(values, "Kode Verifikasi")))
    assert pairs == {(c.holder_nip, c.serial, c.code) for c in Certificate.objects.all()}
    assert (REPORTED_NIP, world.certificates["joko_b"].serial, NUMBER_LIKE_CODE) in pairs
    assert_inert(values, cells)
    if utf8:
        assert column(values, "Nama").count("Siti Aminah") == 2


def test_bulk_verification_csv_in_calc_keeps_nips_as_typed(client, hr, world, tmp_path):
    pasted = "\n".join([REPORTED_NIP, world.budi.officer_profile.nip, "0012345", "1985-03-12", COMMAND])
    client.post(reverse("hr:bulk_verify"), {"subjek": f"c{world.course_b.pk}", "nips": pasted})
    record = BulkVerification.objects.get()
    response = client.get(reverse("hr:bulk_verify_download", args=[record.pk, "csv"]))

    values, cells = open_in_calc(response.content, tmp_path)

    # A malformed entry shows as the page shows it: spaces and dashes taken out, leading zeros kept.
    assert column(values, "NIP") == [REPORTED_NIP, world.budi.officer_profile.nip, "0012345", "19850312",
                                     "'" + COMMAND.replace(" ", "")]
    joko = world.certificates["joko_b"]
    assert column(values, "Nomor Seri")[0] == joko.serial and column(values, "Kode Verifikasi")[0] == NUMBER_LIKE_CODE
    for cell in cells.iter_rows():
        assert all(c.data_type != "f" or c.value.startswith('="') for c in cell)


def test_the_import_template_in_calc_shows_its_example_nip(client, hr, tmp_path):
    response = client.get(reverse("hr:officer_import_template"))
    values, _cells = open_in_calc(response.content, tmp_path)
    assert column(values, "NIP") == ["198503122010011001"]


def test_the_import_problem_list_in_calc_shows_each_nip_as_typed(client, hr, world, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from hr.models import OfficerImport

    data = ("NIP,Nama,Email,Kantor\n"
            f"0{REPORTED_NIP},Terlalu Panjang,a@x.example,KANIM-BDG\n"
            f"{REPORTED_NIP},Kantor Salah,b@x.example,KANIM-XYZ\n"
            f"{COMMAND},Rumus,c@x.example,KANIM-BDG\n").encode()
    client.post(reverse("hr:officer_import"), {"file": SimpleUploadedFile("petugas.csv", data)})
    record = OfficerImport.objects.get()
    response = client.get(reverse("hr:officer_import_issues", args=[record.pk]))

    values, cells = open_in_calc(response.content, tmp_path)

    assert column(values, "NIP") == ["0" + REPORTED_NIP, REPORTED_NIP, "'" + COMMAND]
    assert all(cell.data_type != "f" or cell.value.startswith('="') for row in cells.iter_rows() for cell in row)


def test_xlsx_downloads_store_identifiers_as_text(client, hr, world):
    sheet = load_workbook(io.BytesIO(client.get(reverse("hr:export_xlsx")).content)).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    for title in ("NIP", "Nomor Seri", "Kode Verifikasi"):
        index = header.index(title) + 1
        cells = [sheet.cell(row=row, column=index) for row in range(2, sheet.max_row + 1)]
        assert cells and all(cell.data_type == "s" for cell in cells), title
    nips = [sheet.cell(row=row, column=header.index("NIP") + 1).value for row in range(2, sheet.max_row + 1)]
    assert REPORTED_NIP in nips

    client.post(reverse("hr:bulk_verify"), {"subjek": f"c{world.course_b.pk}", "nips": f"{REPORTED_NIP}\n0012345"})
    record = BulkVerification.objects.get()
    sheet = load_workbook(io.BytesIO(client.get(reverse("hr:bulk_verify_download", args=[record.pk, "xlsx"])).content)).worksheets[0]
    assert [(cell.value, cell.data_type) for cell in sheet["B"][1:]] == [(REPORTED_NIP, "s"), ("0012345", "s")]
    assert (sheet["I2"].value, sheet["I2"].data_type) == (NUMBER_LIKE_CODE, "s")
    assert sheet["G2"].is_date and sheet["H2"].is_date  # dates as dates, in both date columns
