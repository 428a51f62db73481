"""Two windows on one database: the second says who has it open and only reads.

The writer lock is released when its holder's process ends, even killed: a crash never
leaves the database locked for ever.
"""

from __future__ import annotations

import hashlib
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
        holder.kill()  # SIGKILL, TerminateProcess on Windows: a crash, a power cut, no chance to clean up
        holder.wait(timeout=30)
    time.sleep(0.1)
    assert lock_path(db).exists()  # the holder's words are still in the file...
    after = open_app(db, paths, window=True)
    assert after.database.held_by is None  # ...but the lock went with the process
    after.close()


def test_the_second_window_disables_every_edit_and_says_why(qtbot, small_demo_file, tmp_path, paths):
    """Nothing that would change the database is offered in the second window: its buttons, menu
    entries, grid, fields and drop zone are disabled, and each says why when pointed at."""
    from PySide6.QtCore import Qt

    from tests.gui.user import press

    db = backup_file(small_demo_file, tmp_path / "hue.db")
    first = open_app(db, paths, user_name="Nguyễn Văn An", window=True)
    second = open_app(db, paths, user_name="Trần Thị Bình", window=True)
    tr = Translator("vi")
    writer = MainWindow(first, tr, paths, Settings(), TaskRunner(synchronous=True))
    reader = MainWindow(second, tr, paths, Settings(), TaskRunner(synchronous=True))
    for window in (writer, reader):
        qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
    before = _content(db)
    try:
        notice = reader.read_only_notice
        assert notice.text().startswith("Chỉ xem: Nguyễn Văn An (")
        assert notice.width() >= notice.sizeHint().width()  # not cut off at 1366 px
        why = notice.toolTip()  # the whole reason, as every disabled control says it
        assert why.startswith("Chỉ xem: Nguyễn Văn An (") and "đóng cửa sổ kia" in why

        def disabled_saying_why(*controls) -> None:
            for control in controls:
                name = control.objectName() or getattr(control, "text", lambda: "")()
                assert not control.isEnabled(), f"{name} is enabled in the read-only window"
                assert control.toolTip() == why, f"{name} does not say why"

        def shown(window, name):
            window.show_page(name)
            return window.page(name)

        plan = shown(reader, "plan")
        disabled_saying_why(plan.add_button, plan.edit_button, plan.delete_button, plan.import_button)
        assert shown(writer, "plan").add_button.isEnabled()  # the first window writes as before
        for control in (plan.add_button, plan.import_button):  # visible, greyed, in its place
            assert control.isVisible() and control.width() > 0
        periods = shown(reader, "periods")
        disabled_saying_why(periods.new_button, periods.submit_button, periods.approve_button)
        disabled_saying_why(periods.reopen_button, periods.export_button)
        assert periods.check_button.isEnabled()  # reading is still offered
        periods.table.selectRow(0)  # another period chosen: its steps stay disabled
        disabled_saying_why(periods.submit_button)
        reader.period_menu.aboutToShow.emit()
        steps = {a.text().replace("&", ""): a for a in reader.period_menu.actions() if a.text()}
        disabled_saying_why(steps["Phê duyệt"], steps["Ký số và xuất gói…"])
        assert steps["Kiểm tra trước khi ký"].isEnabled()
        disabled_saying_why(reader.restore_action)

        grid = shown(reader, "indicators")
        disabled_saying_why(
            grid.comment_edit, grid.follow_up_box, grid.view.paste_action, grid.view.clear_action
        )
        assert grid.message.text() == why
        index = grid.model.index(0, 0)
        grid.view.setCurrentIndex(index)
        press(grid.view, Qt.Key_5)  # typing in a cell opens no editor
        assert grid.view.state() != grid.view.State.EditingState
        press(grid.view, Qt.Key_Delete)
        progress = shown(reader, "progress")
        disabled_saying_why(progress.editor)
        collection = shown(reader, "collection")
        disabled_saying_why(collection.import_button, collection.exempt_button, collection.drop_area)
        assert not collection.drop_area.acceptDrops()
        collection.board.selectRow(0)
        disabled_saying_why(collection.exempt_button)
        reports = shown(reader, "reports")
        disabled_saying_why(reports.import_button)
        assert reports.template_button.isEnabled()
        settings = shown(reader, "settings")
        disabled_saying_why(settings.save_profile_button, settings.office_name, settings.catalog_button)
        disabled_saying_why(settings.targets_button, settings.restore_button, settings.approval.save_button)
        disabled_saying_why(settings.agencies_button)
        disabled_saying_why(settings.signing_box.new_key_button, settings.signing_box.remove_button)
        assert settings.backup_button.isEnabled() and settings.save_user_button.isEnabled()
        assert _content(db) == before
    finally:
        for window in (writer, reader):
            window.close()
        first.close()
        second.close()
