"""The ministry's window: the trust registry, loading the inbox, the dashboard."""

from __future__ import annotations

import shutil

from crc_desktop.core.ministry.store import open_store

from .user import assert_reachable, choose_tab, click


def _window(qtbot, tmp_path, trust, runner=None, store=None):
    """The window over a national store (a new one unless given); its jobs run at once unless
    given a real `runner`."""
    from crc_desktop.app import Paths
    from crc_desktop.core.i18n import Translator
    from crc_desktop.gui.ministry.ministry_window import MinistryWindow
    from crc_desktop.gui.tasks import TaskRunner

    store = store or open_store(str(tmp_path / "national.db"), tmp_path / "backups")
    runner = runner or TaskRunner(synchronous=True)
    window = MinistryWindow(store, trust, Translator("vi"), Paths.for_user().logs, runner)
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
    from crc_desktop.gui.ministry.ministry_window import COLUMN_MAXIMUM

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


class _OnTheGuiThread:
    """Notes every call into the national store, the trust registry or the shipped catalogues
    that is made on the GUI thread: each public method of the services (their constructors only
    keep the store), reading the registry's folder, and each SQL statement on the store."""

    SERVICES = ("NationalViews", "ConsolidationService", "TrustRegistry")

    def __init__(self, monkeypatch, store) -> None:
        import threading

        from sqlalchemy import event

        from crc_desktop.gui.ministry import ministry_window

        self.seen: list[str] = []

        def on_gui_thread() -> bool:
            return threading.current_thread() is threading.main_thread()

        def watched(name: str, function):
            def call(*args, **kwargs):
                if on_gui_thread():
                    self.seen.append(name)
                return function(*args, **kwargs)

            return call

        for service in self.SERVICES:
            cls = getattr(ministry_window, service)
            for attribute, value in vars(cls).items():
                if callable(value) and not attribute.startswith("_"):
                    monkeypatch.setattr(cls, attribute, watched(f"{service}.{attribute}", value))
        registry = ministry_window.TrustRegistry  # made, it reads its folder
        monkeypatch.setattr(registry, "__init__", watched("TrustRegistry()", registry.__init__))
        for function in ("provinces", "province_label"):
            monkeypatch.setattr(
                ministry_window, function, watched(function, getattr(ministry_window, function))
            )

        def statement(_connection, _cursor, sql, *_rest) -> None:
            if on_gui_thread():
                self.seen.append(f"SQL {sql.split()[0]}")

        event.listen(store.engine, "before_cursor_execute", statement)


def _settle(qtbot, window) -> None:
    """Wait as a user waits: until the worker has nothing left and its results are shown."""
    from PySide6.QtWidgets import QApplication

    for _ in range(3):
        qtbot.waitUntil(lambda: not window.runner.busy, timeout=120_000)
        QApplication.processEvents()


def test_the_ministry_window_never_reads_or_writes_on_the_gui_thread(
    qtbot, national_inputs, tmp_path, monkeypatch
):
    """The user registers two provinces' CAs, goes through the tabs, loads the folder of bundles,
    changes the period back and forth, exports the workbook and removes a certificate: every read
    and write runs on the worker (a real thread, as in the program), and the tables fill."""
    from openpyxl import load_workbook
    from PySide6.QtCore import Qt

    from crc_desktop.gui.tasks import TaskRunner

    from .user import answer, click_item, press

    runner = TaskRunner()
    store = open_store(str(tmp_path / "national.db"), tmp_path / "backups")
    watch = _OnTheGuiThread(monkeypatch, store)
    window, _ = _window(qtbot, tmp_path, tmp_path / "trust", runner, store)
    try:
        qtbot.waitUntil(lambda: window.submissions.rowCount() == 34, timeout=30_000)  # filled when read
        qtbot.waitUntil(lambda: window.province_box.count() == 35, timeout=30_000)
        choose_tab(window.tabs, "Chứng thư của các tỉnh")
        for code in ("46", "79"):
            window.province_box.setCurrentIndex(window.province_box.findData(code))
            monkeypatch.setattr(
                window, "ask_certificate", lambda c=code: national_inputs.trust / f"{c}-ca.pem"
            )
            click(window.add_button)
            _settle(qtbot, window)
        assert _column(window.registry, 0) == ["Thành phố Huế (46)", "Thành phố Hồ Chí Minh (79)"]

        choose_tab(window.tabs, "Gói nhận được")
        monkeypatch.setattr(window, "ask_folder", lambda: national_inputs.bundles)
        click(window.load_button)
        _settle(qtbot, window)
        assert _column(window.inbox, 1).count("đã nạp") == 2

        choose_tab(window.tabs, "Tổng hợp")
        assert "2/34 tỉnh, thành phố đã nộp" in window.summary.text()
        press(window.period_box, Qt.Key_Down)  # the next period, 2026: nothing submitted
        _settle(qtbot, window)
        assert window.period_box.currentText() == "2026"
        assert "0/34 tỉnh, thành phố đã nộp" in window.summary.text()
        press(window.period_box, Qt.Key_Up)
        _settle(qtbot, window)
        assert "2/34 tỉnh, thành phố đã nộp" in window.summary.text()

        workbook = tmp_path / "toan-quoc-2025.xlsx"
        monkeypatch.setattr(window, "ask_save_path", lambda: workbook)
        click(window.export_button)
        _settle(qtbot, window)
        assert str(workbook) in window.statusBar().currentMessage()
        sheets = load_workbook(workbook, read_only=True)
        texts = {str(c) for sheet in sheets for row in sheet.iter_rows(values_only=True) for c in row if c}
        assert "Thành phố Huế" in texts and "Thành phố Hồ Chí Minh" in texts

        choose_tab(window.tabs, "Chứng thư của các tỉnh")
        click_item(window.registry, window.registry.item(0, 0))
        answer("Có")
        click(window.remove_button)
        _settle(qtbot, window)
        assert _column(window.registry, 0) == ["Thành phố Hồ Chí Minh (79)"]

        assert watch.seen == [], f"called on the GUI thread: {sorted(set(watch.seen))}"
    finally:
        runner.wait()
        store.close()


def test_an_unexpected_error_while_loading_bundles_writes_a_crash_report_and_shows_its_path(
    qtbot, tmp_path, monkeypatch
):
    from crc_desktop import __version__
    from crc_desktop.gui.ministry import ministry_window

    from .pages import crash_report_shown

    def broken(*_args, **_kwargs):
        raise RuntimeError("a bug no rule of ours expected")

    monkeypatch.setattr(ministry_window.ConsolidationService, "consolidate", broken)
    window, store = _window(qtbot, tmp_path, tmp_path / "trust")
    choose_tab(window.tabs, "Gói nhận được")
    monkeypatch.setattr(window, "ask_folder", lambda: tmp_path)
    said, text = crash_report_shown(qtbot, lambda: click(window.load_button))
    assert "Lỗi" in said
    assert f"crc-desktop {__version__}" in text
    assert "RuntimeError: a bug no rule of ours expected" in text and "action: MinistryWindow" in text
    assert window.isVisible() and window.inbox.rowCount() == 0  # the window carries on, nothing loaded
    store.close()


def test_the_ministry_window_opens_within_the_screen(qtbot, tmp_path):
    """On a 1366×768 office screen the window (1280×800 where there is room) keeps its status
    bar on the screen."""
    from PySide6.QtGui import QGuiApplication

    window, store = _window(qtbot, tmp_path, tmp_path / "trust")
    area = QGuiApplication.primaryScreen().availableGeometry()
    assert window.width() <= area.width() and window.height() <= area.height()
    assert window.width() == min(1280, area.width()) and window.height() == min(800, area.height())
    store.close()
