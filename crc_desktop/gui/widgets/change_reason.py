"""The reason for changing a period that is submitted or approved, asked in a field on the page
(shown only for such a period), never in a dialog that pops up while the user types.

One reason serves a period for the whole sitting: the grid, the progress page and the imports of
a window share it (`SessionReasons`) until the user changes it; it is recorded with each change.
When the user starts typing in a cell while no reason is written yet, the bar takes the focus
with that keystroke, and Enter brings the user back to the cell.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QWidget

from crc_desktop.core.i18n import Translator
from crc_desktop.core.rules.workflow import PeriodState


class SessionReasons(QObject):
    """The reason given for each period in this window's sitting (period code → reason)."""

    changed = Signal(str, str)  # period code, reason

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._reasons: dict[str, str] = {}

    def get(self, period: str) -> str:
        return self._reasons.get(period, "")

    def set(self, period: str, reason: str) -> None:
        reason = reason.strip()
        if period and self._reasons.get(period, "") != reason:
            self._reasons[period] = reason
            self.changed.emit(period, reason)


class ChangeReasonBar(QWidget):
    """Shown for a submitted or approved period; `reason()` is what the user wrote (once per
    period and sitting: it is recorded with each change)."""

    returned = Signal()  # the user pressed Enter in the field: back to where they were typing

    def __init__(self, tr: Translator, reasons: SessionReasons | None = None) -> None:
        super().__init__()
        self._tr = tr
        self._reasons = reasons or SessionReasons(self)
        self._period = ""
        self.label = QLabel()
        self.label.setStyleSheet("color:#664d03; font-weight:bold")
        self.edit = QLineEdit()
        self.edit.setObjectName("change_reason")
        self.edit.setPlaceholderText(tr("e.g. figures corrected by the commune police"))
        self.hint = QLabel()
        self.hint.setStyleSheet("color:#664d03")
        self.setStyleSheet("ChangeReasonBar { background:#fff3cd; }")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.label)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.hint)
        self.hide()
        self.edit.textEdited.connect(self._on_edit_text_edited)
        self.edit.returnPressed.connect(self._on_edit_return_pressed)
        self._reasons.changed.connect(self._on_reasons_changed)

    def set_state(self, state: str, period: str = "") -> None:
        """A new period (or state): the field shows for a period that needs a reason, with the
        reason already given for it in this sitting."""
        self._period = period
        self.edit.setText(self._reasons.get(period) if period else "")
        self.hint.clear()
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

    def ask(self) -> None:
        """The user started typing where a reason is needed first: the field takes the focus and
        says how to go back."""
        self.hint.setText(self._tr("Enter: back to the table"))
        self.edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_edit_text_edited(self, text: str) -> None:
        if self._period:
            self._reasons.set(self._period, text)

    def _on_edit_return_pressed(self) -> None:
        if self.reason():
            self.hint.clear()
            self.returned.emit()

    def _on_reasons_changed(self, period: str, reason: str) -> None:
        if period == self._period and self.edit.text().strip() != reason:
            self.edit.setText(reason)  # given on another page of this window
