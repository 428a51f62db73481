"""After a backup is restored, the window closes its store and opens the restored file again:
every page shows what the backup holds, with no restart."""

from __future__ import annotations

from PySide6.QtWidgets import QScrollArea

from crc_desktop.app import Settings
from crc_desktop.core.i18n import Translator
from crc_desktop.core.services.backup import make_backup
from crc_desktop.gui.main_window import MainWindow
from crc_desktop.gui.pages import settings_page
from crc_desktop.gui.tasks import TaskRunner
from tests.gui.user import click


def _periods(window) -> list[str]:
    table = window.periods_page.table
    return [table.item(row, 0).text() for row in range(table.rowCount())]


def test_after_a_restore_the_window_shows_the_restored_data(qtbot, demo_db, paths, tmp_path, monkeypatch):
    backup = tmp_path / "sao-luu.db"
    make_backup(demo_db.database.path, backup, paths.backups)
    window = MainWindow(demo_db, Translator("vi"), paths, Settings(), TaskRunner(synchronous=True))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    demo_db.periods.create("2027")  # made after the backup
    window.show_page("periods")
    qtbot.waitUntil(lambda: "2027" in _periods(window))

    window.show_page("settings")
    monkeypatch.setattr(window.settings_page, "ask_restore_path", lambda: backup)
    monkeypatch.setattr(settings_page, "confirm", lambda *_args: True)
    button = window.settings_page.restore_button
    window.findChild(QScrollArea, "settings_scroll").ensureWidgetVisible(button)  # the user scrolls
    click(button)
    qtbot.waitUntil(lambda: window.context is not None and window.context is not demo_db)
    try:
        window.show_page("periods")
        qtbot.waitUntil(lambda: _periods(window) and "2027" not in _periods(window))
        assert "đóng chương trình" not in window.settings_page.backup_note.text()
        assert [p.code for p in window.context.setup.info().periods] == ["2024", "2025"]
    finally:
        window.context.close()
