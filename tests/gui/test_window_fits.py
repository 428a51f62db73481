"""The window on an office screen: it starts within the screen, every page works at 1366×768 and
1024×700, the menu bar offers the program's commands, and the periods page shows its signing
steps to the user."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication, QMenu

from crc_desktop.app import Settings
from crc_desktop.core.i18n import Translator
from crc_desktop.gui import main_window as main_window_module
from crc_desktop.gui.main_window import PAGE_NAMES, MainWindow
from crc_desktop.gui.tasks import TaskRunner
from tests.gui.user import answer, assert_reachable, click, trigger, type_text


def _window(qtbot, context, paths, size=(1366, 768)) -> MainWindow:
    window = MainWindow(context, Translator("vi"), paths, Settings(), TaskRunner(synchronous=True))
    qtbot.addWidget(window)
    window.show()
    window.resize(*size)
    qtbot.waitExposed(window)
    return window


def _approve(context) -> None:
    """Arrange an approved period (the steps before it are tested elsewhere)."""
    from sqlalchemy import select

    from crc_desktop.core.db.models import ReportingPeriodRecord
    from crc_desktop.core.db.uow import UnitOfWork

    with UnitOfWork(context.database, context.actor, write=True) as uow:
        uow.session.scalar(select(ReportingPeriodRecord).filter_by(code="2025")).state = "approved"
        uow.commit()


# 1093×614: what a 1366×768 laptop leaves at 125 % scaling, Windows' default on such screens
@pytest.mark.parametrize("size", [(1366, 768), (1024, 700), (1093, 614)])
def test_every_page_fits_an_office_screen(qtbot, demo_db, paths, size):
    window = _window(qtbot, demo_db, paths, size)
    for name in PAGE_NAMES:
        window.show_page(name)
        QApplication.processEvents()
        assert window.minimumSizeHint().height() <= min(size[1], 699), name
        assert (window.width(), window.height()) == size, f"{name} forces the window to grow"
        status = window.statusBar()
        assert_reachable(status)
        bottom = status.mapTo(window, status.rect().bottomLeft()).y()
        assert bottom < window.height(), f"the status bar is below the window on {name}"


def test_the_window_starts_at_the_screen_s_free_area_and_within_it(qtbot, demo_db, paths):
    window = MainWindow(demo_db, Translator("vi"), paths, Settings(), TaskRunner(synchronous=True))
    qtbot.addWidget(window)
    screen = QApplication.primaryScreen().availableGeometry()
    assert window.geometry().size() == screen.size()  # the first start fills the free area
    window.resize(2400, 1500)  # remembered from a larger screen
    window.move(900, 700)
    window.close()
    again = MainWindow(demo_db, Translator("vi"), paths, Settings(), TaskRunner(synchronous=True))
    qtbot.addWidget(again)
    assert screen.contains(QRect(again.pos(), again.size()))


def test_an_approved_period_can_be_signed_and_checked_with_buttons_on_screen(qtbot, demo_db, paths):
    _approve(demo_db)
    window = _window(qtbot, demo_db, paths, (1024, 700))
    window.show_page("periods")
    page = window.periods_page
    page.reload("2025")
    assert_reachable(page.export_button)
    assert_reachable(page.verify_button)
    assert "Chưa có gói đã ký" in page.exported.text()


def test_a_draft_period_says_when_it_can_be_signed(qtbot, demo_db, paths):
    window = _window(qtbot, demo_db, paths)
    window.show_page("periods")
    page = window.periods_page
    assert not page.export_button.isEnabled()
    assert "phê duyệt" in page.exported.text()
    assert_reachable(page.verify_button)  # any bundle can be checked, whatever the period's state


def test_submitting_with_blocking_problems_asks_first_and_shows_the_count(qtbot, demo_db, paths):
    window = _window(qtbot, demo_db, paths)
    window.show_page("periods")
    page = window.periods_page
    blocking = len(demo_db.readiness.check("2025").blocking)
    asked = answer("Không")
    click(page.submit_button)
    qtbot.waitUntil(lambda: bool(asked))
    assert f"còn {blocking} vấn đề" in asked[0].text()
    assert demo_db.periods.get("2025").state == "draft"  # the user said no
    answer("Có")
    click(page.submit_button)
    qtbot.waitUntil(lambda: demo_db.periods.get("2025").state == "submitted")


def _menu(window: MainWindow, title: str) -> QMenu:
    menus = {a.text().replace("&", ""): a.menu() for a in window.menuBar().actions()}
    assert title in menus, f"no menu {title!r} in {list(menus)}"
    return menus[title]


def _entry(menu: QMenu, title: str):
    """The menu's entry called `title` (Undo's text goes on with what it undoes)."""
    entries = {a.text().replace("&", ""): a for a in menu.actions() if not a.isSeparator()}
    found = [action for text, action in entries.items() if text == title or text.startswith(title + " ")]
    assert found, f"no entry {title!r} in {list(entries)}"
    return found[0]


def test_the_menu_bar_has_the_program_s_commands_with_their_shortcuts(qtbot, demo_db, paths):
    window = _window(qtbot, demo_db, paths)
    titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert titles == ["Tệp", "Sửa", "Xem", "Kỳ báo cáo", "Trợ giúp"]
    assert _entry(_menu(window, "Xem"), "Kỳ báo cáo và ký").shortcut().toString() == "Ctrl+6"
    assert _entry(_menu(window, "Sửa"), "Hoàn tác").shortcut().toString() == "Ctrl+Z"
    trigger(_entry(_menu(window, "Xem"), "Kỳ báo cáo và ký"))
    assert window.current_page_name() == "periods"


def test_undo_in_the_edit_menu_undoes_the_last_edit_in_the_grid(qtbot, demo_db, paths):
    from tests.gui.user import press, type_text

    window = _window(qtbot, demo_db, paths)
    window.show_page("indicators")
    grid = window.indicators_page
    model = grid.model
    row = next(i for i, r in enumerate(model.grid.rows) if r.value_type == "integer")
    index = model.index(row, 1)
    before = model.data(index)
    grid.view.setCurrentIndex(index)
    type_text(grid.view, "7")  # the first key opens the editor, as in Excel
    press(grid.view.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: model.data(index) == "7")
    undo = _entry(_menu(window, "Sửa"), "Hoàn tác")
    _menu(window, "Sửa").aboutToShow.emit()
    trigger(undo)
    qtbot.waitUntil(lambda: model.data(index) == before)


def test_the_period_menu_offers_what_the_period_allows(qtbot, demo_db, paths):
    _approve(demo_db)
    window = _window(qtbot, demo_db, paths)
    menu = _menu(window, "Kỳ báo cáo")
    window.periods_page.reload("2025")
    menu.aboutToShow.emit()
    assert _entry(menu, "Ký số và xuất gói…").isEnabled()
    assert not _entry(menu, "Gửi xem xét").isEnabled()


def test_choosing_another_language_offers_to_restart_now(qtbot, demo_db, paths, monkeypatch):
    exits = []
    monkeypatch.setattr(main_window_module.QApplication, "exit", staticmethod(exits.append))
    window = _window(qtbot, demo_db, paths)
    window.show_page("settings")
    page = window.settings_page
    page.language.setCurrentIndex(page.language.findData("en"))
    asked = answer("Có")
    click(page.save_user_button)
    assert asked and "Khởi động lại" in asked[0].text()
    assert exits == [main_window_module.RESTART_EXIT_CODE]
    assert not window.isVisible()


def test_a_page_s_dividers_stay_where_the_user_left_them(qtbot, demo_db, paths):
    from PySide6.QtWidgets import QSplitter

    window = _window(qtbot, demo_db, paths)
    window.show_page("periods")
    divider = window.periods_page.splitter
    divider.setSizes([300, 900])
    left = divider.sizes()[0]
    window.close()
    again = _window(qtbot, demo_db, paths)
    again.show_page("periods")
    assert again.periods_page.splitter.sizes()[0] == left
    assert isinstance(again.periods_page.splitter, QSplitter)


@pytest.fixture
def error_handlers(paths):
    """The handlers `run_gui` installs, taken down after the test."""
    import logging
    import sys

    from PySide6.QtCore import qInstallMessageHandler

    from crc_desktop.gui.main import install_error_handlers

    previous, handlers = sys.excepthook, list(logging.getLogger().handlers)
    yield install_error_handlers(paths, Translator("vi"))
    sys.excepthook = previous
    qInstallMessageHandler(None)
    for handler in logging.getLogger().handlers:
        if handler not in handlers:
            logging.getLogger().removeHandler(handler)
            handler.close()


@pytest.mark.qt_no_exception_capture
def test_an_unexpected_error_writes_a_crash_report_and_shows_where(
    qtbot, demo_db, paths, monkeypatch, error_handlers
):
    from PySide6.QtCore import qWarning

    window = _window(qtbot, demo_db, paths)
    window.show_page("periods")
    page = window.periods_page

    def broken(code):
        raise RuntimeError("a bug of ours")

    monkeypatch.setattr(demo_db.periods, "create", broken)
    type_text(page.new_code, "2027")
    shown = answer("Đồng ý")
    click(page.new_button)  # the slot raises: the hook of the whole program takes it
    qtbot.waitUntil(lambda: bool(shown))
    reports = list(paths.logs.glob("crash-*.txt"))
    assert len(reports) == 1
    assert "Lỗi ngoài dự kiến" in shown[0].text() and str(reports[0]) in shown[0].text()
    text = reports[0].read_text("utf-8")
    assert "a bug of ours" in text and "crc-desktop" in text and "Traceback" in text
    qWarning("cảnh báo của Qt")
    log = (paths.logs / "crc-desktop.log").read_text("utf-8")
    assert "cảnh báo của Qt" in log and "a bug of ours" in log


def test_f1_opens_the_user_guide_in_the_system_s_viewer(qtbot, demo_db, paths, monkeypatch):
    from crc_desktop.gui import main_window as module

    opened = []
    opens = staticmethod(lambda url: opened.append(url) or True)  # a PDF viewer is installed
    monkeypatch.setattr(module.QDesktopServices, "openUrl", opens)
    window = _window(qtbot, demo_db, paths)
    guide = _entry(_menu(window, "Trợ giúp"), "Hướng dẫn sử dụng")
    assert guide.shortcut().toString() == "F1"
    trigger(guide)
    qtbot.waitUntil(lambda: bool(opened), timeout=60_000)
    pdf = opened[0].toLocalFile()
    with open(pdf, "rb") as stream:
        assert stream.read(5) == b"%PDF-"
