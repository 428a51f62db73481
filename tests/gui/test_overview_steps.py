"""The overview says what to do next, and each step opens the place where it is done."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from crc_desktop.app import Settings
from crc_desktop.core.i18n import Translator
from crc_desktop.gui.main_window import MainWindow
from crc_desktop.gui.tasks import TaskRunner
from tests.gui.user import assert_reachable


def _click_item(view, row: int) -> None:
    assert_reachable(view.viewport())
    rect = view.visualItemRect(view.item(row))
    assert view.viewport().rect().contains(rect.center()), "the step is scrolled out of sight"
    QTest.mouseClick(view.viewport(), Qt.LeftButton, Qt.NoModifier, rect.center())


@pytest.mark.parametrize("worker", [False, True], ids=["synchronous", "worker thread"])
def test_a_next_step_opens_its_place(qtbot, demo_db, paths, worker):
    """Also with the program's real worker: the page opened reads its rows in the background and
    selects the task once they are there."""
    runner = TaskRunner(synchronous=not worker)
    window = MainWindow(demo_db, Translator("vi"), paths, Settings(), runner)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitUntil(lambda: not runner.busy and window.overview_page.next_steps.count() > 0, timeout=30_000)
    steps = window.overview_page.next_steps
    texts = [steps.item(i).text() for i in range(steps.count())]
    assert texts[0].startswith("1. Nhập ") and "giá trị chỉ tiêu còn thiếu" in texts[0]
    row = next(i for i, text in enumerate(texts) if "Cập nhật tiến độ nhiệm vụ NV-" in text)
    _click_item(steps, row)
    progress = window.progress_page
    assert progress.isVisible() and not window.overview_page.isVisible()
    assert progress.period_box.currentText() == "2025"
    code = texts[row].split("nhiệm vụ ")[1].split()[0]
    qtbot.waitUntil(lambda: not runner.busy, timeout=30_000)
    qtbot.waitUntil(lambda: progress.view.currentIndex().siblingAtColumn(0).data() == code, timeout=5000)
    runner.wait()


def test_urgent_recommendations_and_chart_rows_are_named(qtbot, demo_db, paths):
    window = MainWindow(demo_db, Translator("vi"), paths, Settings(), TaskRunner(synchronous=True))
    qtbot.addWidget(window)
    window.show()
    page = window.overview_page
    labels = [label for label, *_ in page.chart._rows]
    names = {k.name[:20] for k in demo_db.overview.summary("2025").key_indicators}
    assert labels and all(any(label.startswith(n) for n in names) for label in labels)
    assert page.urgent.text().count(" ") > 6  # "… 17 Non-discrimination …", not "17, 30"
