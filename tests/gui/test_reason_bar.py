"""Reasons without traps: in a submitted period the reason is asked once per sitting, in the bar
that takes the focus when the user starts typing in a cell; it serves the grid, the progress page
and the imports of the window until the user changes it, and is recorded with each change."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from crc_desktop.app import Settings
from crc_desktop.core.i18n import Translator
from crc_desktop.gui.main_window import MainWindow
from crc_desktop.gui.tasks import TaskRunner
from tests.gui.user import press, type_text


def _type(widget, text: str) -> None:
    for ch in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key_unknown, ch, Qt.NoModifier)


@pytest.fixture
def window(qtbot, demo_db, paths, monkeypatch):
    from crc_desktop.gui.dialogs import reason_dialog

    monkeypatch.setattr(reason_dialog.QDialog, "exec", lambda self: pytest.fail("a reason was asked again"))
    demo_db.periods.submit("2025")
    window = MainWindow(demo_db, Translator("vi"), paths, Settings(), TaskRunner(synchronous=True))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_the_bar_keeps_the_focus_and_the_cell_never_gets_the_reason(window, demo_db, qtbot, tmp_path):
    window.show_page("indicators")
    grid = window.indicators_page
    grid.period_box.setCurrentText("2025")
    qtbot.waitUntil(lambda: grid.model is not None and grid.model.grid.period == "2025")
    qtbot.waitUntil(lambda: not grid.reason_bar.edit.visibleRegion().isEmpty())  # laid out, in sight
    index = next(  # a number a person types (a count of the province is the communes' sum)
        grid.model.index(i, column)
        for i, r in enumerate(grid.model.grid.rows)
        if r.value_type == "integer"
        for column in (1, 2)
        if grid.model.flags(grid.model.index(i, column)) & Qt.ItemIsEditable
    )
    cell = grid.model.row_and_area(index)
    before = demo_db.values.grid("2025").value((cell[0].cell_id, cell[1].id))
    grid.view.setCurrentIndex(index)
    grid.view.setFocus()
    _type(grid.view, "6")  # starting to type in the cell
    assert QApplication.focusWidget() is grid.reason_bar.edit
    assert grid.view.state() != grid.view.State.EditingState  # no editor opened behind it
    qtbot.wait(100)
    window.grab().save(str(tmp_path / "reason-bar.png"))
    _type(QApplication.focusWidget(), "Bổ sung số liệu xã")  # every keystroke in the bar
    assert QApplication.focusWidget() is grid.reason_bar.edit
    assert grid.reason_bar.reason() == "Bổ sung số liệu xã"
    assert demo_db.values.grid("2025").value((cell[0].cell_id, cell[1].id)) == before
    press(grid.reason_bar.edit, Qt.Key_Return)
    assert QApplication.focusWidget() is grid.view
    _type(grid.view, "6")
    editor = QApplication.focusWidget()
    _type(editor, "8")
    assert editor.text() == "68"  # the cell holds the number, not the reason
    press(editor, Qt.Key_Return)
    qtbot.waitUntil(lambda: demo_db.values.grid("2025").value((cell[0].cell_id, cell[1].id)).number == 68)
    history = demo_db.audit.history("indicator_value", f"2025/{cell[0].cell_id}/{cell[1].id}")
    assert history[-1].reason == "Bổ sung số liệu xã"

    # the same reason serves the progress page, unasked
    window.show_page("progress")
    progress = window.progress_page
    progress.period_box.setCurrentText("2025")
    qtbot.waitUntil(lambda: progress.reason_bar.isVisible())
    assert progress.reason_bar.reason() == "Bổ sung số liệu xã"
    task = next(r for r in progress.model.rows() if r.status is not None)
    task_id = task.task_id
    progress.select_task(task_id)
    type_text(progress.done_text, " thêm")
    progress.save_now()
    qtbot.waitUntil(lambda: progress.saved.text() == "Đã lưu.", timeout=3000)
    entries = demo_db.audit.history("progress_update", f"2025/{task.code}")
    assert entries[-1].reason == "Bổ sung số liệu xã"
    assert window.reasons.get("2025") == "Bổ sung số liệu xã"


def test_an_edit_committed_before_the_reason_waits_for_it(window, demo_db, qtbot):
    window.show_page("indicators")
    grid = window.indicators_page
    grid.period_box.setCurrentText("2025")
    qtbot.waitUntil(lambda: grid.model is not None and grid.model.grid.period == "2025")
    qtbot.waitUntil(lambda: not grid.reason_bar.edit.visibleRegion().isEmpty())  # laid out, in sight
    row = next(i for i, r in enumerate(grid.model.grid.rows) if r.value_type == "integer")
    index = grid.model.index(row, 2)
    cell = grid.model.row_and_area(index)
    grid.model.setData(index, "41")  # an edit that reaches the page without a key (a paste, say)
    assert QApplication.focusWidget() is grid.reason_bar.edit
    assert "ô màu vàng" in grid.message.text()
    type_text(grid.reason_bar.edit, "Xã gửi lại")
    press(grid.reason_bar.edit, Qt.Key_Return)
    qtbot.waitUntil(lambda: demo_db.values.grid("2025").value((cell[0].cell_id, cell[1].id)).number == 41)
    history = demo_db.audit.history("indicator_value", f"2025/{cell[0].cell_id}/{cell[1].id}")
    assert history[-1].reason == "Xã gửi lại"


def test_a_collection_import_asks_its_reason_in_the_bar_once_a_sitting(window, demo_db, qtbot, tmp_path):
    from tests.core.test_collection import commune_form, fill, integer_indicator, stored
    from tests.gui.test_collection_page import drop

    forms = tmp_path / "bieu-mau"
    demo_db.collection.forms("2025", forms, kind="communes")
    code = integer_indicator(demo_db)
    first, second = tmp_path / "lan-1", tmp_path / "lan-2"
    first.mkdir(), second.mkdir()
    fill(commune_form(forms, "90001"), first / "90001.xlsx", {(code, "total"): 2101})
    fill(commune_form(forms, "90002"), second / "90002.xlsx", {(code, "total"): 2102})
    window.show_page("collection")
    page = window.collection_page
    page.period_box.setCurrentText("2025")
    qtbot.waitUntil(lambda: page.reason_bar.isVisible())

    drop(page.drop_area, [first])
    assert QApplication.focusWidget() is page.reason_bar.edit  # no dialog: the bar asks
    assert "ô màu vàng" in page.status.text()
    qtbot.wait(100)
    window.grab().save(str(tmp_path / "collection-reason.png"))
    assert demo_db.collection.status("2025").returned == 0  # nothing loaded before the reason
    _type(QApplication.focusWidget(), "Xã gửi lại biểu mẫu")
    assert QApplication.focusWidget() is page.reason_bar.edit  # every keystroke in the bar
    press(page.reason_bar.edit, Qt.Key_Return)
    qtbot.waitUntil(lambda: stored(demo_db, code, "total", "90001").number == 2101)
    assert window.reasons.get("2025") == "Xã gửi lại biểu mẫu"

    drop(page.drop_area, [second])  # the same sitting: not asked again
    qtbot.waitUntil(lambda: stored(demo_db, code, "total", "90002").number == 2102)
    for commune in ("90001", "90002"):
        row = next(r for r in demo_db.values.grid("2025").rows if r.code == code and r.cell_key == "total")
        area = next(a for a in demo_db.values.grid("2025").areas if a.code == commune)
        history = demo_db.audit.history("indicator_value", f"2025/{row.cell_id}/{area.id}")
        assert history[-1].reason.startswith("Xã gửi lại biểu mẫu — "), history[-1].reason

    window.show_page("indicators")  # and the grid has it too
    grid = window.indicators_page
    grid.period_box.setCurrentText("2025")
    qtbot.waitUntil(lambda: grid.reason_bar.isVisible())
    assert grid.reason_bar.reason() == "Xã gửi lại biểu mẫu"
