"""Reading HR's CSV downloads as a spreadsheet shows them, and opening them in a real one (LibreOffice Calc)."""

import csv
import io
import os
import re
import shutil
import subprocess
from pathlib import Path

from lms.tests.requirements import missing

_TEXT_FORMULA = re.compile(r'="(.*)"')


def shown(cell: str) -> str:
    """What Excel or LibreOffice shows for a cell: ="198…" is the text 198…, anything else as written."""
    match = _TEXT_FORMULA.fullmatch(cell)
    return match.group(1) if match else cell


def csv_as_shown(text: str) -> list[list[str]]:
    return [[shown(cell) for cell in row] for row in csv.reader(io.StringIO(text))]


def soffice() -> str:
    """The LibreOffice binary; skipped without it on a developer's machine, a failure under CI."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        missing("LibreOffice (soffice) to open CSV exports as HR does")
    return found


def open_in_calc(data: bytes, tmp_path: Path, *, utf8: bool = False, suffix: str = "csv"):
    """`data` (a CSV download, or an XLSX one with `suffix="xlsx"`) opened by LibreOffice Calc (CSV with
    its default import) and saved as XLSX;
    returns (values, cells): the sheet with the values Calc computed, and with what each cell holds.

    Headless, Calc's default import guesses the character set (not from the BOM); `utf8=True` picks
    UTF-8 as the import dialog does for our files, to compare names with accents too. A private
    profile per call keeps parallel runs apart.
    """
    from openpyxl import load_workbook

    source = tmp_path / f"unduhan.{suffix}"
    source.write_bytes(data)
    out = tmp_path / "calc"
    command = [soffice(), f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless"]
    if utf8:
        command.append("--infilter=CSV:44,34,76,1")
    command += ["--convert-to", "xlsx", "--outdir", str(out), str(source)]
    result = subprocess.run(command, capture_output=True, timeout=120, env={**os.environ, "HOME": str(tmp_path)})
    converted = out / "unduhan.xlsx"
    assert converted.exists(), result.stderr.decode(errors="replace") + result.stdout.decode(errors="replace")
    return (load_workbook(converted, data_only=True).worksheets[0], load_workbook(converted).worksheets[0])
