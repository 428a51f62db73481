"""The reason for changing a period that is submitted or approved, asked in a field on the page
(shown only for such a period), never in a dialog that pops up while the user types."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QWidget

from crc_desktop.core.i18n import Translator
from crc_desktop.core.rules.workflow import PeriodState


class ChangeReasonBar(QWidget):
    """Shown for a submitted or approved period; `reason()` is what the user wrote (once per
    period and sitting: it is recorded with each change)."""

    def __init__(self, tr: Translator) -> None:
        super().__init__()
        self._tr = tr
        self.label = QLabel()
        self.label.setStyleSheet("color:#664d03; font-weight:bold")
        self.edit = QLineEdit()
        self.edit.setObjectName("change_reason")
        self.edit.setPlaceholderText(tr("e.g. figures corrected by the commune police"))
        self.setStyleSheet("ChangeReasonBar { background:#fff3cd; }")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.label)
        layout.addWidget(self.edit, 1)
        self.hide()

    def set_state(self, state: str) -> None:
        """A new period (or state): the field shows for a period that needs a reason, empty."""
        self.edit.clear()
        needed = PeriodState(state).needs_reason
        if needed:
            self.label.setText(
                self._tr("This period is {state}: why are its values changed?", state=self._tr.state(state))
            )
        self.setVisible(needed)

    @property
    def needed(self) -> bool:
        return not self.isHidden()

    def reason(self) -> str:
        return self.edit.text().strip()

    def missing(self) -> bool:
        """A reason is needed and none is written yet."""
        return self.needed and not self.reason()
