"""The fast row reader gives the values openpyxl's read-only reader gives: on a workbook openpyxl
wrote (inline strings, dates, booleans, a formula without a cached value, gaps between rows) and on
the same workbook saved by LibreOffice (shared strings, rich text, the formula's cached value)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import zipfile

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from crc_desktop.core.reporting.fast_rows import ValuesByRow


def _workbook(path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "Số liệu"
    sheet.append(["Mã chỉ tiêu", "Tên", "90001 | Xã An An", "Ghi chú | 90001"])
    sheet.append(["0101", "Số trẻ em bị xâm hại", 247, "  có khoảng trắng  "])
    sheet.append(["KS05", "Tỷ lệ", 61.4, None])
    sheet["A5"], sheet["C5"], sheet["D5"] = "TV01", "1.234,5", True  # a gap (row 4), text, a boolean
    sheet["C6"] = dt.datetime(2025, 3, 15)
    sheet["C6"].number_format = "dd/mm/yyyy"
    sheet["C7"], sheet["D7"] = "=C2*2", False
    sheet["B8"] = CellRichText(["Tên ", TextBlock(InlineFont(b=True), "đậm"), " thường"])
    sheet["E9"] = 1e-7
    sheet["C11"] = 10**15
    book.save(path)


def _both(path, columns=None) -> tuple[list, list]:
    book = load_workbook(path, read_only=True, data_only=True)
    try:
        expected = [tuple(row) for row in book["Số liệu"].iter_rows(values_only=True)]
        rows = ValuesByRow(book["Số liệu"])
        got = []
        for row in rows:
            got.append(row)
            if columns is not None and len(got) == 1:
                rows.only(columns)
    finally:
        book.close()
    return expected, got


def _trimmed(rows: list, columns=None) -> list:
    """openpyxl pads every row to the sheet's width; the fast reader stops at a row's last cell."""
    kept = []
    for number, row in enumerate(rows, start=1):
        values = [
            v if columns is None or number == 1 or column in columns else None
            for column, v in enumerate(row, start=1)
        ]
        while values and values[-1] is None:
            values.pop()
        kept.append(tuple(values))
    while kept and kept[-1] == ():
        kept.pop()
    return kept


def test_the_values_are_openpyxls_on_a_workbook_openpyxl_wrote(tmp_path):
    path = tmp_path / "mau.xlsx"
    _workbook(path)
    expected, got = _both(path)
    assert _trimmed(got) == _trimmed(expected)
    assert got[1] == ("0101", "Số trẻ em bị xâm hại", 247, "  có khoảng trắng  ")
    assert got[3] == ()  # the row the file leaves out
    assert got[5][2] == dt.datetime(2025, 3, 15) and got[4][3] is True


def test_only_the_columns_asked_for_are_read_after_the_header(tmp_path):
    path = tmp_path / "mau.xlsx"
    _workbook(path)
    expected, got = _both(path, columns={1, 3})
    assert _trimmed(got) == _trimmed(expected, columns={1, 3})
    assert got[1] == ("0101", None, 247)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is installed by .ci/setup")
def test_the_values_are_openpyxls_on_a_workbook_libreoffice_saved(tmp_path):
    source = tmp_path / "mau.xlsx"
    _workbook(source)
    out = tmp_path / "lo"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    saved = out / "mau.xlsx"

    with zipfile.ZipFile(saved) as archive:
        assert "xl/sharedStrings.xml" in archive.namelist()  # what Excel and LibreOffice write
    expected, got = _both(saved)
    assert _trimmed(got) == _trimmed(expected)
    assert got[6][2] == 494  # the formula's value, as the office program saved it
    assert got[7][1] == "Tên đậm thường"
