"""One action per command: a menu entry and the page's button that does the same are one QAction,
enabled and disabled together, and choosing the entry in its menu does what the button does,
whether or not its page was built yet."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMenu

from crc_desktop.app import Settings
from crc_desktop.core.i18n import Translator
from crc_desktop.gui.main_window import MainWindow
from crc_desktop.gui.pages import settings_page
from crc_desktop.gui.tasks import TaskRunner
from tests.gui.user import answer


def _window(qtbot, context, paths) -> MainWindow:
    window = MainWindow(context, Translator("vi"), paths, Settings(), TaskRunner(synchronous=True))
    qtbot.addWidget(window)
    window.show()
    window.resize(1366, 768)
    qtbot.waitExposed(window)
    return window


def _menu(window: MainWindow, title: str) -> QMenu:
    return next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == title)


def _entry(window: MainWindow, menu_title: str, title: str):
    return next(a for a in _menu(window, menu_title).actions() if a.text().replace("&", "") == title)


def _choose(qtbot, window: MainWindow, menu_title: str, title: str) -> None:
    """Open the menu by clicking its title in the menu bar, then click the entry, as a user does."""
    bar, menu = window.menuBar(), _menu(window, menu_title)
    QTest.mouseClick(bar, Qt.LeftButton, Qt.NoModifier, bar.actionGeometry(menu.menuAction()).center())
    qtbot.waitUntil(menu.isVisible)
    entry = _entry(window, menu_title, title)
    place = menu.actionGeometry(entry).center()
    QTest.mouseMove(menu, place)
    QTest.mouseClick(menu, Qt.LeftButton, Qt.NoModifier, place)
    qtbot.waitUntil(lambda: not menu.isVisible())


def _approve(context) -> None:
    from sqlalchemy import select

    from crc_desktop.core.db.models import ReportingPeriodRecord
    from crc_desktop.core.db.uow import UnitOfWork

    with UnitOfWork(context.database, context.actor, write=True) as uow:
        uow.session.scalar(select(ReportingPeriodRecord).filter_by(code="2025")).state = "approved"
        uow.commit()


def test_a_menu_entry_and_its_button_are_one_action(qtbot, demo_db, paths):
    window = _window(qtbot, demo_db, paths)
    window.show_page("periods")
    page = window.periods_page
    submit = _entry(window, "Kỳ báo cáo", "Gửi xem xét")
    assert submit is page.actions["submit"]
    submit.setEnabled(False)
    assert not submit.isEnabled() and not page.submit_button.isEnabled()
    submit.setEnabled(True)
    assert submit.isEnabled() and page.submit_button.isEnabled()

    window.show_page("settings")
    restore = _entry(window, "Tệp", "Khôi phục từ bản sao lưu…")
    assert restore is window.settings_page.actions["restore"] is window.restore_action
    restore.setEnabled(False)
    assert not window.settings_page.restore_button.isEnabled()


def test_the_period_menu_follows_the_selected_period_without_being_opened(qtbot, demo_db, paths):
    _approve(demo_db)
    window = _window(qtbot, demo_db, paths)
    window.show_page("periods")
    page = window.periods_page
    page.reload("2025")  # approved: it may be signed, not submitted
    submit, export = (
        _entry(window, "Kỳ báo cáo", "Gửi xem xét"),
        _entry(window, "Kỳ báo cáo", "Ký số và xuất gói…"),
    )
    assert not submit.isEnabled() and not page.submit_button.isEnabled()
    assert export.isEnabled() and page.export_button.isEnabled()


def test_choosing_submit_in_the_period_menu_submits_before_the_page_was_ever_shown(qtbot, demo_db, paths):
    window = _window(qtbot, demo_db, paths)
    assert window.current_page_name() == "overview"
    asked = answer("Có")  # "still has N problems that block signing. Submit it anyway?"
    _choose(qtbot, window, "Kỳ báo cáo", "Gửi xem xét")
    qtbot.waitUntil(lambda: demo_db.periods.get("2025").state == "submitted")
    assert asked and "Vẫn gửi xem xét?" in asked[0].text()
    assert window.current_page_name() == "periods"
    assert window.periods_page.submit_button.isVisible()
    assert not window.periods_page.submit_button.isEnabled()  # submitted: nothing more to submit
    assert not _entry(window, "Kỳ báo cáo", "Gửi xem xét").isEnabled()


def test_choosing_back_up_in_the_file_menu_writes_the_backup(qtbot, demo_db, paths, tmp_path, monkeypatch):
    target = tmp_path / "sao-luu.db"
    monkeypatch.setattr(settings_page.SettingsPage, "ask_backup_path", lambda _self: target)
    window = _window(qtbot, demo_db, paths)
    _choose(qtbot, window, "Tệp", "Sao lưu ngay…")
    qtbot.waitUntil(target.is_file)
    assert window.current_page_name() == "settings"
    assert str(target) in window.settings_page.backup_note.text()
