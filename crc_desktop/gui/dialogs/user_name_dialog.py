"""The first start for a person on this computer account: who is working, recorded with each change."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout

from crc_desktop.core.i18n import Translator


class UserNameDialog(QDialog):
    def __init__(self, tr: Translator, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Who is working?"))
        text = QLabel(
            tr(
                "Your full name is recorded with every change and every step of a period (beside "
                "the computer's login, which several people may share). Another person must approve "
                "what you submit. You can change it later in Settings."
            )
        )
        text.setWordWrap(True)
        self.name = QLineEdit()
        self.name.setPlaceholderText(tr("e.g. Nguyễn Thị Lan"))
        self._buttons = QDialogButtonBox()
        self._ok = self._buttons.addButton(tr("OK"), QDialogButtonBox.ButtonRole.AcceptRole)
        self._buttons.addButton(tr("Later"), QDialogButtonBox.ButtonRole.RejectRole)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.name)
        layout.addWidget(self._buttons)
        self._buttons.accepted.connect(self.accept)
        self._buttons.rejected.connect(self.reject)
        self.name.textChanged.connect(self._on_name_text_changed)
        self._on_name_text_changed()
        self.resize(460, self.sizeHint().height())

    def _on_name_text_changed(self, *_args) -> None:
        self._ok.setEnabled(bool(self.name.text().strip()))

    def user_name(self) -> str:
        return " ".join(self.name.text().split())
