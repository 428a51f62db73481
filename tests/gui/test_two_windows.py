"""Two windows on one database: the second says who has it open and only reads.

The writer lock is released when its holder's process ends, even killed: a crash never
leaves the database locked for ever.
"""

from __future__ import annotations

import hashlib
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from crc_desktop.app import Settings, open_app
from crc_desktop.core.db.engine import backup_file
from crc_desktop.core.db.lock import lock_path
from crc_desktop.core.errors import ReadOnly
from crc_desktop.core.i18n import Translator
from crc_desktop.core.schemas.values import ValueEdit
from crc_desktop.gui.main_window import MainWindow
from crc_desktop.gui.tasks import TaskRunner
from tests.gui.user import assert_reachable


def _content(path) -> str:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return hashlib.sha256("\n".join(connection.iterdump()).encode()).hexdigest()
    finally:
        connection.close()


def _edit(context, raw: str) -> None:
    grid = context.values.grid("2025")
    row = next(r for r in grid.rows if r.value_type in ("integer", "decimal"))
    context.values.apply("2025", [ValueEdit(cell_id=row.cell_id, area_id=grid.areas[0].id, raw=raw)])


def test_a_second_window_says_who_has_the_database_and_changes_nothing(
    qtbot, small_demo_file, tmp_path, paths
):
    db = backup_file(small_demo_file, tmp_path / "hue.db")
    first = open_app(db, paths, user_name="Nguyễn Văn An", window=True)
    second = open_app(db, paths, user_name="Trần Thị Bình", window=True)
    window = MainWindow(second, Translator("vi"), paths, Settings(), TaskRunner(synchronous=True))
    qtbot.addWidget(window)
    window.show()
    assert window.windowTitle().endswith("— chỉ xem")
    notice = window.read_only_notice
    assert_reachable(notice)
    assert notice.text().startswith("Chỉ xem: Nguyễn Văn An (")
    before = _content(db)
    with pytest.raises(ReadOnly) as refused:
        _edit(second, "17")
    assert "Nguyễn Văn An" in refused.value.render(Translator("vi"))
    assert _content(db) == before
    _edit(first, "17")  # the first window writes as before
    assert _content(db) != before
    first.close()
    second.close()
    third = open_app(db, paths, user_name="Trần Thị Bình", window=True)  # the lock was let go
    assert third.database.held_by is None
    _edit(third, "18")
    third.close()


def test_a_killed_window_does_not_leave_the_database_locked(small_demo_file, tmp_path, paths):
    db = backup_file(small_demo_file, tmp_path / "hue.db")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from crc_desktop.core.db.lock import Holder, WriterLock;"
            "lock = WriterLock.try_acquire(sys.argv[1], Holder.current('Lê Văn Cường'));"
            "print('held', flush=True); time.sleep(120)",
            str(db),
        ],
        stdout=subprocess.PIPE,
    )
    try:
        assert holder.stdout.readline().strip() == b"held"
        blocked = open_app(db, paths, window=True)
        assert blocked.database.held_by is not None and blocked.database.held_by.user == "Lê Văn Cường"
        blocked.close()
    finally:
        holder.send_signal(signal.SIGKILL)  # a crash, a power cut: no chance to clean up
        holder.wait(timeout=30)
    time.sleep(0.1)
    assert lock_path(db).exists()  # the holder's words are still in the file...
    after = open_app(db, paths, window=True)
    assert after.database.held_by is None  # ...but the lock went with the process
    after.close()
