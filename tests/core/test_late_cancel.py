"""A point of no return: a Cancel that arrives once a job has committed does not undo what is
kept, nor does it say "nothing was changed"; the job returns its outcome, which tells the change."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from crc_desktop.core.progress import Cancelled, Progress

from .reporting.test_excel import _locate, _stored
from .test_collection import _round, commune_form, fill, forms, integer_indicator, stored  # noqa: F401


def _cancelling_after(fraction: float, seen: list[float]) -> Progress:
    """The user presses Cancel when the job reports `fraction` (or more)."""

    def report(reached: float, _message: str) -> None:
        seen.append(reached)
        if reached >= fraction:
            progress.cancel()

    progress = Progress(report)
    return progress


def _one_value_changed(context, tmp_path):
    """The period's entry workbook with one value changed, as the office fills it."""
    path = tmp_path / "nhap-lieu.xlsx"
    context.reports.entry_workbook("2025", path)
    book = load_workbook(path)
    book["Số liệu"].protection.sheet = False
    _locate(book["Số liệu"], "0605.MS", "total", "46").value = 77  # a count the office types
    book.save(path)
    return path


def test_a_cancel_while_an_entry_workbook_is_saved_returns_what_it_changed(demo_db, tmp_path):
    path = _one_value_changed(demo_db, tmp_path)

    seen: list[float] = []
    result = demo_db.reports.import_entries("2025", path, progress=_cancelling_after(0.9, seen))
    assert len(result.changed) == 1 and result.changes.values  # the change is told, and kept
    assert _stored(demo_db, "0605.MS", "total", "46").number == 77
    assert seen[-1] == 0.9  # no progress reported once it commits


def test_a_cancel_before_the_save_keeps_nothing(demo_db, tmp_path):
    path = _one_value_changed(demo_db, tmp_path)
    with pytest.raises(Cancelled):
        demo_db.reports.import_entries("2025", path, progress=_cancelling_after(0.3, []))
    assert _stored(demo_db, "0605.MS", "total", "46").number != 77


def test_a_cancel_after_a_returned_form_is_loaded_stops_before_the_next(demo_db, forms, tmp_path):  # noqa: F811
    returns, code = _round(demo_db, forms, tmp_path)
    second = sorted(p.name for p in returns.iterdir())[1]

    def report(_fraction: float, message: str) -> None:
        if message == second:
            progress.cancel()  # pressed while the second file is read and loaded

    progress = Progress(report)
    result = demo_db.collection.import_files("2025", [returns], progress=progress)

    assert [o.status for o in result.outcomes] == ["loaded", "loaded"]
    assert len(result.not_read) == 2 and result.changes.collection and result.changes.values
    assert stored(demo_db, code, "total", "90002").number == 1002
    assert stored(demo_db, code, "total", "90003").number != 1003
