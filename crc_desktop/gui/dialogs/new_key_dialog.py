"""Asks for what a test key needs: the signer's name, a passphrase typed twice, and the folder
for the key files. It returns the request; it makes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crc_desktop.core.i18n import Translator
from crc_desktop.gui import file_dialogs

MIN_PASSPHRASE = 8


@dataclass(frozen=True)
class NewKeyRequest:
    name: str
    passphrase: str
    folder: Path


class NewKeyDialog(QDialog):
    def __init__(self, tr: Translator, name: str, folder: Path, parent=None) -> None:
        super().__init__(parent)
        self._tr = tr
        self.setWindowTitle(tr("Create a test key"))
        self.name = QLineEdit(name)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.Password)
        self.again = QLineEdit()
        self.again.setEchoMode(QLineEdit.Password)
        self.folder = QLineEdit(str(folder))
        browse = QPushButton(tr("Browse…"))
        browse.clicked.connect(self._on_browse_clicked)
        row = QWidget()
        row_layout = QHBoxLayout(row)
        row_layout.setContentsMargins(0, 0, 0, 0)
        row_layout.addWidget(self.folder)
        row_layout.addWidget(browse)
        warning = QLabel(
            tr(
                "A test key is made by this program, not by a certification authority: use it to "
                "try signing. Official reports are signed with the token or key file your CA issued."
            )
        )
        warning.setWordWrap(True)
        self.error = QLabel()
        self.error.setStyleSheet("color:#842029")
        form = QFormLayout()
        form.addRow(tr("Signer (name on the certificate)"), self.name)
        form.addRow(tr("Passphrase (at least 8 characters)"), self.passphrase)
        form.addRow(tr("Passphrase again"), self.again)
        form.addRow(tr("Save the key in"), row)
        buttons = QDialogButtonBox()
        self.create_button = buttons.addButton(tr("Create the key"), QDialogButtonBox.AcceptRole)
        buttons.addButton(tr("Cancel"), QDialogButtonBox.RejectRole)
        layout = QVBoxLayout(self)
        layout.addWidget(warning)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        self.request: NewKeyRequest | None = None

    def _on_browse_clicked(self) -> None:
        path = file_dialogs.choose_folder(self, self._tr("Save the key in"), Path(self.folder.text().strip()))
        if path:
            self.folder.setText(str(path))

    def _on_buttons_accepted(self) -> None:
        tr = self._tr
        if not self.name.text().strip():
            self.error.setText(tr("Type the signer's name."))
            return
        if len(self.passphrase.text()) < MIN_PASSPHRASE:
            self.error.setText(tr("The passphrase must be at least 8 characters long."))
            return
        if self.passphrase.text() != self.again.text():
            self.error.setText(tr("The two passphrases are not the same."))
            return
        self.request = NewKeyRequest(
            name=self.name.text().strip(),
            passphrase=self.passphrase.text(),
            folder=Path(self.folder.text().strip()),
        )
        self.passphrase.clear()
        self.again.clear()
        self.accept()
