"""Scenario 3: HR filters the certificate registry, exports it as CSV, revokes a
certificate from the officer's page, and the public verification page says revoked."""

import csv

from playwright.sync_api import expect

from hr.tests.spreadsheets import shown
from tests.e2e.harness import CERTIFIED_OFFICER, DESKTOP


def test_scenario3_hr_filters_exports_and_revokes_a_certificate(demo, new_page, shots):
    from certificates.models import Certificate

    holder = demo.user(CERTIFIED_OFFICER)
    course = demo.course("IMI")
    certificate = Certificate.objects.get(holder=holder, course=course)
    valid_imigrasi = set(
        Certificate.objects.with_status()
        .filter(agency=course.agency, status_code="valid")
        .values_list("serial", flat=True)
    )
    assert certificate.serial in valid_imigrasi

    page = new_page(viewport=DESKTOP)
    demo.log_in(page, "sdm")
    page.goto(demo.url("/hr/sertifikat/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Registri sertifikat")
    shots.take(page, "registry: everything")

    page.get_by_label("Instansi").select_option(label=str(course.agency))
    page.get_by_label("Status").select_option(label="Berlaku")
    page.get_by_role("button", name="Terapkan").click()
    rows = page.locator("table.data tbody tr")
    expect(rows).to_have_count(len(valid_imigrasi))
    expect(page.locator("table.data tbody")).to_contain_text(certificate.serial)
    expect(page.locator("table.data tbody .status")).to_have_text(["Berlaku"] * len(valid_imigrasi))
    shots.take(page, "registry: imigrasi, valid")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Unduh CSV").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), encoding="utf-8-sig", newline="") as exported:
        # As a spreadsheet shows it: NIPs, serials and codes are written ="…" so none loses digits.
        table = [{key: shown(value) for key, value in row.items()} for row in csv.DictReader(exported)]
    assert {row["Nomor Seri"] for row in table} == valid_imigrasi
    assert {row["Status"] for row in table} == {"Berlaku"}
    mine = next(row for row in table if row["Nomor Seri"] == certificate.serial)
    assert mine["Nama"] == certificate.holder_name
    assert mine["Kode Verifikasi"]

    page.locator("table.data tbody tr").filter(has_text=certificate.serial).get_by_role(
        "link", name=certificate.holder_name
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(certificate.holder_name)
    shots.take(page, "officer detail")

    page.locator("table.data tr").filter(has_text=certificate.serial).get_by_role("link", name="Cabut").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cabut sertifikat")
    page.get_by_role("button", name="Cabut sertifikat").click()
    expect(page.locator(".form-errors")).to_be_visible()
    shots.take(page, "revoke: reason missing")
    page.get_by_label("Alasan").select_option(label="Diterbitkan karena kesalahan")
    page.get_by_label("Catatan").fill("Surat Kepala Kantor No. IMI-123/2026: peserta salah terdaftar.")
    shots.take(page, "revoke: reason given")
    page.get_by_role("button", name="Cabut sertifikat").click()
    row = page.locator("table.data tr").filter(has_text=certificate.serial)
    expect(row.locator(".status")).to_have_text("Dicabut")
    expect(row).to_contain_text("Surat Kepala Kantor No. IMI-123/2026")
    shots.take(page, "officer detail: revoked")

    public = new_page()
    public.goto(demo.url(certificate.verification_path))
    expect(public.get_by_role("status")).to_contain_text("DICABUT")
    expect(public.get_by_role("status")).to_contain_text("Diterbitkan karena kesalahan")
    shots.take(public, "public verification: revoked")
