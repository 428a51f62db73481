"""The progress form: empty for a task never updated (one click cannot save 0 %), and a
submitted period's reason asked in a field, not in a dialog that interrupts typing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from crc_desktop.core.i18n import Translator
from crc_desktop.gui.pages.progress_page import ProgressPage
from tests.gui.pages import operations
from tests.gui.user import assert_reachable, click, type_text


@pytest.fixture
def page(qtbot, demo_db):
    demo_db.periods.create("2026")
    widget = ProgressPage(demo_db.plan, demo_db.periods, operations(), Translator("vi"), ["2025", "2026"])
    qtbot.addWidget(widget)
    widget.resize(1366, 700)
    widget.show()
    return widget


def _saved(demo_db, period, task_id):
    return next(r for r in demo_db.plan.progress(period) if r.task_id == task_id)


def test_a_task_never_updated_starts_with_an_empty_form(page, demo_db, qtbot):
    page.period_box.setCurrentText("2026")
    task_id = page.model.row(0).task_id
    page.select_task(task_id)
    assert page.status.currentIndex() == -1 and page.status.currentText() == ""
    assert page.percent.text() == "—"
    type_text(page.done_text, "Đã họp")
    page.save_now()
    assert _saved(demo_db, "2026", task_id).status is None  # no "Đang thực hiện, 0 %" saved
    assert "tình trạng" in page.saved.text()
    page.status.setCurrentIndex(page.status.findData("in_progress"))
    page.percent.setValue(30)
    qtbot.waitUntil(lambda: page.saved.text() == "Đã lưu.", timeout=3000)
    row = _saved(demo_db, "2026", task_id)
    assert (row.status, row.percent_done, row.done_text) == ("in_progress", 30, "Đã họp")


def test_leaving_a_half_filled_form_keeps_the_user_on_it(page, demo_db, qtbot):
    page.period_box.setCurrentText("2026")
    first, second = page.model.row(0).task_id, page.model.row(1).task_id
    page.select_task(first)
    type_text(page.done_text, "Đã họp")
    page.select_task(second)
    qtbot.wait(20)
    assert page.view.currentIndex().row() == 0 and page.done_text.toPlainText() == "Đã họp"


def test_a_submitted_period_asks_why_in_a_field(page, demo_db, qtbot, monkeypatch):
    from crc_desktop.gui.dialogs import reason_dialog

    monkeypatch.setattr(reason_dialog.QDialog, "exec", lambda self: pytest.fail("a dialog popped up"))
    demo_db.periods.submit("2025")
    page.set_periods(["2025", "2026"])
    page.period_box.setCurrentText("2025")
    assert_reachable(page.reason_bar.edit)
    task_id = next(r.task_id for r in page.model.rows() if r.status is not None)
    page.select_task(task_id)
    type_text(page.done_text, " thêm")
    page.save_now()
    assert "ô màu vàng" in page.saved.text()
    type_text(page.reason_bar.edit, "Bổ sung kết quả")
    qtbot.waitUntil(lambda: page.saved.text() == "Đã lưu.", timeout=3000)
    assert "thêm" in _saved(demo_db, "2025", task_id).done_text
    click(page.view.viewport(), Qt.LeftButton)  # the page is still usable
