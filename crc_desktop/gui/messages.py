"""Showing errors the user caused, in the user's language, with our own button texts."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from crc_desktop.core.errors import CrcError
from crc_desktop.core.i18n import Translator


def as_crc_error(error: Exception) -> CrcError:
    """The error to show: ours as it is, anything else as an unexpected error with its text."""
    return error if isinstance(error, CrcError) else CrcError("Unexpected error: {error}", error=str(error))


def show_error(parent: QWidget | None, tr: Translator, error: Exception) -> None:
    error = as_crc_error(error)
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
