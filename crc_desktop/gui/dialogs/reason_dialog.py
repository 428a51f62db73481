"""Asks why: reopening a period, or changing one that is submitted or approved."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout

from crc_desktop.core.i18n import N_, Translator


class ReasonDialog(QDialog):
    def __init__(self, tr: Translator, title: str, prompt: str, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText(tr("Reason"))
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton(tr("OK"), QDialogButtonBox.AcceptRole)
        buttons.addButton(tr("Cancel"), QDialogButtonBox.RejectRole)
        self.ok_button.setEnabled(False)
        layout = QVBoxLayout(self)
        label = QLabel(prompt)
        label.setWordWrap(True)
        layout.addWidget(label)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.text.textChanged.connect(self._on_text_changed)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

    def _on_text_changed(self) -> None:
        self.ok_button.setEnabled(bool(self.reason()))

    def reason(self) -> str:
        return self.text.toPlainText().strip()

    @classmethod
    def ask(cls, tr: Translator, title: str, prompt: str, parent=None) -> str | None:
        dialog = cls(tr, title, prompt, parent)
        return dialog.reason() if dialog.exec() == QDialog.Accepted else None

    @classmethod
    def ask_change(cls, tr: Translator, state: str, parent=None) -> str | None:
        """Why values of a submitted or approved period are changed (asked once per sitting)."""
        name = tr.state(state)
        prompt = N_(
            "This period is {state}. Why are its values changed? The reason is recorded with each change."
        )
        return cls.ask(
            tr,
            tr("Change a {state} period", state=name),
            tr(prompt, state=name),
            parent,
        )
