"""The ministry's window: adding provinces' certificates, loading the inbox, the dashboard."""

from __future__ import annotations

from crc_desktop.core.ministry.store import open_store
from tests.gui.user import choose_tab, click


def test_the_ministry_window_loads_the_inbox_and_shows_who_submitted(
    qtbot, national_inputs, tmp_path, monkeypatch
):
    from crc_desktop.core.i18n import Translator
    from crc_desktop.gui.ministry_window import MinistryWindow
    from crc_desktop.gui.tasks import TaskRunner

    store = open_store(str(tmp_path / "national.db"), tmp_path / "backups")
    trust = tmp_path / "trust"
    window = MinistryWindow(store, trust, Translator("vi"), TaskRunner(synchronous=True))
    qtbot.addWidget(window)
    window.show()
    choose_tab(window.tabs, "Chứng thư của các tỉnh")
    for code in ("46", "79"):
        window.province_box.setCurrentIndex(window.province_box.findData(code))
        monkeypatch.setattr(window, "ask_certificate", lambda c=code: national_inputs.trust / f"{c}-ca.pem")
        click(window.add_button)
    assert window.registry.rowCount() == 2
    monkeypatch.setattr(window, "ask_folder", lambda: national_inputs.bundles)
    choose_tab(window.tabs, "Gói nhận được")
    click(window.load_button)
    results = [window.inbox.item(r, 1).text() for r in range(window.inbox.rowCount())]
    assert results.count("đã nạp") == 2 and results.count("bị từ chối") == 32
    window.period_box.setCurrentText("2025")
    assert "2/34 tỉnh, thành phố đã nộp" in window.summary.text()
    store.close()


def test_the_ministry_window_command_saves_its_screenshot_and_exits_cleanly(tmp_path):
    """Run as a user would. Its widgets outlived the application now and then, and the process
    died on the way out (bus error, about one run in two): four clean runs in a row."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CRC_DESKTOP_HOME=str(tmp_path / "home"))
    for run in range(4):
        target = tmp_path / f"ministry-{run}.png"
        command = [sys.executable, "-m", "crc_desktop", "ministry", "window", "--screenshot", str(target)]
        command += ["--db", str(tmp_path / "national.db"), "--trust", str(tmp_path / "trust")]
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert "deleted directly" not in done.stderr
        assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
