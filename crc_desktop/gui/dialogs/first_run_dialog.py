"""The first start on a new database: which province this office reports for."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QLabel, QVBoxLayout

from crc_desktop.core.i18n import Translator


class FirstRunDialog(QDialog):
    def __init__(
        self,
        tr: Translator,
        provinces: list[tuple[str, str]],
        communes: dict[str, int] | None = None,
        parent=None,
    ) -> None:
        super().__init__(parent)
        self._tr, self._communes = tr, communes or {}
        self.setWindowTitle(tr("CRC Desktop"))
        self.province = QComboBox()
        for code, name in provinces:
            self.province.addItem(f"{code} — {name}", code)
        self.contents = QLabel()
        self.contents.setWordWrap(True)
        self.province.currentIndexChanged.connect(self._on_province_current_index_changed)
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
        layout.addWidget(self.contents)
        layout.addWidget(buttons)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self._on_province_current_index_changed()

    def _on_province_current_index_changed(self, *_args) -> None:
        count = self._communes.get(self.code() or "", 0)
        self.contents.setText(
            self._tr(
                "It starts with its {communes} communes, wards and special zones (official list of "
                "1 July 2025 and later changes), its agencies, and the 24 indicators of the National "
                "Programme of Action for Children 2021-2030 with their national targets.",
                communes=self._tr.number(count, 0),
            )
        )

    def code(self) -> str:
        return self.province.currentData()
