"""The grid's table view: spreadsheet keys (Enter down, Tab right, Delete clears) and the
tab-separated clipboard that Excel reads and writes."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import QAbstractItemDelegate, QAbstractItemView, QTableView


def to_tsv(block: list[list[str]]) -> str:
    return "\n".join("\t".join(row) for row in block)


def from_tsv(text: str) -> list[list[str]]:
    """Rows of cells from Excel's clipboard (a trailing newline is not an extra row)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and lines[-1] == "":
        lines.pop()
    return [line.split("\t") for line in lines]


class GridView(QTableView):
    """Emits what the user wants done with the selection; the page does it."""

    clear_requested = Signal(list)  # indexes
    paste_requested = Signal(object, list)  # top-left index, block of texts

    def __init__(self) -> None:
        super().__init__()
        self.setEditTriggers(
            QAbstractItemView.AnyKeyPressed
            | QAbstractItemView.DoubleClicked
            | QAbstractItemView.EditKeyPressed
        )
        self.setSelectionMode(QAbstractItemView.ContiguousSelection)
        self.setAlternatingRowColors(True)
        self.verticalHeader().setDefaultSectionSize(24)
        self.horizontalHeader().setDefaultSectionSize(110)

    def closeEditor(self, editor, hint) -> None:  # noqa: N802 - Qt override
        super().closeEditor(
            editor, QAbstractItemDelegate.NoHint if hint == QAbstractItemDelegate.SubmitModelCache else hint
        )
        if hint == QAbstractItemDelegate.SubmitModelCache:
            self._move_down()

    def _move_down(self) -> None:
        current = self.currentIndex()
        below = current.sibling(current.row() + 1, current.column())
        if below.isValid():
            self.setCurrentIndex(below)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self.state() != QAbstractItemView.EditingState:
            if event.key() in (Qt.Key_Return, Qt.Key_Enter):
                self._move_down()
                return
            if event.key() in (Qt.Key_Delete, Qt.Key_Backspace):
                self.clear_requested.emit(self.selectedIndexes() or [self.currentIndex()])
                return
            if event.matches(QKeySequence.Copy):
                QGuiApplication.clipboard().setText(self.selection_text())
                return
            if event.matches(QKeySequence.Paste):
                block = from_tsv(QGuiApplication.clipboard().text())
                if block:
                    self.paste_requested.emit(self._top_left(), block)
                return
        super().keyPressEvent(event)

    def _top_left(self):
        indexes = self.selectedIndexes()
        if not indexes:
            return self.currentIndex()
        return min(indexes, key=lambda i: (i.row(), i.column()))

    def selection_text(self) -> str:
        indexes = self.selectedIndexes() or [self.currentIndex()]
        rows = sorted({i.row() for i in indexes})
        columns = sorted({i.column() for i in indexes})
        model = self.model()
        return to_tsv(
            [[str(model.data(model.index(r, c), Qt.EditRole) or "") for c in columns] for r in rows]
        )
