"""Numbers leave the program exactly: a 7-digit count, 0.1, 12.345 and 99.95 go through every
writer (SDMX-CSV, the entry workbook, the bundle's JSON and CSV) and back through every reader
(the workbook import, the bundle verifier) unchanged, never in exponent form; people read them
the Vietnamese way (2.345.678, 12,345)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from crc_desktop.cli import main
from crc_desktop.core.i18n import Translator
from crc_desktop.core.numbers import machine_number
from crc_desktop.core.schemas.values import ValueEdit
from crc_desktop.core.signing.bundle import open_bundle
from crc_desktop.core.signing.keys import load_p12
from crc_desktop.core.signing.trust import TrustRegistry

from .conftest import PASSPHRASE, approve

NUMBERS = {"2345678": 2345678.0, "0.1": 0.1, "12.345": 12.345, "99.95": 99.95}


@pytest.fixture
def exact(demo_db):
    """The four numbers saved in period 2025, one per cell: {(cell id, area id): number}."""
    grid = demo_db.values.grid("2025")
    area = grid.areas[0]  # the province: a count an agency gives and rates typed there
    count = next(r for r in grid.rows if r.value_type == "integer" and grid.asks(r, area))
    rates = [r for r in grid.rows if r.value_type in ("percentage", "decimal") and grid.asks(r, area)][:3]
    places = [(count, "2345678"), (rates[0], "0.1"), (rates[1], "12.345"), (rates[2], "99.95")]
    demo_db.values.apply(
        "2025",
        [ValueEdit(cell_id=row.cell_id, area_id=area.id, raw=raw) for row, raw in places],
        locale="en_US",
    )
    return {(row.cell_id, area.id): NUMBERS[raw] for row, raw in places}


def _keys(grid, exact):
    """(indicator code, cell key, area code) → number, as files name the values."""
    rows = {r.cell_id: r for r in grid.rows}
    areas = {a.id: a for a in grid.areas}
    return {(rows[c].code, rows[c].cell_key, areas[a].code): n for (c, a), n in exact.items()}


def test_machine_form_is_the_shortest_exact_text_without_exponent():
    assert [machine_number(n) for n in NUMBERS.values()] == list(NUMBERS)
    assert machine_number(1e-4) == "0.0001" and machine_number(1e15) == "1000000000000000"
    for text, number in NUMBERS.items():
        assert float(machine_number(number)) == number and Decimal(machine_number(number)) == Decimal(text)


def test_people_read_them_the_vietnamese_way():
    tr = Translator("vi")
    assert [tr.exact(n) for n in NUMBERS.values()] == ["2.345.678", "0,1", "12,345", "99,95"]
    assert Translator("en").exact(2345678.0) == "2,345,678"


def test_sdmx_csv_writes_them_exactly(demo_db, exact, tmp_path):
    demo_db.reports.sdmx_csv("2025", tmp_path / "v.csv")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "v.csv").read_text("utf-8-sig"))))
    written = {
        (
            r["INDICATOR: Chỉ tiêu"].split(": ")[0].split("/")[-1],
            r["DISAGGREGATION: Phân tổ"].split(": ")[0],
            r["REF_AREA: Đơn vị hành chính"].split(": ")[0],
        ): r["OBS_VALUE: Giá trị"]
        for r in rows
    }
    for key, number in _keys(demo_db.values.grid("2025"), exact).items():
        assert written[key] == machine_number(number)
        assert Decimal(written[key]) == Decimal(repr(number))
    assert not any("e" in v.lower() for v in written.values() if v and v[0].isdigit())


def test_the_entry_workbook_holds_them_as_numbers_and_reads_them_back_unchanged(demo_db, exact, tmp_path):
    path = tmp_path / "nhap.xlsx"
    demo_db.reports.entry_workbook("2025", path)
    sheet = load_workbook(path)["Số liệu"]
    header = next(r for r in sheet.iter_rows() if any(c.value == "Mã chỉ tiêu" for c in r))
    areas = [c.column - 1 for c in header if " | " in str(c.value or "")]
    cells = [
        row[i].value for row in sheet.iter_rows(min_row=header[0].row + 1) for i in areas if i < len(row)
    ]
    for number in exact.values():
        assert number in cells
    assert 2345678 in cells and not any(isinstance(c, float) and c == 2345678 for c in cells)
    outcome = demo_db.reports.import_entries("2025", path, dry_run=True)
    assert outcome.changed == []  # every value read back is exactly the stored one


def test_the_bundle_carries_them_exactly_and_the_verifier_reads_them_back(demo_db, exact, keys, tmp_path):
    approve(demo_db)
    demo_db.certificates.register_file(Path(keys.certificate))
    result = demo_db.export.export(
        "2025", load_p12(Path(keys.p12), PASSPHRASE), tmp_path, on=dt.date(2026, 1, 5)
    )
    with zipfile.ZipFile(result.path) as archive:
        values_json = archive.read("data/values.json").decode("utf-8")
        values_csv = archive.read("data/values.csv").decode("utf-8-sig")
    assert "e+" not in values_json and "e-" not in values_json and "2345678.0" in values_json
    assert ",2345678," in values_csv and ",12.345," in values_csv and ",99.95," in values_csv
    assert "e+0" not in values_csv
    verification, snapshot = open_bundle(
        Path(result.path), TrustRegistry.from_paths([Path(keys.ca_certificate)])
    )
    assert verification.valid
    read = {(v.indicator.split("/")[-1], v.cell, v.area): v.number for v in snapshot.values}
    for key, number in _keys(demo_db.values.grid("2025"), exact).items():
        assert read[key] == number  # the same float, bit for bit
    assert json.loads(values_json)["values"]


def test_an_import_preview_shows_them_as_people_write_numbers(demo_db, exact, tmp_path, capsys):
    grid = demo_db.values.grid("2025")
    demo_db.values.apply("2025", [ValueEdit(cell_id=c, area_id=a, raw="") for c, a in exact], locale="en_US")
    path = tmp_path / "nhap.xlsx"
    demo_db.reports.entry_workbook("2025", path)
    book = load_workbook(path)
    sheet = book["Số liệu"]
    header = next(r for r in sheet.iter_rows() if any(c.value == "Mã chỉ tiêu" for c in r))
    names = {c.value: c.column - 1 for c in header}
    area_column = next(c.column for c in header if str(c.value).startswith(f"{grid.areas[0].code} |"))
    rows = {r.cell_id: r for r in grid.rows}
    for (cell, _area), number in exact.items():
        row = next(
            r[0].row
            for r in sheet.iter_rows(min_row=header[0].row + 1)
            if r[names["Mã chỉ tiêu"]].value == rows[cell].code
            and r[names["Mã phân tổ"]].value == rows[cell].cell_key
        )
        sheet.cell(row, area_column, number)
    book.save(path)
    db = str(demo_db.database.path)
    assert main(["indicators", "import", "--db", db, "--period", "2025", str(path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    for shown in ("∅ → 2.345.678", "∅ → 0,1", "∅ → 12,345", "∅ → 99,95"):
        assert shown in out
    assert "e+06" not in out


def test_the_report_prints_them_with_every_digit(demo_db, exact, tmp_path):
    from pypdf import PdfReader

    demo_db.reports.pdf("2025", tmp_path / "bao-cao.pdf", on=dt.date(2026, 1, 5))
    text = " ".join(page.extract_text() for page in PdfReader(tmp_path / "bao-cao.pdf").pages)
    assert "2.345.678" in text and "12,345" in text  # not 12,35
