"""Who acts: the window asks the person's name at the first start on a computer account, keeps it
in that account's settings, shows it in the status bar and records it with each step."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit

from crc_desktop.app import Settings, load_settings
from crc_desktop.core.i18n import Translator
from crc_desktop.gui.main import run_gui
from crc_desktop.gui.main_window import MainWindow
from crc_desktop.gui.tasks import TaskRunner
from tests.gui.user import button, click, type_text, when_dialog


def test_the_first_start_asks_who_is_working_and_keeps_the_name(demo_db, paths, monkeypatch):
    from crc_desktop.gui import main

    opened = []
    monkeypatch.setattr(main, "install_error_handlers", lambda *_args: None)
    monkeypatch.setattr(main, "open_window", lambda *args, **kwargs: opened.append(kwargs) or None)

    def fill(dialog) -> None:
        type_text(dialog.findChild(QLineEdit), "Lê Văn Hùng")
        click(button(dialog, "Đồng ý"))

    seen = when_dialog(fill)
    assert run_gui(demo_db.database.path, paths, Settings(), remember=False) == 1
    assert seen and seen[0].windowTitle() == "Ai đang làm việc?"
    assert load_settings(paths).user_name == "Lê Văn Hùng"
    assert opened[0]["user_name"] == "Lê Văn Hùng"
    seen = when_dialog(lambda dialog: None, timeout_ms=300)  # known now: not asked again
    assert run_gui(demo_db.database.path, paths, load_settings(paths), remember=False) == 1
    assert not seen


def test_the_status_bar_shows_who_is_working(demo_db, paths, qtbot):
    window = MainWindow(demo_db, Translator("vi"), paths, Settings(), TaskRunner(synchronous=True))
    qtbot.addWidget(window)
    window.show()
    assert window.user_label.isVisible()
    assert window.user_label.text() == "Người làm việc: Trần Thị Bình"
