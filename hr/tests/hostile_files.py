"""Hostile spreadsheets for the upload tests: valid CSV and XLSX files, and hypothesis strategies that break them.

Each strategy starts from a file HR could really send (the officer template
filled in, a NIP list) and damages it the ways files get damaged or forged:
random bytes, truncated ZIP members, mutated sheet XML, NUL bytes anywhere,
other encodings, huge cells, formulas (with and without a cached value).
"""

import io
import re
import zipfile

from hypothesis import strategies as st
from openpyxl import Workbook

OFFICER_HEADER = ["NIP", "Nama Lengkap", "Email", "Pangkat/Golongan", "Kantor", "Desa Binaan", "Kabupaten/Kota", "Provinsi"]
OFFICER_ROWS = [
    ["198503122010011001", "Budi Santoso", "budi@imigrasi.example", "Penata (III/c)", "KANIM-BDG", "Desa Binong",
     "Kabupaten Subang", "Jawa Barat"],
    ["199001012015032002", "Siti Aminah", "siti@imigrasi.example", "", "KANIM-BDG", "", "", ""],
]
SHEET = "xl/worksheets/sheet1.xml"


def csv_bytes(rows, *, encoding="utf-8", delimiter=",") -> bytes:
    return "".join(delimiter.join(row) + "\n" for row in rows).encode(encoding)


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    return _saved(workbook)


def _saved(workbook) -> bytes:
    """The workbook's bytes, the same on every call (hypothesis replays its examples byte for byte)."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    return rezip(buffer.getvalue(), lambda name, content: re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2026-11-30T12:00:00Z", content)
                 if name == "docProps/core.xml" else content)


def officer_csv(**kwargs) -> bytes:
    return csv_bytes([OFFICER_HEADER, *OFFICER_ROWS], **kwargs)


def officer_xlsx() -> bytes:
    return xlsx_bytes([OFFICER_HEADER, *OFFICER_ROWS])


def rezip(data: bytes, change) -> bytes:
    """The workbook `data` with each member's bytes passed through `change(name, content)` (None drops it)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = change(info.filename, source.read(info.filename))
            if content is not None:  # a fixed timestamp: the same input gives the same bytes
                target.writestr(zipfile.ZipInfo(info.filename, date_time=(2026, 11, 30, 12, 0, 0)), content,
                                compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def with_sheet_xml(data: bytes, change) -> bytes:
    return rezip(data, lambda name, content: change(content) if name == SHEET else content)


def truncated_sheet_xlsx(data: bytes | None = None, keep: float = 0.6) -> bytes:
    """A workbook whose sheet XML stops part-way (what a cut-off download or a broken export leaves)."""
    return with_sheet_xml(data or officer_xlsx(), lambda xml: xml[: int(len(xml) * keep)])


def nul_after_8kib_csv() -> bytes:
    """A valid officer CSV padded past 8 KiB with good rows, then one name with a NUL byte in it."""
    rows = [OFFICER_HEADER]
    for number in range(200):
        rows.append([f"1985031220100110{number % 10}{number % 9 + 1}", f"Petugas {number}", f"p{number}@imigrasi.example",
                     "", "KANIM-BDG", "", "", ""])
    data = csv_bytes(rows)
    assert len(data) > 8192
    return data + b"198811052012121003,Jok\x00o,joko@imigrasi.example,,KANIM-BDG,,,\n"


# --- Mutations -------------------------------------------------------------------------------------


@st.composite
def mutated_bytes(draw, data: bytes) -> bytes:
    """`data` with a few bytes inserted, deleted or replaced, or cut off."""
    data = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["insert", "delete", "replace", "truncate", "nul"]))
        if kind == "insert":
            data[position:position] = draw(st.binary(min_size=1, max_size=8))
        elif kind == "delete":
            del data[position : position + draw(st.integers(1, 16))]
        elif kind == "replace" and position < len(data):
            data[position] = draw(st.integers(0, 255))
        elif kind == "truncate":
            del data[position:]
        elif kind == "nul":
            data[position:position] = b"\x00"
    return bytes(data)


nasty_cell = st.one_of(
    st.text(max_size=40),
    st.sampled_from([
        "=HYPERLINK(\"http://localhost/\",\"klik\")", "=cmd|' /C calc'!A0", "+1+1", "-2", "@SUM(A1)", "=1/0",
        "\x00", "a\x00b", "198503122010011001\x00", "\ufeff", "\u0663\u0664", "1e400", "1" * 5000, "é" * 300,
        "x" * 200_000,
    ]),
)


@st.composite
def hostile_csv(draw) -> bytes:
    rows = [list(OFFICER_HEADER), *[list(row) for row in OFFICER_ROWS]]
    for _ in range(draw(st.integers(0, 3))):
        row = draw(st.integers(0, len(rows) - 1))
        column = draw(st.integers(0, len(OFFICER_HEADER) - 1))
        rows[row][column] = draw(nasty_cell)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "latin-1", "cp1252", "utf-32"]))
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    text = "".join(delimiter.join(row) + draw(st.sampled_from(["\n", "\r\n", "\r"])) for row in rows)
    data = text.encode(encoding, errors="replace")
    if draw(st.booleans()):
        data = draw(mutated_bytes(data))
    return data


def _formula_sheet(rows) -> bytes:
    """Cells with formulas: one with a cached value (as Excel saves it), one without (as openpyxl saves it)."""
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    sheet["B3"] = "=CONCAT(\"Siti\",\" \",\"Aminah\")"
    sheet["A4"] = "=HYPERLINK(\"http://localhost/\",\"198811052012121003\")"
    return with_sheet_xml(
        _saved(workbook), lambda xml: xml.replace(b'<c r="B3"><f>', b'<c r="B3" t="str"><f>').replace(
            b"</f><v /></c>", b"</f><v>Siti Aminah</v></c>", 1
        ),
    )


@st.composite
def hostile_xlsx(draw) -> bytes:
    rows = [list(OFFICER_HEADER), *[list(row) for row in OFFICER_ROWS]]
    for _ in range(draw(st.integers(0, 2))):
        row = draw(st.integers(1, len(rows) - 1))
        column = draw(st.integers(0, len(OFFICER_HEADER) - 1))
        value = draw(nasty_cell)
        # openpyxl refuses control characters in cells; the XML mutations below put them there.
        rows[row][column] = "".join(ch for ch in value if ch >= " ")[:32_000]
    data = draw(st.sampled_from([xlsx_bytes, _formula_sheet]))(rows)
    kind = draw(st.sampled_from(["whole", "member", "sheet-xml", "drop", "dimension", "escape", "none"]))
    if kind == "whole":
        data = draw(mutated_bytes(data))
    elif kind == "member":
        cut = draw(st.floats(0, 1))
        target = draw(st.sampled_from([SHEET, "xl/workbook.xml", "[Content_Types].xml", "xl/_rels/workbook.xml.rels",
                                       "xl/styles.xml", "xl/sharedStrings.xml"]))
        data = rezip(data, lambda name, content: content[: int(len(content) * cut)] if name == target else content)
    elif kind == "sheet-xml":
        data = with_sheet_xml(data, lambda xml: draw(mutated_bytes(xml)))
    elif kind == "drop":
        target = draw(st.sampled_from([SHEET, "xl/workbook.xml", "[Content_Types].xml", "xl/_rels/workbook.xml.rels"]))
        data = rezip(data, lambda name, content: None if name == target else content)
    elif kind == "dimension":
        ref = draw(st.sampled_from(["A1:XFD1048576", "A1:A1", "ZZZ0:A", "A1048576:XFD1048576", ""]))
        data = with_sheet_xml(data, lambda xml: re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), xml))
    elif kind == "escape":
        # Character references XML forbids (NUL, lone surrogates) and Excel's _x0000_ escapes.
        ref = draw(st.sampled_from(["&#0;", "&#xD800;", "_x0000_", "&#x1;", "&amp;#0;"]))
        data = with_sheet_xml(data, lambda xml: xml.replace(b"Budi", f"Bu{ref}di".encode(), 1))
    return data


hostile_files = st.one_of(
    st.tuples(st.sampled_from(["petugas.csv", "petugas.xlsx"]), st.binary(max_size=2000)),
    st.tuples(st.sampled_from(["petugas.csv", "petugas.xlsx"]), hostile_csv()),
    st.tuples(st.sampled_from(["petugas.xlsx", "petugas.csv"]), hostile_xlsx()),
    st.tuples(st.just("petugas.csv"), st.just(nul_after_8kib_csv())),
    st.tuples(st.just("petugas.xlsx"), st.just(truncated_sheet_xlsx())),
)
