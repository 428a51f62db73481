"""Columns: names stretch, codes fit, no header clipped, and the widths a user set come back."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QHeaderView

from crc_desktop.app import Settings
from crc_desktop.core.i18n import Translator
from crc_desktop.gui.columns import restore_columns, save_columns
from crc_desktop.gui.main_window import MainWindow
from crc_desktop.gui.tasks import TaskRunner


def _window(qtbot, demo_db, paths) -> MainWindow:
    window = MainWindow(demo_db, Translator("vi"), paths, Settings(), TaskRunner(synchronous=True))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    return window


def test_task_names_stretch_and_codes_fit_without_clipped_headers(qtbot, demo_db, paths):
    window = _window(qtbot, demo_db, paths)
    window.show_page(1)
    view = window.plan_page.view
    header = view.horizontalHeader()
    qtbot.waitUntil(lambda: header.sectionResizeMode(2) == QHeaderView.Stretch)  # fitted once shown
    sizes = [header.sectionSize(c) for c in range(header.count())]
    assert sizes[2] == max(sizes) and sizes[0] < 100  # not "Xây…" beside a wide code column
    for column in (0, 1, 4, 5, 6):  # codes, numbers, dates, statuses: whole, headers too
        hint = max(header.sectionSizeHint(column), view.sizeHintForColumn(column))
        assert header.sectionSize(column) >= hint - 2


def test_column_widths_a_user_set_come_back_in_the_next_session(qtbot, demo_db, paths, tmp_path):
    state = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    window = _window(qtbot, demo_db, paths)
    window.show_page(1)
    window.plan_page.view.horizontalHeader().resizeSection(3, 333)  # the user drags a border
    save_columns(state, window)
    state.sync()
    again = _window(qtbot, demo_db, paths)
    page = again.plan_page  # built
    restore_columns(QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat), page)
    again.show_page(1)
    assert page.view.horizontalHeader().sectionSize(3) == 333
    page.reload()  # coming back to the page keeps them too
    assert page.view.horizontalHeader().sectionSize(3) == 333
