"""Files held for a moment: an antivirus scanning a new file, a sync client (OneDrive) uploading
it, Excel showing it. Windows then refuses the rename that replaces it (WinError 5 or 32); every
atomic replace of ours waits a little and tries again, then says who may hold the file."""

from __future__ import annotations

import os
import sys
import threading

import pytest

from crc_desktop.app import Paths, Settings, load_settings, save_settings, save_settings_quietly
from crc_desktop.core import files
from crc_desktop.core.files import FileHeld, replace_file
from crc_desktop.core.i18n import Translator
from crc_desktop.core.services.backup import make_backup

SHARING_VIOLATION = "The process cannot access the file because it is being used by another process"


def held(monkeypatch, times: int) -> list[tuple]:
    """os.replace refused `times` times, as while another program holds the file; the calls made."""
    calls: list[tuple] = []
    real = os.replace

    def replace(source, target):
        calls.append((source, target))
        if len(calls) <= times:
            raise PermissionError(13, SHARING_VIOLATION)
        return real(source, target)

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(files.time, "sleep", lambda _seconds: None)
    return calls


def test_a_file_held_for_a_moment_is_replaced_once_it_is_let_go(tmp_path, monkeypatch):
    calls = held(monkeypatch, times=3)
    (tmp_path / "new").write_text("mới", "utf-8")
    replace_file(tmp_path / "new", tmp_path / "settings.json")
    assert (tmp_path / "settings.json").read_text("utf-8") == "mới"
    assert len(calls) == 4


def test_a_file_held_for_good_is_refused_in_vietnamese_naming_who_may_hold_it(tmp_path, monkeypatch):
    calls = held(monkeypatch, times=1000)
    slept: list[float] = []
    monkeypatch.setattr(files.time, "sleep", slept.append)
    (tmp_path / "new").write_text("mới", "utf-8")
    (tmp_path / "bao-cao.pdf").write_text("cũ", "utf-8")
    with pytest.raises(FileHeld) as refused:
        replace_file(tmp_path / "new", tmp_path / "bao-cao.pdf")
    said = refused.value.render(Translator("vi"))
    assert "bao-cao.pdf" in said and "phần mềm diệt virus" in said and "OneDrive" in said
    assert len(calls) == len(files.RETRY_DELAYS) + 1
    assert slept == sorted(slept) and 2 < sum(slept) < 5  # a growing pause, a few seconds in all
    assert (tmp_path / "bao-cao.pdf").read_text("utf-8") == "cũ"


def test_other_errors_are_not_retried(tmp_path, monkeypatch):
    calls = held(monkeypatch, times=0)
    with pytest.raises(FileNotFoundError):
        replace_file(tmp_path / "missing", tmp_path / "target")
    assert len(calls) == 1


def test_exports_wait_for_a_held_target(demo_db, tmp_path, monkeypatch):
    calls = held(monkeypatch, times=2)
    target = tmp_path / "ke-hoach.xlsx"
    target.write_bytes(b"scanned by the antivirus")
    demo_db.reports.plan_workbook("2025", target)
    assert target.read_bytes()[:2] == b"PK" and len(calls) == 3


def test_a_backup_waits_for_a_held_copy(demo_db, tmp_path, monkeypatch, paths):
    calls = held(monkeypatch, times=2)
    info = make_backup(demo_db.database.path, tmp_path / "sao-luu.db", paths.backups)
    assert info.size > 0 and len(calls) == 3


def test_settings_that_cannot_be_saved_never_stop_the_program(tmp_path, monkeypatch):
    paths = Paths(tmp_path, tmp_path / "config", tmp_path)
    save_settings(paths, Settings(user_name="Nguyễn Văn An"))
    held(monkeypatch, times=1000)
    assert save_settings_quietly(paths, Settings(user_name="Trần Thị Bình")) is False
    assert load_settings(paths).user_name == "Nguyễn Văn An"
    with pytest.raises(FileHeld):
        save_settings(paths, Settings(user_name="Trần Thị Bình"))  # what the user saves is refused aloud


def test_the_window_opens_although_its_settings_cannot_be_saved(qapp, small_demo_file, monkeypatch, paths):
    from PySide6.QtCore import QTimer

    from crc_desktop.gui.main import run_gui, use_qt_texts

    calls = held(monkeypatch, times=1000)
    QTimer.singleShot(1500, qapp.quit)
    # the window deleted after the event loop would quit the application again, and every dialog
    # of the next tests would then return at once (Qt keeps that quit until the next exec)
    qapp.setQuitOnLastWindowClosed(False)
    try:
        assert (
            run_gui(small_demo_file, paths, Settings(user_name="Nguyễn Văn An")) == 0
        )  # no first-start question
    finally:
        qapp.setQuitOnLastWindowClosed(True)
    use_qt_texts("en")  # Qt's own texts as the next test expects them (tests/gui/conftest.py)
    assert any(str(target).endswith("settings.json") for _source, target in calls)  # it tried
    assert load_settings(paths).last_database == ""


@pytest.mark.skipif(sys.platform != "win32", reason="only Windows refuses to replace a file held open")
def test_a_file_held_open_by_another_handle_is_replaced_once_closed(tmp_path):
    target = tmp_path / "settings.json"
    target.write_text("cũ", "utf-8")
    (tmp_path / "new").write_text("mới", "utf-8")
    handle = open(target, "rb")  # noqa: SIM115 - held as another program holds it
    threading.Timer(0.3, handle.close).start()
    replace_file(tmp_path / "new", target)
    assert target.read_text("utf-8") == "mới"
    (tmp_path / "new").write_text("mới hơn", "utf-8")
    with open(target, "rb"), pytest.raises(FileHeld):
        replace_file(tmp_path / "new", target)
