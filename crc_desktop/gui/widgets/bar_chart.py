"""A small horizontal bar chart (value against target) painted with QPainter: no chart library."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

VALUE_COLOUR = QColor("#2f5597")
TARGET_COLOUR = QColor("#c55a11")


HEADROOM = 1.25  # the larger of a row's value and target fills 1/1.25 = 80 % of its scale


def row_scale(value: float | None, target: float | None) -> float:
    """The value at the right end of a row's scale. Each row has its own: a rate per 100,000 and a
    percentage on one shared axis made the percentages' bars look empty."""
    return max(abs(value or 0), abs(target or 0), 1e-9) * HEADROOM


class BarChart(QWidget):
    """Rows of (label, value, target); each value is a bar and each target a tick, on the row's own
    scale (the bar against its target is what the reader compares, not rows with each other)."""

    def __init__(self, title: str = "") -> None:
        super().__init__()
        self._title = title
        self._rows: list[tuple[str, float | None, float | None, str]] = []
        self.setMinimumHeight(120)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)

    def set_rows(self, rows: list[tuple[str, float | None, float | None, str]]) -> None:
        """(label, value, target, text shown after the bar)."""
        self._rows = rows
        self.setMinimumHeight(40 + 26 * max(1, len(rows)))
        self.update()

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.Antialiasing)
        metrics = painter.fontMetrics()
        painter.drawText(QRectF(0, 0, self.width(), 20), Qt.AlignLeft | Qt.AlignVCenter, self._title)
        if not self._rows:
            return
        label_width = max(metrics.horizontalAdvance(r[0]) for r in self._rows) + 10
        text_width = max(metrics.horizontalAdvance(r[3]) for r in self._rows) + 10
        scale_width = max(40, self.width() - label_width - text_width - 10)
        for index, (label, value, target, text) in enumerate(self._rows):
            maximum = row_scale(value, target)
            y = 28 + index * 26
            painter.setPen(self.palette().text().color())
            painter.drawText(QRectF(0, y, label_width - 6, 20), Qt.AlignRight | Qt.AlignVCenter, label)
            if value is not None:
                painter.fillRect(QRectF(label_width, y + 3, scale_width * value / maximum, 14), VALUE_COLOUR)
            if target is not None:
                x = label_width + scale_width * target / maximum
                painter.setPen(QPen(TARGET_COLOUR, 3))
                painter.drawLine(int(x), y, int(x), y + 20)
            painter.setPen(self.palette().text().color())
            painter.drawText(
                QRectF(label_width + scale_width + 6, y, text_width, 20), Qt.AlignLeft | Qt.AlignVCenter, text
            )
        painter.end()
