"""Input as Excel users expect it: dates typed dd/mm/yyyy, calendars in Vietnamese at the right
month, closed lists as drop-downs, money with thousands separators."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QPushButton, QTableView

from crc_desktop.app import Settings
from crc_desktop.core.i18n import Translator
from crc_desktop.gui.dialogs.task_dialog import TaskDialog
from crc_desktop.gui.main import run_gui, use_locale
from crc_desktop.gui.widgets.date_field import DateField
from tests.gui.user import click, press, type_text


@pytest.fixture
def vietnamese():
    before = QLocale()
    use_locale("vi")
    yield
    QLocale.setDefault(before)


@pytest.fixture
def dialog(qtbot, demo_db, vietnamese):
    plan = demo_db.plan
    widget = TaskDialog(Translator("vi"), plan.task_groups(), plan.agencies(), [])
    qtbot.addWidget(widget)
    widget.show()
    return widget


def _button(dialog, text: str) -> QPushButton:
    return next(b for b in dialog.findChildren(QPushButton) if b.text() == text and b.isVisible())


def test_the_application_speaks_vietnamese_to_qt(demo_db, paths, monkeypatch):
    from crc_desktop.gui import main

    monkeypatch.setattr(main, "install_error_handlers", lambda *_args: None)
    monkeypatch.setattr(main, "open_window", lambda *_args, **_kwargs: None)  # stop once set up
    before = QLocale()
    try:
        QLocale.setDefault(QLocale.c())
        assert run_gui(demo_db.database.path, paths, Settings(user_name="An"), remember=False) == 1
        assert QLocale().name() == "vi_VN"
        assert (
            run_gui(demo_db.database.path, paths, Settings(language="en", user_name="An"), remember=False)
            == 1
        )
        assert QLocale().name() == "en_GB"
    finally:
        QLocale.setDefault(before)


def test_a_typed_date_is_kept(dialog):
    type_text(dialog.start.edit, "01/01/2026")
    type_text(dialog.end.edit, "31/12/2030")
    dialog.code.setText("NV-300")
    type_text(dialog.title_edit, "Tập huấn")
    task = dialog.read()
    assert (task.start_on, task.end_on) == (dt.date(2026, 1, 1), dt.date(2030, 12, 31))


def test_a_date_that_is_not_one_is_named_and_the_form_stays_open(dialog):
    dialog.code.setText("NV-300")
    type_text(dialog.title_edit, "Tập huấn")
    type_text(dialog.start.edit, "31/02/2026")
    assert dialog.start.edit.styleSheet()  # red at once
    click(next(b for b in dialog.findChildren(QPushButton) if b.text() == "Lưu"))
    assert dialog.isVisible()
    assert '"31/02/2026"' in dialog.error.text() and "ngày/tháng/năm" in dialog.error.text()


def test_the_calendar_opens_at_today_or_at_the_field_s_date_in_vietnamese(dialog, qtbot):
    click(dialog.start.button)
    calendar = dialog.start.calendar
    qtbot.waitExposed(calendar)
    assert calendar.selectedDate() == QDate.currentDate()  # not January 2000
    assert calendar.locale().monthName(1) == "tháng 1"
    assert calendar.locale().dayName(1, QLocale.FormatType.ShortFormat) != "Mon"
    press(calendar.findChild(QTableView).viewport(), Qt.Key_Escape)
    assert not calendar.isVisible()
    type_text(dialog.end.edit, "15/03/2027")
    click(dialog.end.button)
    qtbot.waitExposed(dialog.end.calendar)
    assert dialog.end.calendar.selectedDate() == QDate(2027, 3, 15)
    dialog.end.calendar.setSelectedDate(QDate(2027, 3, 20))
    press(dialog.end.calendar.findChild(QTableView).viewport(), Qt.Key_Return)  # the day picked is written
    assert dialog.end.text() == "20/03/2027" and not dialog.end.calendar.isVisible()


def test_a_budget_line_s_source_is_chosen_in_a_list_and_money_keeps_its_separators(dialog, qtbot):
    dialog.code.setText("NV-301")
    type_text(dialog.title_edit, "Mô hình")
    dialog.tabs.setCurrentIndex(3)
    click(_button(dialog, "Thêm dòng"))
    table = dialog.budget
    assert table.item(0, 1).text() == "Ngân sách nhà nước"
    table.setCurrentCell(0, 1)
    table.edit(table.currentIndex())
    box = table.findChild(QComboBox)
    assert [box.itemText(i) for i in range(box.count())] == [
        "Ngân sách nhà nước",
        "Vốn ODA",
        "Nguồn xã hội hóa",
    ]
    box.setCurrentIndex(1)
    press(box, Qt.Key_Tab)  # as in Excel: the next cell, ready for typing
    assert table.item(0, 1).text() == "Vốn ODA"
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and table.currentColumn() == 2
    editor.selectAll()
    type_text(editor, "120000000")
    press(editor, Qt.Key_Return)
    qtbot.waitUntil(lambda: table.item(0, 2).text() == "120.000.000")
    assert dialog.isVisible() and dialog.result_input is None  # Enter in a cell does not save the form
    line = dialog.read().budget[0]
    assert (line.source, line.planned) == ("oda", 120_000_000)
    header = table.horizontalHeader()
    for column in range(table.columnCount()):  # no clipped header ("Được giao (đồng")
        assert header.sectionSize(column) >= header.sectionSizeHint(column) - 2


def test_a_milestone_date_is_typed_or_picked_in_its_cell(dialog, qtbot):
    dialog.code.setText("NV-302")
    type_text(dialog.title_edit, "Mốc")
    dialog.tabs.setCurrentIndex(2)
    click(_button(dialog, "Thêm dòng"))
    table = dialog.milestones
    type_text(table, "H")  # the new row's first cell is ready: the first key opens its editor
    type_text(QApplication.focusWidget(), "oàn thành giai đoạn 1")
    press(QApplication.focusWidget(), Qt.Key_Tab)
    field = table.findChild(DateField)
    assert field is not None and field.edit.hasFocus()
    type_text(field.edit, "1/7/2026")
    press(field.edit, Qt.Key_Tab)
    qtbot.waitUntil(lambda: table.item(0, 1) is not None and table.item(0, 1).text() == "01/07/2026")
    field = QApplication.focusWidget().parentWidget()  # "done on", the next cell, is being edited
    assert isinstance(field, DateField) and table.currentColumn() == 2
    click(field.button)
    qtbot.waitExposed(field.calendar)
    assert field.calendar.selectedDate() == QDate.currentDate()  # an empty date opens at today
    press(field.calendar.findChild(QTableView).viewport(), Qt.Key_Return)
    qtbot.waitUntil(lambda: field.text() == QDate.currentDate().toString("dd/MM/yyyy"))
    picked = field.text()
    press(field.edit, Qt.Key_Return)  # the editor closes (and goes)
    qtbot.waitUntil(lambda: table.item(0, 2) is not None and table.item(0, 2).text() == picked)
    assert dialog.isVisible()
    milestone = dialog.read().milestones[0]
    assert (milestone.title, milestone.due_on) == ("Hoàn thành giai đoạn 1", dt.date(2026, 7, 1))
    assert milestone.done_on == dt.date.today()
