"""The bundle-check dialog: the check runs on the worker; a refusal of ours is said in the dialog,
anything else leaves a crash report whose path the user is shown."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QApplication, QMessageBox

from crc_desktop.app import Paths
from crc_desktop.core.i18n import Translator
from crc_desktop.core.services.export import verify
from crc_desktop.gui.dialogs.verify_dialog import VerifyDialog
from crc_desktop.gui.tasks import TaskRunner
from tests.gui.pages import crash_report_shown, operations
from tests.gui.user import click, type_text


def _dialog(qtbot, runner: TaskRunner, check) -> VerifyDialog:
    dialog = VerifyDialog(Translator("vi"), operations(runner), check)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_a_refused_check_is_said_in_the_dialog_and_runs_off_the_gui_thread(qtbot, tmp_path):
    threads: list[bool] = []

    def check(bundle, trusted):
        threads.append(threading.current_thread() is threading.main_thread())
        return verify(bundle, trusted)

    runner = TaskRunner()  # a real worker thread, as in the program
    dialog = _dialog(qtbot, runner, check)
    missing = tmp_path / "no-such-ca.pem"
    type_text(dialog.bundle, str(tmp_path / "CRC-46-2025-v1.zip"))
    type_text(dialog.trust, str(missing))
    click(dialog.check_button)
    qtbot.waitUntil(lambda: bool(dialog.verdict.text()), timeout=10_000)
    assert threads == [False]
    assert dialog.verdict.text().startswith(f"Không đọc được {missing}")
    assert not list(Paths.for_user().logs.glob("crash-*.txt"))
    assert not any(isinstance(w, QMessageBox) and w.isVisible() for w in QApplication.topLevelWidgets())
    runner.wait()


def test_an_unexpected_error_in_the_check_writes_a_crash_report_and_shows_its_path(qtbot, tmp_path):
    def check(_bundle, _trusted):
        raise RuntimeError("a bug no rule of ours expected")

    dialog = _dialog(qtbot, TaskRunner(synchronous=True), check)
    type_text(dialog.bundle, str(tmp_path / "CRC-46-2025-v1.zip"))
    type_text(dialog.trust, str(tmp_path / "tin-cay"))
    said, text = crash_report_shown(qtbot, lambda: click(dialog.check_button))
    assert "Lỗi ngoài dự kiến" in said
    assert "RuntimeError: a bug no rule of ours expected" in text and "action: VerifyDialog" in text
    assert dialog.verdict.text() == "" and dialog.isVisible()
