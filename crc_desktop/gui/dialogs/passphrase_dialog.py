"""Asks for a key file's passphrase (never kept), with our own button texts."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout

from crc_desktop.core.i18n import Translator


class PassphraseDialog(QDialog):
    def __init__(self, tr: Translator, prompt: str, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Passphrase"))
        label = QLabel(prompt)
        label.setWordWrap(True)
        self.secret = QLineEdit()
        self.secret.setEchoMode(QLineEdit.Password)
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton(tr("OK"), QDialogButtonBox.AcceptRole)
        buttons.addButton(tr("Cancel"), QDialogButtonBox.RejectRole)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.secret)
        layout.addWidget(buttons)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

    @classmethod
    def ask(cls, tr: Translator, prompt: str, parent=None) -> str | None:
        dialog = cls(tr, prompt, parent)
        return dialog.secret.text() if dialog.exec() == QDialog.Accepted else None
