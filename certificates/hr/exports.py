"""The registry as CSV (streamed) or XLSX (openpyxl, write-only), header row in Bahasa Indonesia.

CSV rows go out as they leave the database cursor, so 50,000 rows never sit
in memory at once. XLSX has to be written whole: up to `XLSX_INLINE_LIMIT`
rows it is built in the request, beyond that by a background task
(`certificates.hr.tasks.export_xlsx_build`) that reports its progress on the
`ExportJob` row.
"""

import csv
import io
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
            name, nip, title, kinds[program_id is not None], agency, office or "", province or "", serial,
            issued_on, expires_on, statuses[status], reasons.get(reason, ""), code,
        ]


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _inert(value):
    """Text that a spreadsheet would run as a formula (=HYPERLINK(...)) is written with a leading quote."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _xlsx_safe(value):
    """Control characters (an uploaded NIP list may hold any) that the XLSX format cannot store become �."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    return value


class _Echo:
    def write(self, value):
        return value


def csv_stream(header: list[str], cells: Iterable[list]) -> Iterator[str]:
    """CSV lines one by one, with a BOM so Excel reads the UTF-8 correctly."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(header)
    for row in cells:
        yield writer.writerow(["" if value is None else _inert(value) for value in row])


def xlsx_bytes(header: list[str], cells: Iterable[list], *, title: str, on_progress=None) -> bytes:
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
