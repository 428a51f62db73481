"""Two imports at once: the second waits for the first and computes its changes from the first's
values, so nothing is overwritten unseen and its preview tells the truth."""

from __future__ import annotations

import threading

from openpyxl import load_workbook

from crc_desktop.app import open_app
from crc_desktop.core.db.engine import backup_file
from crc_desktop.core.i18n import Translator
from crc_desktop.core.services import reports
from tests.workbooks import first_count_cell


def _workbook_with(template, target, text: str) -> str:
    book = load_workbook(template)
    cell = first_count_cell(book["Số liệu"])
    cell.value = text
    book.save(target)
    return cell.coordinate


def test_a_second_import_waits_and_sees_the_first_ones_values(small_demo_file, tmp_path, paths, monkeypatch):
    db = backup_file(small_demo_file, tmp_path / "hue.db")
    first, second = open_app(db, paths, user_name="An"), open_app(db, paths, user_name="Bình")
    template = tmp_path / "mau.xlsx"
    first.reports.entry_workbook("2025", template)
    cell = _workbook_with(template, tmp_path / "an.xlsx", "5001")
    _workbook_with(template, tmp_path / "binh.xlsx", "7002")

    inside, go = threading.Event(), threading.Event()
    diff = reports._entry_diff

    def slow_first_diff(reading, grid):
        if not inside.is_set():
            inside.set()  # An's import is inside its write transaction now
            go.wait(10)
        return diff(reading, grid)

    monkeypatch.setattr(reports, "_entry_diff", slow_first_diff)
    results = {}
    an = threading.Thread(
        target=lambda: results.update(an=first.reports.import_entries("2025", tmp_path / "an.xlsx"))
    )
    an.start()
    assert inside.wait(10)
    binh = threading.Thread(
        target=lambda: results.update(binh=second.reports.import_entries("2025", tmp_path / "binh.xlsx"))
    )
    binh.start()
    binh.join(0.5)
    assert binh.is_alive()  # Bình's import waits for An's to finish
    go.set()
    an.join(30)
    binh.join(30)
    (change,) = [c for c in results["binh"].changed if c.where == cell]
    assert change.line(Translator("vi")).endswith("5.001 → 7.002")  # the old value is An's
    grid = first.values.grid("2025")
    assert 7002 in grid.numbers.values()
    assert 5001 not in grid.numbers.values()
    assert first.audit.verify().intact
    first.close()
    second.close()
