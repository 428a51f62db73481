"""A date field as Excel users expect one: type "01/01/2026" (or pick it in a calendar that opens
at the field's date, or today, in the application's language); empty means no date.

QDateEdit threw a typed date away when its "no date" text was shown, and opened its calendar at
its minimum date (January 2000): this field is a line edit, read with the same `parse_date` as
every file the program reads.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QEvent, QPoint, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QApplication, QCalendarWidget, QHBoxLayout, QLineEdit, QToolButton, QWidget

from crc_desktop.core.i18n import Translator, parse_date

INVALID_STYLE = "QLineEdit { background:#f8d7da; }"
_PASSED_KEYS = (Qt.Key_Tab, Qt.Key_Backtab, Qt.Key_Return, Qt.Key_Enter, Qt.Key_Escape)


class DateField(QWidget):
    """`date()` is the date typed or picked, None when empty; `is_valid()` is False for text that
    is not a date (the field turns red and says which form it expects)."""

    date_changed = Signal()

    def __init__(self, tr: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tr = tr
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(tr("dd/mm/yyyy"))
        self.edit.setMaxLength(10)
        metrics = self.edit.fontMetrics()
        self.edit.setMinimumWidth(metrics.horizontalAdvance("00/00/00000") + 16)
        self.button = QToolButton()
        self.button.setText("▾")
        self.button.setToolTip(tr("Choose in a calendar"))
        self.button.setFocusPolicy(Qt.NoFocus)
        self.calendar: QCalendarWidget | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.button)
        self.setFocusProxy(self.edit)
        self.edit.installEventFilter(self)
        self.edit.textChanged.connect(self._on_edit_text_changed)
        self.button.clicked.connect(self.open_calendar)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        """Keys that end the editing, and leaving the field, are the field's own: a table cell
        editing a date (see cell_editors) sees them as it sees a line edit's."""
        if watched is self.edit and event.type() == QEvent.Type.KeyPress and event.key() in _PASSED_KEYS:
            copy = QKeyEvent(event.type(), event.key(), event.modifiers(), event.text())
            QApplication.sendEvent(self, copy)
            event.setAccepted(copy.isAccepted())
            return True
        if watched is self.edit and event.type() == QEvent.Type.FocusOut:
            QApplication.sendEvent(self, QFocusEvent(QEvent.Type.FocusOut, event.reason()))
        return False

    def date(self) -> dt.date | None:
        """The date shown; ValueError when the text is not a date."""
        text = self.edit.text().strip()
        return parse_date(text) if text else None

    def is_valid(self) -> bool:
        try:
            self.date()
        except ValueError:
            return False
        return True

    def set_date(self, value: dt.date | None) -> None:
        self.edit.setText(self._tr.date(value))

    def text(self) -> str:
        return self.edit.text().strip()

    def open_calendar(self) -> QCalendarWidget:
        """The calendar, at the field's date or else today; picking a day fills the field."""
        if self.calendar is None:
            self.calendar = QCalendarWidget(self)
            self.calendar.setWindowFlags(Qt.Popup)
            self.calendar.setGridVisible(True)
            self.calendar.setFirstDayOfWeek(Qt.Monday)
            self.calendar.clicked.connect(self._on_calendar_clicked)
            self.calendar.activated.connect(self._on_calendar_clicked)
        try:
            current = self.date()
        except ValueError:
            current = None
        self.calendar.setLocale(self.locale())
        self.calendar.setSelectedDate(QDate(current) if current else QDate.currentDate())
        below = self.mapToGlobal(QPoint(0, self.height()))
        self.calendar.move(below)
        self.calendar.show()
        self.calendar.setFocus()
        return self.calendar

    def _on_calendar_clicked(self, day: QDate) -> None:
        self.set_date(day.toPython())
        if self.calendar is not None:
            self.calendar.hide()
        self.edit.setFocus()

    def _on_edit_text_changed(self, _text: str) -> None:
        valid = self.is_valid()
        self.edit.setStyleSheet("" if valid else INVALID_STYLE)
        self.edit.setToolTip("" if valid else self._tr("Write the date as dd/mm/yyyy, e.g. 31/12/2026."))
        self.date_changed.emit()
