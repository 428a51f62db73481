"""The ministry's window: the trust registry, loading the inbox, the dashboard."""

from __future__ import annotations

import shutil

from crc_desktop.core.ministry.store import open_store

from .user import assert_reachable, choose_tab, click


def _window(qtbot, tmp_path, trust):
    from crc_desktop.core.i18n import Translator
    from crc_desktop.gui.ministry_window import MinistryWindow
    from crc_desktop.gui.tasks import TaskRunner

    store = open_store(str(tmp_path / "national.db"), tmp_path / "backups")
    window = MinistryWindow(store, trust, Translator("vi"), TaskRunner(synchronous=True))
    qtbot.addWidget(window)
    window.show()
    return window, store


def _column(table, column: int) -> list[str]:
    return [table.item(r, column).text() for r in range(table.rowCount())]


def test_the_ministry_window_loads_the_inbox_and_shows_who_submitted(
    qtbot, national_inputs, tmp_path, monkeypatch
):
    window, store = _window(qtbot, tmp_path, tmp_path / "trust")
    choose_tab(window.tabs, "Chứng thư của các tỉnh")
    for code in ("46", "79"):
        assert_reachable(window.province_box)
        window.province_box.setCurrentIndex(window.province_box.findData(code))
        monkeypatch.setattr(window, "ask_certificate", lambda c=code: national_inputs.trust / f"{c}-ca.pem")
        click(window.add_button)
    assert _column(window.registry, 0) == ["Thành phố Huế (46)", "Thành phố Hồ Chí Minh (79)"]
    assert sorted(p.name[:3] for p in (tmp_path / "trust").iterdir()) == ["46-", "79-"]
    choose_tab(window.tabs, "Gói nhận được")
    monkeypatch.setattr(window, "ask_folder", lambda: national_inputs.bundles)
    click(window.load_button)
    results = _column(window.inbox, 1)
    assert results.count("đã nạp") == 2 and results.count("bị từ chối") == 32
    window.period_box.setCurrentText("2025")
    assert "2/34 tỉnh, thành phố đã nộp" in window.summary.text()
    store.close()


def test_a_bundle_signed_with_another_provinces_certificate_is_refused_naming_both(
    qtbot, government_pki, government_trust, tmp_path, monkeypatch
):
    window, store = _window(qtbot, tmp_path, government_trust)
    choose_tab(window.tabs, "Chứng thư của các tỉnh")
    assert _column(window.registry, 0) == [
        "Thành phố Huế (46)",
        "Thành phố Hồ Chí Minh (79)",
        "chứng thư gốc",
    ]
    assert _column(window.registry, 2)[0] == "Sở Y tế thành phố Huế, Thành phố Huế"
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for bundle in [*government_pki.bundles.values(), government_pki.forged]:
        shutil.copy(bundle, inbox / f"{bundle.parent.name}-{bundle.name}")
    choose_tab(window.tabs, "Gói nhận được")
    monkeypatch.setattr(window, "ask_folder", lambda: inbox)
    click(window.load_button)
    rows = {
        window.inbox.item(r, 0).text(): window.inbox.item(r, 5).text() for r in range(window.inbox.rowCount())
    }
    assert _column(window.inbox, 1).count("đã nạp") == 2
    assert rows["forged-CRC-46-2025-v2.zip"] == (
        "gói ghi là của Thành phố Huế (46), nhưng người ký Sở Y tế Thành phố Hồ Chí Minh, "
        "Thành phố Hồ Chí Minh được đăng ký cho Thành phố Hồ Chí Minh (79)"
    )
    window.grab().save(str(tmp_path / "ministry-inbox.png"))
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


def _widest_text(table, column: int) -> int:
    metrics = table.fontMetrics()
    texts = [table.item(r, column).text() for r in range(table.rowCount())]
    header = table.horizontalHeaderItem(column).text()
    cells = max((metrics.horizontalAdvance(t) for t in texts), default=0)
    return max(cells, table.horizontalHeader().fontMetrics().horizontalAdvance(header))


def test_the_ministry_tables_size_their_columns_to_their_content(
    qtbot, national_inputs, tmp_path, monkeypatch
):
    """Each column is as wide as its widest text (up to a maximum, the rest in the tooltip): the
    last one no longer takes all the width left, and no short column is cut."""
    from crc_desktop.gui.ministry_window import COLUMN_MAXIMUM

    window, store = _window(qtbot, tmp_path, national_inputs.trust)
    window.resize(1366, 768)
    choose_tab(window.tabs, "Gói nhận được")
    monkeypatch.setattr(window, "ask_folder", lambda: national_inputs.bundles)
    click(window.load_button)
    window.period_box.setCurrentText("2025")
    checked = 0
    for title, table in (("Gói nhận được", window.inbox), ("Tổng hợp", window.submissions)):
        choose_tab(window.tabs, title)
        qtbot.waitUntil(lambda t=table: t.isVisible())
        qtbot.wait(50)  # the columns are fitted once the table is on screen and knows its width
        header = table.horizontalHeader()
        assert table.rowCount() > 0
        for column in range(table.columnCount()):
            text = _widest_text(table, column)
            width = header.sectionSize(column)
            assert width >= min(text, COLUMN_MAXIMUM), f"{title}: column {column} cuts its text"
            assert width <= max(text + 40, 60), f"{title}: column {column} is far wider than its text"
            checked += 1
        if title == "Gói nhận được":
            window.grab().save(str(tmp_path / "ministry-inbox.png"))
    assert checked >= 12
    store.close()
