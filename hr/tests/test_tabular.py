"""hr/tabular.py on hostile files: a Table of clean text or a TableError with a message, nothing else, ever."""

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from hr.tabular import MAX_ROWS, TableError, read_table
from hr.tests.hostile_files import (
    OFFICER_HEADER,
    OFFICER_ROWS,
    hostile_csv,
    hostile_files,
    hostile_xlsx,
    nul_after_8kib_csv,
    officer_csv,
    officer_xlsx,
    truncated_sheet_xlsx,
    with_sheet_xml,
    xlsx_bytes,
)

FUZZ = settings(max_examples=150, deadline=None, database=None, suppress_health_check=list(HealthCheck))


def clean_or_refused(name: str, data: bytes, **kwargs):
    """The one promise of `read_table`: text cells a database accepts, or TableError with a message."""
    try:
        table = read_table(name=name, data=data, **kwargs)
    except TableError as error:
        assert isinstance(error.message, str) and error.message
        return None
    for cells in [table.header, *(cells for _line, cells in table.rows)]:
        for cell in cells:
            assert isinstance(cell, str)
            assert "\x00" not in cell
            cell.encode("utf-8")  # no lone surrogates: PostgreSQL and SQLite could not store them
    return table


def test_a_truncated_sheet_is_refused_with_a_message():
    with pytest.raises(TableError, match="rusak"):
        read_table(name="petugas.xlsx", data=truncated_sheet_xlsx())


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9, 0.99])
def test_a_sheet_cut_anywhere_is_refused_with_a_message(keep):
    with pytest.raises(TableError):
        read_table(name="petugas.xlsx", data=truncated_sheet_xlsx(keep=keep))


def test_a_nul_after_the_first_8_kib_is_refused_with_its_line():
    with pytest.raises(TableError) as error:
        read_table(name="petugas.csv", data=nul_after_8kib_csv())
    assert "NUL" in error.value.message and "Baris 202" in error.value.message


@pytest.mark.parametrize("row", [0, 1, 2])
@pytest.mark.parametrize("column", [0, 3, 7])
@pytest.mark.parametrize("where", ["start", "middle", "end"])
def test_a_nul_in_any_csv_cell_at_any_position_is_refused(row, column, where):
    rows = [list(OFFICER_HEADER), *[list(r) for r in OFFICER_ROWS]]
    cell = rows[row][column] or "x"
    rows[row][column] = {"start": "\x00" + cell, "middle": cell[:1] + "\x00" + cell[1:], "end": cell + "\x00"}[where]
    data = "".join(",".join(r) + "\n" for r in rows).encode()
    with pytest.raises(TableError, match="NUL"):
        read_table(name="petugas.csv", data=data)


def test_a_nul_inside_a_quoted_field_and_after_the_last_line_is_refused():
    body = officer_csv()
    for data in (body.replace(b"Budi Santoso", b'"Budi\x00Santoso"'), body + b"\x00", body + b"\n\n\x00\n"):
        with pytest.raises(TableError, match="NUL"):
            read_table(name="petugas.csv", data=data)


@pytest.mark.parametrize("escape", ["_x0000_", "&#0;", "&#xD800;"])
def test_a_nul_or_surrogate_smuggled_into_a_workbook_cell_is_refused(escape):
    data = with_sheet_xml(officer_xlsx(), lambda xml: xml.replace(b"Budi", f"Bu{escape}di".encode(), 1))
    table = clean_or_refused("petugas.xlsx", data)
    if table is not None:  # "_x0000_" is plain text to openpyxl: read as written, never as a NUL
        assert table.rows[0][1][1] == "Bu_x0000_di Santoso"


def test_a_workbook_claiming_every_cell_of_the_sheet_is_read_quickly():
    """A forged <dimension ref="A1:XFD1048576"> must not make every row 16,384 cells wide."""
    import re

    data = with_sheet_xml(officer_xlsx(), lambda xml: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', xml))
    table = read_table(name="petugas.xlsx", data=data)
    assert [cells[:8] for _line, cells in table.rows] == OFFICER_ROWS
    assert all(len(cells) <= 8 for _line, cells in table.rows)


def test_a_workbook_that_unzips_to_more_than_the_limit_is_refused():
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (300 * 1024 * 1024))
    assert len(buffer.getvalue()) < 1024 * 1024
    with pytest.raises(TableError, match="bukan buku kerja|terlalu besar"):
        read_table(name="petugas.xlsx", data=buffer.getvalue())


def test_too_many_columns_is_a_message():
    workbook = Workbook()
    workbook.active["ZZ2"] = "198503122010011001"
    workbook.active["A1"] = "NIP"
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(TableError, match="kolom"):
        read_table(name="petugas.xlsx", data=buffer.getvalue())


def test_a_huge_csv_cell_gets_a_message_in_bahasa_indonesia():
    data = officer_csv().replace(b"Budi Santoso", b"B" * 200_000)
    with pytest.raises(TableError) as error:
        read_table(name="petugas.csv", data=data)
    assert "Baris 2 " in error.value.message and "field larger" not in error.value.message


def test_too_many_rows_including_blank_ones():
    data = officer_csv() + b"\n" * (MAX_ROWS + 5) + b"x\n"
    with pytest.raises(TableError, match="lebih dari"):
        read_table(name="petugas.csv", data=data)


def test_a_formula_cell_reads_its_cached_value_or_nothing():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(OFFICER_HEADER)
    sheet.append(["198503122010011001", "=1+1", "=HYPERLINK(\"http://localhost/\",\"x\")"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = read_table(name="petugas.xlsx", data=buffer.getvalue())
    assert table.rows[0][1] == ["198503122010011001", "", ""]  # saved without cached values: nothing to read, nothing run


def test_identifiers_exported_as_text_formulas_read_back_as_written():
    """Our own CSV exports write NIPs as ="…" so spreadsheets keep them; uploading one back reads the NIP."""
    data = b'NIP,Nama\n="198503122010011001",Budi\n"=""199001012015032002""",Siti\n'
    table = read_table(name="daftar.csv", data=data)
    assert [cells for _line, cells in table.rows] == [["198503122010011001", "Budi"], ["199001012015032002", "Siti"]]


def test_valid_files_still_read():
    for name, data in (("petugas.csv", officer_csv()), ("petugas.xlsx", officer_xlsx()),
                       ("petugas.csv", officer_csv(delimiter=";")), ("petugas.csv", officer_csv(encoding="utf-8-sig"))):
        table = read_table(name=name, data=data)
        assert table.header == OFFICER_HEADER and [cells for _line, cells in table.rows] == OFFICER_ROWS


class TestFuzz:
    @FUZZ
    @given(data=st.binary(max_size=4000), name=st.sampled_from(["x.csv", "x.xlsx", "x.CSV"]), header=st.booleans())
    def test_random_bytes(self, data, name, header):
        clean_or_refused(name, data, header=header)

    @FUZZ
    @given(data=hostile_csv(), header=st.booleans())
    def test_mutated_csv(self, data, header):
        clean_or_refused("petugas.csv", data, header=header)

    @FUZZ
    @given(data=hostile_xlsx(), header=st.booleans())
    def test_mutated_xlsx(self, data, header):
        clean_or_refused("petugas.xlsx", data, header=header)

    @FUZZ
    @given(upload=hostile_files)
    def test_any_hostile_file(self, upload):
        clean_or_refused(*upload)


def test_the_fuzzed_files_include_ones_that_still_read():
    """The mutations are not all fatal: some files survive, so the fuzz also exercises reading, not only refusing."""
    assert read_table(name="x.xlsx", data=xlsx_bytes([OFFICER_HEADER, *OFFICER_ROWS])).rows


# What a library reader (tablib) would change, pinned (the decision is in hr/tabular.py's docstring).


def test_line_numbers_count_blank_lines_and_multi_line_cells():
    """The preview says "baris N" as a text editor counts: a blank line and a cell over two lines both count."""
    table = read_table(name="petugas.csv", data=b'NIP,Nama\n\n1,Budi\n2,"Siti\nAminah"\n\n3,Ani\n')
    assert table.rows == [(3, ["1", "Budi"]), (5, ["2", "Siti\nAminah"]), (7, ["3", "Ani"])]


def test_a_row_longer_than_the_header_is_read():
    table = read_table(name="petugas.csv", data=b"NIP,Nama\n1,Budi,catatan di luar kolom\n")
    assert table.header == ["NIP", "Nama"] and table.rows == [(2, ["1", "Budi", "catatan di luar kolom"])]


def test_the_first_sheet_is_read_even_when_another_is_active_and_whole_numbers_read_without_decimals():
    workbook = Workbook()
    first = workbook.active
    first.append(["NIP", "Nomor"])
    first.append(["198503122010011001", 123])
    notes = workbook.create_sheet("Catatan")
    notes.append(["bukan", "ini"])
    notes.append(["x", "y"])
    workbook.active = 1  # saved with the notes sheet open
    buffer = io.BytesIO()
    workbook.save(buffer)
    # A spreadsheet may store a whole number as 123.0; it reads as 123, as typed.
    data = with_sheet_xml(buffer.getvalue(), lambda xml: xml.replace(b"<v>123</v>", b"<v>123.0</v>"))
    assert b"<v>123.0</v>" in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert b'activeTab="1"' in zipfile.ZipFile(io.BytesIO(data)).read("xl/workbook.xml")
    table = read_table(name="petugas.xlsx", data=data)
    assert table.header == ["NIP", "Nomor"] and table.rows == [(2, ["198503122010011001", "123"])]
