"""The main window opens on a database and speaks Vietnamese by default."""

from __future__ import annotations

import os
import subprocess
import sys

from PySide6.QtWidgets import QLabel

from crc_desktop.app import Settings
from crc_desktop.core.i18n import Translator
from crc_desktop.gui.main_window import MainWindow
from crc_desktop.gui.tasks import TaskRunner


def test_main_window_shows_the_province_and_demo_banner(qtbot, demo_db, paths):
    window = MainWindow(demo_db, Translator("vi"), paths, Settings(), TaskRunner(synchronous=True))
    qtbot.addWidget(window)
    window.show()
    assert "Thành phố Huế" in window.windowTitle()
    assert "DỮ LIỆU MẪU" in window.windowTitle()
    texts = [label.text() for label in window.statusBar().findChildren(QLabel)]
    assert any("Kỳ 2025: dự thảo" in text and "Thành phố Huế" in text for text in texts)


def test_screenshot_command_writes_a_png(tmp_path):
    """Run as a user would, in its own process (it starts and quits its own Qt application)."""
    target = tmp_path / "shot.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CRC_DESKTOP_HOME=str(tmp_path / "home"))
    done = subprocess.run(
        [sys.executable, "-m", "crc_desktop", "--demo", "--screenshot", str(target)],
        env=env,
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_new_database_asks_for_its_province_first(qtbot, tmp_path, paths, monkeypatch):
    from crc_desktop.app import open_app
    from crc_desktop.gui import main as gui_main
    from crc_desktop.gui.first_run_dialog import FirstRunDialog

    context = open_app(tmp_path / "new.db", paths, create=True)
    assert context.setup.info().profile is None

    def choose_da_nang(dialog) -> int:
        qtbot.addWidget(dialog)
        dialog.province.setCurrentIndex(dialog.province.findData("48"))
        return 1

    monkeypatch.setattr(FirstRunDialog, "exec", choose_da_nang)
    assert gui_main._first_run(context, Translator("vi"))
    assert context.setup.info().profile.province_name == "Thành phố Đà Nẵng"
    context.close()
