"""The first start on a new database: which province this office reports for."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QLabel, QVBoxLayout

from crc_desktop.core.i18n import Translator


class FirstRunDialog(QDialog):
    def __init__(self, tr: Translator, provinces: list[tuple[str, str]], parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("CRC Desktop"))
        self.province = QComboBox()
        for code, name in provinces:
            self.province.addItem(f"{code} — {name}", code)
        text = QLabel(
            tr(
                "This database is new. Which province or city does this office report for? "
                "The reference catalogues are loaded for it; the office profile can be changed "
                "later in Settings."
            )
        )
        text.setWordWrap(True)
        buttons = QDialogButtonBox()
        buttons.addButton(tr("OK"), QDialogButtonBox.AcceptRole)
        buttons.addButton(tr("Cancel"), QDialogButtonBox.RejectRole)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.province)
        layout.addWidget(buttons)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

    def code(self) -> str:
        return self.province.currentData()
