"""The plan page: a task folded into programmes in the dialog of the catalogue, ticked by the user."""

from __future__ import annotations

from pypdf import PdfReader
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QPushButton

from crc_desktop.app import Settings
from crc_desktop.core.i18n import Translator
from crc_desktop.core.services.programmes import ProgrammeService
from crc_desktop.gui.dialogs.programmes_dialog import ProgrammesDialog
from crc_desktop.gui.main_window import MainWindow
from crc_desktop.gui.table_model import ROW_ROLE
from crc_desktop.gui.tasks import TaskRunner
from tests.gui.user import click, press


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


def test_a_budget_line_names_its_programme_in_the_task_form_and_the_report_shows_it(
    qtbot, demo_db, paths, monkeypatch, tmp_path
):
    window = MainWindow(demo_db, Translator("vi"), paths, Settings(), TaskRunner(synchronous=True))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.show_page("plan")
    page = window.plan_page
    qtbot.waitUntil(lambda: page.proxy.rowCount() > 0)
    row = next(
        r for r in range(page.proxy.rowCount()) if page.proxy.index(r, 0).data(ROW_ROLE).code == "NV-001"
    )
    page.view.selectRow(row)
    seen = {}

    def pick(dialog) -> bool:
        dialog.show()
        dialog.tabs.setCurrentIndex(3)  # Kinh phí
        table = dialog.budget
        header = table.horizontalHeaderItem(5).text()
        line = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == "2025")
        seen["header"], seen["before"] = header, table.item(line, 5).text()
        table.setCurrentCell(line, 5)
        table.edit(table.currentIndex())
        box = table.findChild(QComboBox)
        seen["choices"] = [box.itemText(i) for i in range(box.count())]
        box.setCurrentIndex(box.findText("NPA_2021_2030", Qt.MatchStartsWith))
        press(box, Qt.Key_Tab)
        seen["after"] = table.item(line, 5).text()
        click(next(b for b in dialog.findChildren(QPushButton) if b.text() == "Lưu"))
        return dialog.result() == 1

    monkeypatch.setattr(page, "open_dialog", pick)
    click(page.edit_button)
    assert seen["header"] == "Chương trình"
    assert seen["before"] == "—" and seen["choices"][0] == "—"
    assert seen["after"].startswith("NPA_2021_2030 — Chương trình hành động quốc gia vì trẻ em")
    [use] = ProgrammeService(demo_db.database, demo_db.actor).uses()
    line = next(b for b in demo_db.plan.task(page.current_task().id).input.budget if b.fiscal_year == 2025)
    assert use.code == "NPA_2021_2030" and [(f.task, f.fiscal_year, f.source) for f in use.budget_lines] == [
        ("NV-001", 2025, line.source)
    ]
    assert use.tasks == []  # the money comes through the programme; the task itself is not folded

    out = tmp_path / "bc.pdf"
    demo_db.reports.pdf("2025", out)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(out).pages).split())
    table = text[text.index("Lồng ghép với các chương trình") :][:1500]
    assert "Chương trình hành động quốc gia vì trẻ em giai đoạn 2021-2030" in table
    assert Translator("vi").number(line.allocated / 1e6, 1) in table

    # editing the task again keeps the line's programme (the lines are rewritten on save)
    def retitle(dialog) -> bool:
        seen["again"] = dialog.budget.item(
            next(r for r in range(dialog.budget.rowCount()) if dialog.budget.item(r, 0).text() == "2025"), 5
        ).text()
        dialog.title_edit.setText(dialog.title_edit.text() + " (sửa)")
        dialog._on_buttons_accepted()
        return dialog.result() == 1

    monkeypatch.setattr(page, "open_dialog", retitle)
    click(page.edit_button)
    assert seen["again"].startswith("NPA_2021_2030")
    [use] = ProgrammeService(demo_db.database, demo_db.actor).uses()
    assert [f.task for f in use.budget_lines] == ["NV-001"]
