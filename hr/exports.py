"""The registry as CSV (streamed) or XLSX (openpyxl, write-only), header row in Bahasa Indonesia.

CSV rows go out as they leave the database cursor, so 50,000 rows never sit
in memory at once. XLSX has to be written whole: up to `XLSX_INLINE_LIMIT`
rows it is built in the request, beyond that by a background task
(`hr.tasks.export_xlsx_build`) that reports its progress on the
`ExportJob` row.

Every CSV HR downloads goes through `csv_stream`, which keeps two promises
when the file is opened in Excel or LibreOffice Calc: an `Identifier` (NIP,
serial, verification code) shows exactly as written, not as 1.98302172006041E+17,
and no cell runs as a formula (hr/tests/test_spreadsheets.py opens
them in LibreOffice to check).
"""

import csv
import io
import re
from collections.abc import Iterable, Iterator

from django.utils import translation
from django.utils.translation import gettext as _

from certificates.models import CertificateStatus, RevocationReason

XLSX_INLINE_LIMIT = 5_000
PROGRESS_EVERY = 1_000


def registry_header() -> list[str]:
    with translation.override("id"):
        return [
            _("Nama"), _("NIP"), _("Kursus/Program"), _("Jenis"), _("Instansi"), _("Kantor"), _("Provinsi"),
            _("Nomor Seri"), _("Tanggal Terbit"), _("Berlaku Sampai"), _("Status"), _("Alasan Pencabutan"),
            _("Kode Verifikasi"),
        ]


def registry_cells(rows: Iterable[tuple]) -> Iterator[list]:
    """Database tuples (selectors.export_rows) to export cells; dates stay dates for XLSX."""
    with translation.override("id"):
        statuses = {status.value: str(status.label) for status in CertificateStatus}
        reasons = {reason.value: str(reason.label) for reason in RevocationReason}
        kinds = (str(_("Kursus")), str(_("Program")))
    for (name, nip, title, program_id, agency, office, province, serial, issued_on, expires_on, status, reason,
         code) in rows:
        yield [
            name, Identifier(nip or ""), title, kinds[program_id is not None], agency, office or "", province or "",
            Identifier(serial), issued_on, expires_on, statuses[status], reasons.get(reason, ""), Identifier(code),
        ]


class Identifier(str):
    """A NIP, serial number or verification code: text a spreadsheet must show exactly as written."""


def jp_ledger_header() -> list[str]:
    with translation.override("id"):
        return [
            _("Nama"), _("NIP"), _("Kantor"), _("Provinsi"), _("Tahun"), _("JP"), _("Jumlah Kursus"),
            _("Target JP"), _("Kekurangan JP"), _("Capaian"),
        ]


def jp_ledger_cells(rows, *, year: int) -> Iterator[list]:
    """Ledger rows (selectors.jp_ledger_rows) to export cells; numbers stay numbers."""
    with translation.override("id"):
        below, reached = str(_("Di bawah target")), str(_("Target tercapai"))
    for row in rows:
        yield [
            row.name, Identifier(row.nip), row.office_name or "", row.province, year, row.earned, row.courses,
            row.target, row.shortfall, below if row.below_target else reached,
        ]


def siasn_header(fields: list[str]) -> list[str]:
    """NIP and name first, then SIASN's own field names (selectors.SIASN_FIELDS), untranslated."""
    return ["NIP", "Nama", *fields[2:]]


def siasn_cells(records) -> Iterator[list]:
    """SIASN records (selectors.siasn_records) to cells: dates as SIASN writes them (dd-mm-yyyy), kept as text,
    as the certificate number and NIP are, so no spreadsheet turns them into its own dates or numbers."""
    for record in records:
        values = record.as_siasn()
        yield [
            Identifier(values["nip"]), values["nama"], values["namaKursus"], Identifier(values["nomorSertipikat"]),
            values["jumlahJam"], Identifier(values["tanggalKursus"]), Identifier(values["tanggalSelesaiKursus"]),
            values["tahunKursus"], values["institusiPenyelenggara"], values["jenisKursusSertipikat"],
        ]


def import_issues_table(issues) -> tuple[list[str], list[list]]:
    """The invalid rows of an officer import (hr.officer_import.RowIssue) for HR to fix in their sheet."""
    with translation.override("id"):
        header = [_("Baris"), _("NIP"), _("Masalah")]
    return header, [[issue.line, Identifier(issue.nip), issue.message] for issue in issues]


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Only these characters go inside ="...": none of them can end the string or start anything else.
_PLAIN_IDENTIFIER = re.compile(r"[0-9A-Za-z][0-9A-Za-z ./_-]{0,99}")


def _inert(value):
    """Text that a spreadsheet would run as a formula (=HYPERLINK(...)) is written with a leading quote."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _csv_cell(value):
    """One CSV cell. An identifier is written ="198302172006041004": Excel and LibreOffice (which import
    formulas by default) show the text itself, where the bare digits would become 1.98302172006041E+17
    and lose their last digits. Only identifiers of plain letters, digits and . / _ - get this form; any
    other value is written as text, defused like every cell."""
    if value is None:
        return ""
    if isinstance(value, Identifier) and _PLAIN_IDENTIFIER.fullmatch(value):
        return f'="{value}"'
    return _inert(str(value) if isinstance(value, Identifier) else value)


def _xlsx_safe(value):
    """Control characters (an uploaded NIP list may hold any) that the XLSX format cannot store become �."""
    # openpyxl is imported when a workbook is written, not at the top: it takes ~0.4 s to import
    # and most requests of the processes that import this module never touch a workbook.
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):  # an Identifier too, as plain text (openpyxl knows only str itself)
        return ILLEGAL_CHARACTERS_RE.sub("\ufffd", str(value))
    return value


class _Echo:
    def write(self, value):
        return value


def csv_stream(header: list[str], cells: Iterable[list]) -> Iterator[str]:
    """CSV lines one by one, with a BOM so Excel reads the UTF-8 correctly."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(header)
    for row in cells:
        yield writer.writerow([_csv_cell(value) for value in row])


def xlsx_bytes(header: list[str], cells: Iterable[list], *, title: str, on_progress=None) -> bytes:
    # openpyxl is imported when a workbook is written, not at the top: it takes ~0.4 s to import
    # and most requests of the processes that import this module never touch a workbook.
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    bold = Font(bold=True)
    head = []
    for value in header:
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = bold
        head.append(cell)
    sheet.append(head)
    for count, row in enumerate(cells, start=1):
        sheet.append([_xlsx_safe(_inert(value)) for value in row])
        if on_progress is not None and count % PROGRESS_EVERY == 0:
            on_progress(count)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
