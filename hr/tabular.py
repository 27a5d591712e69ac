"""Reading the spreadsheets HR uploads (CSV or XLSX) into rows of text, safely.

Every way an uploaded file can be wrong — too big, wrong extension, a binary
renamed to .csv, not UTF-8, an XLSX that is not a workbook or is damaged
anywhere inside, empty, too many rows or columns, a NUL byte anywhere — ends in
`TableError` with a message HR can act on, never a 500. What comes out is text
any database stores (no NUL, no lone surrogate), so a row the preview accepts
can be written. The size and the name are checked by `check_upload` before a
byte is read. hr/tests/test_tabular.py fuzzes this with hypothesis.

Why this reader and not a library (decided when HR became its own app, issue 14):
tablib (`Dataset().load(data, format="csv"|"xlsx")`) would replace only the two
loops `_csv_rows` and `_xlsx_rows`, and tried on these files it changes what HR sees:
a row longer than the header raises a bare `InvalidDimensions` (here it is read,
the extra cells ignored by the import); blank rows are dropped with their line
numbers, so the preview's "baris N" would no longer be the line in the file
(here `reader.line_num`, blank lines and cells over several lines counted); an XLSX
is read from its *active* sheet, not the first; the whole file is loaded before any
row cap (here reading stops at `MAX_ROWS + 1` while streaming, so a workbook that
inflates to millions of rows never materialises); CSV bytes are not decoded (latin-1
gives a generic error, here the UTF-8 message) and binaries are not told apart
(here the NUL-byte and ZIP checks with their own messages); whole numbers stay
floats (`123.0`, here `123`). Every guard would have to wrap it again, so it
would save nothing. django-import-export's dry run then confirm is built for the
admin (`ImportMixin`, a `ModelResource` per model), which HR never enters, and
the officer import writes users, profiles and villages and sends invitations:
`officer_import_plan` (a read-only preview in a fixed number of queries) then
`officer_import_apply` (all or nothing) is that flow already, without a trial
write rolled back. Neither is a dependency. The behaviours a library would change
are pinned in hr/tests/test_tabular.py (line numbers, a long row, the first sheet
and whole numbers).
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from lms.errors import DomainError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 100
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
# What a workbook may unpack to: a real 20,000-row sheet is a few MB; a ZIP bomb is gigabytes.
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
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
    rows = [(line, _clean(line, cells)) for line, cells in raw_rows if any(cells)]
    if not rows:
        raise TableError(_("Berkas tidak berisi data."))
    if not header:
        return Table(header=[], rows=rows)
    (_line, head), body = rows[0], rows[1:]
    if not body:
        raise TableError(_("Berkas hanya berisi baris judul, tanpa data."))
    return Table(header=head, rows=body)


def _csv_rows(data: bytes, *, max_rows: int):
    binary = _("Berkas ini bukan teks CSV (isinya biner). Simpan ulang sebagai CSV atau XLSX.")
    head = data[:8192]
    if head.count(b"\x00") > len(head) // 16:  # UTF-16, images, archives: NUL bytes everywhere
        raise TableError(binary)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        if b"\x00" in data:
            raise TableError(binary) from None
        raise TableError(
            _("Berkas tidak berenkode UTF-8. Di Excel pilih Simpan Sebagai → \"CSV UTF-8 (dibatasi koma)\".")
        ) from None
    if "\x00" in text:  # anywhere, even past the first 8 KiB: no database stores it
        raise TableError(_nul_message(text.count("\n", 0, text.index("\x00")) + 1))
    first_line = text.split("\n", 1)[0]
    # Excel in an Indonesian locale separates with ";"; pick what the first line uses most.
    delimiter = max([",", ";", "\t"], key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for index, cells in enumerate(reader, start=1):
            if index > max_rows + 1:
                raise TableError(_("Berkas berisi lebih dari %(max)d baris.") % {"max": max_rows})
            yield reader.line_num, [_unwrap(cell.strip()) for cell in cells]
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise TableError(_cell_too_long_message(reader.line_num)) from None
        raise TableError(_("CSV rusak di baris %(line)d: %(error)s") % {"line": reader.line_num, "error": error}) from None


# How our own CSV exports write an identifier so spreadsheets keep it as text (hr/exports.py).
_TEXT_FORMULA = re.compile(r'="([0-9A-Za-z ./_-]*)"')


def _unwrap(cell: str) -> str:
    """="198503122010011001" (an exported NIP uploaded again, or a template cell) is read as the NIP itself."""
    match = _TEXT_FORMULA.fullmatch(cell)
    return match.group(1) if match else cell


def _xlsx_rows(data: bytes, *, max_rows: int):
    """Rows of the first sheet; any damage inside the workbook (ZIP, XML, values) is a TableError.

    openpyxl reads the sheet lazily, so damage may surface while iterating: the
    whole read is guarded, not only the opening. Each row is as wide as its
    last cell, whatever size the sheet claims; a value past `MAX_COLUMNS` is refused.
    """
    # openpyxl is imported when a workbook is read, not at the top: it takes ~0.4 s to import
    # and most requests of the processes that import this module never touch a workbook.
    from openpyxl import load_workbook

    not_a_workbook = _("Berkas ini bukan buku kerja Excel (.xlsx) yang sah, atau rusak. Simpan ulang dari Excel "
                       "sebagai .xlsx, atau sebagai CSV UTF-8.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
        raise TableError(not_a_workbook) from None
    if unzipped > MAX_UNZIPPED_BYTES:
        raise TableError(not_a_workbook)
    workbook = None
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise TableError(_("Buku kerja tidak memiliki lembar kerja."))
        sheet.reset_dimensions()  # the size a sheet claims may be forged (A1:XFD1048576)
        for index, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if index > max_rows + 1:
                raise TableError(_("Berkas berisi lebih dari %(max)d baris.") % {"max": max_rows})
            if any(values[MAX_COLUMNS:]):
                raise TableError(_("Berkas berisi lebih dari %(max)d kolom.") % {"max": MAX_COLUMNS})
            yield index, [_cell_text(value) for value in values[:MAX_COLUMNS]]
    except TableError:
        raise
    except Exception:  # noqa: BLE001 - whatever a damaged or forged workbook makes openpyxl raise
        raise TableError(not_a_workbook) from None
    finally:
        if workbook is not None:
            workbook.close()


def _clean(line: int, cells: list[str]) -> list[str]:
    """Refuse what a database cannot store (NUL, lone surrogates) or a cell no spreadsheet could hold."""
    for cell in cells:
        if "\x00" in cell:
            raise TableError(_nul_message(line))
        if len(cell) > MAX_CELL_CHARS:
            raise TableError(_cell_too_long_message(line))
        try:
            cell.encode("utf-8")
        except UnicodeEncodeError:
            raise TableError(_("Baris %(line)d berisi karakter yang tidak sah. Periksa dan simpan ulang berkasnya.")
                             % {"line": line}) from None
    return cells


def _nul_message(line: int) -> str:
    return _("Baris %(line)d berisi karakter NUL (byte 0), tanda berkas rusak. Tidak ada data yang disimpan; "
             "perbaiki baris itu atau simpan ulang berkasnya.") % {"line": line}


def _cell_too_long_message(line: int) -> str:
    return _("Baris %(line)d berisi sel yang terlalu panjang (lebih dari %(max)d karakter).") % {
        "line": line, "max": MAX_CELL_CHARS
    }


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
