"""The main window opens on a database and speaks Vietnamese by default."""

from __future__ import annotations

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
    from crc_desktop.cli import main

    target = tmp_path / "shot.png"
    assert main(["--demo", "--screenshot", str(target)]) == 0
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
