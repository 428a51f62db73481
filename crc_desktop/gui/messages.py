"""Showing errors the user caused, in the user's language, with our own button texts."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from crc_desktop.app import Paths
from crc_desktop.core.crash import write_crash_report
from crc_desktop.core.errors import CrcError
from crc_desktop.core.i18n import Translator


def as_crc_error(error: Exception, action: str = "") -> CrcError:
    """The error to show: ours as it is; anything else is written to a crash report in the log
    folder, and the user is told where it is."""
    if isinstance(error, CrcError):
        return error
    report = write_crash_report(Paths.for_user().logs, error, action)
    return CrcError("Unexpected error. A report was written to {path}.", path=str(report))


def show_error(parent: QWidget | None, tr: Translator, error: Exception) -> None:
    error = as_crc_error(error, parent.window().windowTitle() if parent is not None else "")
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Warning)
    box.setWindowTitle(tr("CRC Desktop"))
    box.setText(error.render(tr))
    problems = getattr(error, "problems", [])
    if problems:
        box.setDetailedText("\n".join(problem.render(tr) for problem in problems))
    box.addButton(tr("OK"), QMessageBox.AcceptRole)
    box.exec()


def confirm(parent: QWidget | None, tr: Translator, text: str) -> bool:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Question)
    box.setWindowTitle(tr("CRC Desktop"))
    box.setText(text)
    yes = box.addButton(tr("Yes"), QMessageBox.YesRole)
    box.addButton(tr("No"), QMessageBox.NoRole)
    box.exec()
    return box.clickedButton() is yes
