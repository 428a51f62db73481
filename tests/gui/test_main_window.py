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
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        CRC_DESKTOP_HOME=str(tmp_path / "home"),
        TMPDIR=str(temporary),
        TEMP=str(temporary),
        TMP=str(temporary),
    )
    done = subprocess.run(
        [sys.executable, "-m", "crc_desktop", "--demo", "--screenshot", str(target)],
        env=env,
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert list(temporary.iterdir()) == []  # the demo database went with its folder
    assert not (tmp_path / "home" / "data" / "backups").exists()  # and left no backups behind


def test_a_new_database_asks_for_its_province_first(qtbot, tmp_path, paths, monkeypatch):
    from crc_desktop.app import open_app
    from crc_desktop.gui import main as gui_main
    from crc_desktop.gui.dialogs.first_run_dialog import FirstRunDialog

    context = open_app(tmp_path / "new.db", paths, create=True)
    assert context.setup.info().profile is None

    said = []

    def choose_da_nang(dialog) -> int:
        from tests.gui.user import type_text

        qtbot.addWidget(dialog)
        dialog.show()
        type_text(dialog.province, "48")  # the keyboard finds "48 — Thành phố Đà Nẵng"
        assert dialog.code() == "48"
        said.append(dialog.contents.text())
        return 1

    monkeypatch.setattr(FirstRunDialog, "exec", choose_da_nang)
    assert gui_main._first_run(context, Translator("vi"))
    info = context.setup.info()
    assert info.profile.province_name == "Thành phố Đà Nẵng"
    assert said[0].startswith(f"Cơ sở dữ liệu được nạp sẵn {info.counts['communes']} xã, phường, đặc khu")
    assert info.counts["communes"] == 94  # Đà Nẵng's wards, communes and its special zone, at once
    context.close()


def test_a_current_database_shows_its_overview_before_the_services_are_open(qtbot, demo_db, paths):
    from crc_desktop.gui.main import open_window

    path = demo_db.database.path
    expected = demo_db.overview.summary("2025")
    demo_db.close()
    window = open_window(path, paths, Settings(), Translator("vi"), user_name="", ask_province=False)
    qtbot.addWidget(window)
    try:
        # Nothing has run on the worker yet: the window shows what a read-only connection read.
        assert window.context is None
        assert f"{expected.values_entered:,}".replace(",", ".") in window.overview_page.values_bar.text()
        assert "Thành phố Huế" in window.windowTitle()
        window.show_page(1)  # the plan waits for the services...
        assert window._pages.currentWidget().text() == "Đang mở cơ sở dữ liệu…"
        assert not window.runner.busy  # ...which start loading once the window is on screen...
        window.show()
        qtbot.waitUntil(lambda: window.context is not None, timeout=60_000)
        window.wait_until_loaded()  # ...and the plan is built as soon as they are open
        assert window.current_page_name() == "plan" and window.plan_page.isVisible()
        assert window.plan_page.model.rowCount() > 0
    finally:
        window.runner.wait()
        if window.context:
            window.context.close()


def test_an_older_database_is_opened_and_migrated_before_the_window_shows(qtbot, demo_db, paths):
    import sqlite3

    from crc_desktop.core.db import engine
    from crc_desktop.gui.main import _glance, open_window

    path = demo_db.database.path
    demo_db.close()
    assert _glance(path) is not None
    connection = sqlite3.connect(path)
    connection.execute("UPDATE alembic_version SET version_num = '0002'")
    connection.commit()
    connection.close()
    assert _glance(path) is None  # not read before it is migrated
    migrated = []
    real_upgrade = engine.upgrade

    def upgrade(target):
        migrated.append(target)
        connection = sqlite3.connect(target)
        connection.execute("UPDATE alembic_version SET version_num = '0003'")  # 0003 is there already
        connection.commit()
        connection.close()

    engine.upgrade = upgrade
    try:
        window = open_window(path, paths, Settings(), Translator("vi"), user_name="", ask_province=False)
    finally:
        engine.upgrade = real_upgrade
    qtbot.addWidget(window)
    assert migrated == [path]
    assert window.context is not None
    window.context.close()


def test_when_the_services_cannot_open_the_window_says_why(qtbot, demo_db, paths, monkeypatch):
    from crc_desktop.core.errors import DatabaseError
    from crc_desktop.gui import main as gui_main

    path = demo_db.database.path
    demo_db.close()

    def locked(*_args, **_kwargs):
        raise DatabaseError("The file {path} is damaged: {error}", path=str(path), error="locked")

    shown = []
    monkeypatch.setattr(gui_main, "open_app", locked)
    monkeypatch.setattr(gui_main, "show_error", lambda _parent, tr, error: shown.append(error.render(tr)))
    window = gui_main.open_window(path, paths, Settings(), Translator("vi"), user_name="", ask_province=False)
    qtbot.addWidget(window)
    window.wait_until_loaded(timeout_ms=20_000)
    assert window.context is None
    assert shown and "locked" in shown[0]
    window.show_page(3)
    assert "locked" in window._pages.currentWidget().text()


def test_long_filter_names_leave_the_search_box_its_room(qtbot, demo_db, paths):
    window = MainWindow(demo_db, Translator("vi"), paths, Settings(), TaskRunner(synchronous=True))
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show_page(1)
    window.show()
    qtbot.waitExposed(window)
    assert window.plan_page.search.width() >= 250


def test_the_window_draws_at_200_percent_scaling(tmp_path):
    target = tmp_path / "shot.png"
    env = dict(
        os.environ, QT_QPA_PLATFORM="offscreen", QT_SCALE_FACTOR="2", CRC_DESKTOP_HOME=str(tmp_path / "home")
    )
    done = subprocess.run(
        [sys.executable, "-m", "crc_desktop", "--demo", "--screenshot", str(target)],
        env=env,
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    from PySide6.QtGui import QImage

    image = QImage(str(target))
    assert (image.width(), image.height()) == (2 * 1366, 2 * 768)  # every pixel drawn at twice the size


def test_the_window_reopens_at_the_size_and_layout_the_user_left(qtbot, demo_db, paths, tmp_path):
    window = MainWindow(demo_db, Translator("vi"), paths, Settings(), TaskRunner(synchronous=True))
    qtbot.addWidget(window)
    window.show()
    window.resize(760, 560)  # within the offscreen screen (800 x 600): Qt keeps a window on its screen
    window._splitter.setSizes([260, 500])
    window.close()
    again = MainWindow(demo_db, Translator("vi"), paths, Settings(), TaskRunner(synchronous=True))
    qtbot.addWidget(again)
    again.show()
    assert (again.width(), again.height()) == (760, 560)
    assert again._splitter.sizes()[0] == 260
    assert (paths.config / "window.ini").is_file()  # beside the settings, not in the system's registry

    shot = tmp_path / "shot.png"  # a screenshot (1366 x 768) does not change what the user left
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    database = str(demo_db.database.path)
    done = subprocess.run(
        [sys.executable, "-m", "crc_desktop", "gui", "--db", database, "--screenshot", shot],
        env=env,
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    third = MainWindow(demo_db, Translator("vi"), paths, Settings(), TaskRunner(synchronous=True))
    qtbot.addWidget(third)
    assert (third.width(), third.height()) == (760, 560)
