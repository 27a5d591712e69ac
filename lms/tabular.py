"""Reading the spreadsheets HR uploads (CSV or XLSX) into rows of text, safely.

Every way an uploaded file can be wrong — too big, wrong extension, a binary
renamed to .csv, not UTF-8, an XLSX that is not a workbook, empty, too many
rows — ends in `TableError` with a message HR can act on, never a 500.
The size and the name are checked by `check_upload` before a byte is read.
"""

import csv
import io
import zipfile
from dataclasses import dataclass

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from lms.errors import DomainError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
EXTENSIONS = (".csv", ".xlsx")
_ZIP_MAGIC = b"PK\x03\x04"


class TableError(DomainError):
    pass


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (line number as the user sees it, cells)


def check_upload(*, name: str, size: int, max_bytes: int = MAX_UPLOAD_BYTES) -> None:
    """Refuse a file by its name and size alone, before reading it."""
    if not name.lower().endswith(EXTENSIONS):
        raise TableError(_("Unggah berkas .csv atau .xlsx (berkas Anda: %(name)s).") % {"name": name})
    if size == 0:
        raise TableError(_("Berkas kosong."))
    if size > max_bytes:
        raise TableError(too_large_message(size=size, max_bytes=max_bytes))


def too_large_message(*, size: int, max_bytes: int = MAX_UPLOAD_BYTES) -> str:
    return _("Berkas terlalu besar (%(size)s); batasnya %(limit)s. Bagi menjadi beberapa berkas.") % {
        "size": filesizeformat(size), "limit": filesizeformat(max_bytes)
    }


def read_table(*, name: str, data: bytes, max_rows: int = MAX_ROWS, header: bool = True) -> Table:
    """The first sheet (XLSX) or the whole file (CSV) as text cells, blank rows skipped.

    The type is taken from the content, not trusted from the name: a workbook
    starts with a ZIP signature, a CSV is text without NUL bytes.
    """
    if not data:
        raise TableError(_("Berkas kosong."))
    if data.startswith(_ZIP_MAGIC):
        raw_rows = _xlsx_rows(data, max_rows=max_rows)
    elif name.lower().endswith(".xlsx"):
        raise TableError(_("Berkas ini bukan buku kerja Excel (.xlsx) yang sah."))
    else:
        raw_rows = _csv_rows(data, max_rows=max_rows)
    rows = [(line, cells) for line, cells in raw_rows if any(cells)]
    if not rows:
        raise TableError(_("Berkas tidak berisi data."))
    if not header:
        return Table(header=[], rows=rows)
    (_line, head), body = rows[0], rows[1:]
    if not body:
        raise TableError(_("Berkas hanya berisi baris judul, tanpa data."))
    return Table(header=head, rows=body)


def _csv_rows(data: bytes, *, max_rows: int):
    if b"\x00" in data[:8192]:
        raise TableError(_("Berkas ini bukan teks CSV (isinya biner). Simpan ulang sebagai CSV atau XLSX."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TableError(
            _("Berkas tidak berenkode UTF-8. Di Excel pilih Simpan Sebagai → \"CSV UTF-8 (dibatasi koma)\".")
        ) from None
    first_line = text.split("\n", 1)[0]
    # Excel in an Indonesian locale separates with ";"; pick what the first line uses most.
    delimiter = max([",", ";", "\t"], key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for index, cells in enumerate(reader, start=1):
            if index > max_rows + 1:
                raise TableError(_("Berkas berisi lebih dari %(max)d baris.") % {"max": max_rows})
            yield reader.line_num, [cell.strip() for cell in cells]
    except csv.Error as error:
        raise TableError(_("CSV rusak di baris %(line)d: %(error)s") % {"line": reader.line_num, "error": error}) from None


def _xlsx_rows(data: bytes, *, max_rows: int):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        raise TableError(_("Berkas ini bukan buku kerja Excel (.xlsx) yang sah.")) from None
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise TableError(_("Buku kerja tidak memiliki lembar kerja."))
        for index, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if index > max_rows + 1:
                raise TableError(_("Berkas berisi lebih dari %(max)d baris.") % {"max": max_rows})
            yield index, [_cell_text(value) for value in values]
    finally:
        workbook.close()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).strip()
