"""Saving one's settings while another program (an antivirus, OneDrive) holds the settings file:
the program waits a moment, then says so in Vietnamese; no crash report, the old settings kept."""

from __future__ import annotations

import os

from crc_desktop.app import Settings, load_settings, save_settings
from crc_desktop.core import files
from crc_desktop.core.i18n import Translator
from crc_desktop.gui.main_window import MainWindow
from crc_desktop.gui.tasks import TaskRunner
from tests.gui.user import button, click, when_dialog


def test_settings_held_by_another_program_are_refused_in_a_message(qtbot, demo_db, paths, monkeypatch):
    save_settings(paths, Settings(user_name="Nguyễn Văn An"))
    window = MainWindow(demo_db, Translator("vi"), paths, load_settings(paths), TaskRunner(synchronous=True))
    qtbot.addWidget(window)
    window.show()
    window.resize(1366, 768)
    window.show_page("settings")
    page = window.settings_page
    page.user_name.setText("Trần Thị Bình")

    def held(_source, _target):
        raise PermissionError(13, "The process cannot access the file: it is used by another process")

    monkeypatch.setattr(os, "replace", held)
    monkeypatch.setattr(files.time, "sleep", lambda _seconds: None)
    said: list[str] = []

    def read(box) -> None:
        said.append(box.text())
        click(button(box, "Đồng ý"))

    when_dialog(read)
    click(page.save_user_button)
    qtbot.waitUntil(lambda: bool(said), timeout=10_000)
    assert "settings.json" in said[0] and "phần mềm diệt virus" in said[0]
    assert page.user_note.text() != "Đã lưu."
    assert load_settings(paths).user_name == "Nguyễn Văn An"
    assert not list(paths.logs.glob("crash-*.txt"))
