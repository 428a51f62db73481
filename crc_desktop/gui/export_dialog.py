"""Asks how to sign a period's bundle: a PKCS#12 file or a USB token, the passphrase or PIN
(never stored), and where to write the bundle. It returns the request; it signs nothing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from crc_desktop.core.i18n import Translator


@dataclass(frozen=True)
class ExportRequest:
    use_token: bool
    p12: Path | None
    library: Path | None
    token: str
    key_label: str | None
    secret: str
    out: Path


class ExportDialog(QDialog):
    def __init__(self, tr: Translator, period: str, library: str, parent=None) -> None:
        super().__init__(parent)
        self._tr = tr
        self.setWindowTitle(tr("Sign and export period {code}", code=period))
        self.use_file = QRadioButton(tr("Key file (.p12/.pfx)"))
        self.use_token = QRadioButton(tr("USB token (PKCS#11)"))
        self.use_file.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.use_file)
        group.addButton(self.use_token)
        self.p12 = QLineEdit()
        self.library = QLineEdit(library)
        self.token = QLineEdit()
        self.key_label = QLineEdit()
        self.key_label.setPlaceholderText(tr("optional"))
        self.secret = QLineEdit()
        self.secret.setEchoMode(QLineEdit.Password)
        self.out = QLineEdit(str(Path.home()))
        self.error = QLabel()
        self.error.setStyleSheet("color:#842029")
        form = QFormLayout()
        form.addRow(self.use_file)
        form.addRow(tr("Key file"), self._with_browse(self.p12, self._on_p12_browse))
        form.addRow(self.use_token)
        form.addRow(tr("Token library"), self._with_browse(self.library, self._on_library_browse))
        form.addRow(tr("Token label"), self.token)
        form.addRow(tr("Key label"), self.key_label)
        form.addRow(tr("Passphrase or PIN"), self.secret)
        form.addRow(tr("Save the bundle in"), self._with_browse(self.out, self._on_out_browse))
        note = QLabel(tr("The passphrase or PIN is used for this signature only and is not kept."))
        note.setWordWrap(True)
        buttons = QDialogButtonBox()
        buttons.addButton(tr("Sign and export"), QDialogButtonBox.AcceptRole)
        buttons.addButton(tr("Cancel"), QDialogButtonBox.RejectRole)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        self.request: ExportRequest | None = None

    def _with_browse(self, edit: QLineEdit, slot) -> QWidget:
        widget = QWidget()
        row = QHBoxLayout(widget)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(edit)
        button = QPushButton(self._tr("Browse…"))
        button.clicked.connect(slot)
        row.addWidget(button)
        return widget

    def _on_p12_browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self._tr("Key file"), "", "PKCS#12 (*.p12 *.pfx)")
        if path:
            self.p12.setText(path)

    def _on_library_browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self._tr("Token library"), "", "PKCS#11 (*.dll *.so *.dylib)"
        )
        if path:
            self.library.setText(path)

    def _on_out_browse(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self._tr("Save the bundle in"), self.out.text())
        if path:
            self.out.setText(path)

    def _on_buttons_accepted(self) -> None:
        token = self.use_token.isChecked()
        if not self.secret.text():
            self.error.setText(self._tr("Type the passphrase or PIN."))
            return
        if token and not (self.library.text().strip() and self.token.text().strip()):
            self.error.setText(self._tr("Give the token library and the token label."))
            return
        if not token and not self.p12.text().strip():
            self.error.setText(self._tr("Choose the key file."))
            return
        self.request = ExportRequest(
            use_token=token,
            p12=Path(self.p12.text().strip()) if not token else None,
            library=Path(self.library.text().strip()) if token else None,
            token=self.token.text().strip(),
            key_label=self.key_label.text().strip() or None,
            secret=self.secret.text(),
            out=Path(self.out.text().strip()),
        )
        self.secret.clear()
        self.accept()
