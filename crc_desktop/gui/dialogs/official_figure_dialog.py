"""Asks for an official figure to set over a computed province value: the figure, its source,
and why it replaces the computed one (all three needed)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
)

from crc_desktop.core.i18n import Translator
from crc_desktop.core.schemas.values import OfficialFigure


class OfficialFigureDialog(QDialog):
    def __init__(self, tr: Translator, what: str, computed: str, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Set an official figure"))
        self.figure = QLineEdit()
        self.source = QLineEdit()
        self.source.setPlaceholderText(tr("e.g. Statistics office, statistical yearbook 2025"))
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText(tr("Reason"))
        intro = QLabel(
            tr(
                "{what}: the computed figure is {computed}. An official figure replaces it in the "
                "report and the bundle, with its source; the computed one stays beside it.",
                what=what,
                computed=computed or "—",
            )
        )
        intro.setWordWrap(True)
        form = QFormLayout()
        form.addRow(tr("Official figure"), self.figure)
        form.addRow(tr("Source"), self.source)
        form.addRow(tr("Reason"), self.reason)
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton(tr("OK"), QDialogButtonBox.AcceptRole)
        buttons.addButton(tr("Cancel"), QDialogButtonBox.RejectRole)
        self.ok_button.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)
        for field in (self.figure, self.source):
            field.textChanged.connect(self._on_field_changed)
        self.reason.textChanged.connect(self._on_field_changed)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

    def _on_field_changed(self, *_args) -> None:
        self.ok_button.setEnabled(self.result_input() is not None)

    def result_input(self) -> OfficialFigure | None:
        raw, source = self.figure.text().strip(), self.source.text().strip()
        reason = self.reason.toPlainText().strip()
        if not (raw and source and reason):
            return None
        return OfficialFigure(raw=raw, source=source, reason=reason)
