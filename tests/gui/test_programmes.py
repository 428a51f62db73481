"""The plan page: a task folded into programmes in the dialog of the catalogue, ticked by the user."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from crc_desktop.app import Settings
from crc_desktop.core.i18n import Translator
from crc_desktop.core.services.programmes import ProgrammeService
from crc_desktop.gui.dialogs.programmes_dialog import ProgrammesDialog
from crc_desktop.gui.main_window import MainWindow
from crc_desktop.gui.tasks import TaskRunner
from tests.gui.user import click


def test_a_task_is_folded_into_the_programme_the_user_ticks(qtbot, demo_db, paths, monkeypatch):
    window = MainWindow(demo_db, Translator("vi"), paths, Settings(), TaskRunner(synchronous=True))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.show_page("plan")
    page = window.plan_page
    qtbot.waitUntil(lambda: page.proxy.rowCount() > 0)
    page.view.selectRow(0)
    task = page.current_task()
    shown = []

    def tick(code, catalogue, chosen):
        dialog = ProgrammesDialog(Translator("vi"), code, catalogue, chosen, page)
        qtbot.addWidget(dialog)
        dialog.show()
        item = dialog.list.item(0)
        assert item.text().startswith(
            "Chương trình hành động quốc gia vì trẻ em giai đoạn 2021-2030 — Quyết định 23"
        )
        rect = dialog.list.visualItemRect(item)
        box = QPoint(rect.left() + 10, rect.top() + 10)  # the tick box, at the entry's left
        QTest.mouseClick(dialog.list.viewport(), Qt.LeftButton, Qt.NoModifier, box)
        shown.append(item.checkState())
        click(dialog.ok_button)
        return dialog.chosen()

    monkeypatch.setattr(page, "ask_programmes", tick)
    click(page.programmes_button)
    assert shown == [Qt.Checked]
    [use] = ProgrammeService(demo_db.database, demo_db.actor).uses()
    assert use.code == "NPA_2021_2030" and use.tasks == [task.code]
