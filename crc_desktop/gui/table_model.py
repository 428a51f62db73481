"""A read-only table model over immutable rows, described by a column spec, and a proxy that
sorts in Vietnamese order and filters with a predicate. data() does no I/O."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from crc_desktop.core.text import sort_key

ROW_ROLE = Qt.UserRole + 10
Index = QModelIndex | QPersistentModelIndex
# data() is called for every role of every cell at each paint: the roles are compared as plain
# numbers (looking up `Qt.DisplayRole` costs about 6 µs in PySide6, a comparison 0.1 µs)
_DISPLAY, _TOOLTIP = Qt.ItemDataRole.DisplayRole.value, Qt.ItemDataRole.ToolTipRole.value
_ALIGNMENT, _FOREGROUND = Qt.ItemDataRole.TextAlignmentRole.value, Qt.ItemDataRole.ForegroundRole.value
_ROW = int(ROW_ROLE)
_HORIZONTAL = Qt.Orientation.Horizontal
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


@dataclass(frozen=True)
class Column:
    title: str
    value: Callable[[Any], Any]
    align_right: bool = False
    foreground: Callable[[Any], Any] | None = None


class RowTableModel(QAbstractTableModel):
    def __init__(self, columns: Sequence[Column], rows: Sequence[Any] = ()) -> None:
        super().__init__()
        self._columns = list(columns)
        self._rows = list(rows)
        self._texts: dict[tuple[int, int], str] = {}  # each cell's text, made once (painting asks often)
        self._keys: dict[tuple[int, int], tuple] = {}  # each cell's sort key, made once

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._texts.clear()
        self._keys.clear()
        self.endResetModel()

    def replace_row(self, position: int, row: Any) -> None:
        self._rows[position] = row
        for column in range(len(self._columns)):
            self._texts.pop((position, column), None)
            self._keys.pop((position, column), None)
        self.dataChanged.emit(self.index(position, 0), self.index(position, len(self._columns) - 1))

    def row(self, index: int) -> Any:
        return self._rows[index]

    def rows(self) -> list[Any]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation, role: int = Qt.DisplayRole):  # noqa: N802
        if role == _DISPLAY and orientation == _HORIZONTAL and 0 <= section < len(self._columns):
            return self._columns[section].title
        return None

    def text(self, row: int, column: int) -> str:
        key = (row, column)
        text = self._texts.get(key)
        if text is None:
            value = self._columns[column].value(self._rows[row])
            text = self._texts[key] = "" if value is None else str(value)
        return text

    def sort_key(self, row: int, column: int) -> tuple:
        """Numbers as users write them ("1.234,5", "75%") by value and before words; words in
        Vietnamese order. Made once per cell: sorting compares each cell many times."""
        key = self._keys.get((row, column))
        if key is None:
            text = self.text(row, column)
            try:
                key = (0, float(text.rstrip("%").replace(".", "").replace(",", ".")), ())
            except ValueError:
                key = (1, 0.0, sort_key(text))
            self._keys[(row, column)] = key
        return key

    def data(self, index: Index, role: int = Qt.DisplayRole):
        if not index.isValid():
            return None
        if role == _DISPLAY or role == _TOOLTIP:
            return self.text(index.row(), index.column())
        row, column = self._rows[index.row()], self._columns[index.column()]
        if role == _ROW:
            return row
        if role == _ALIGNMENT and column.align_right:
            return _RIGHT
        if role == _FOREGROUND and column.foreground:
            return column.foreground(row)
        return None


class FilterProxy(QSortFilterProxyModel):
    """Sorts by the Vietnamese alphabet and keeps the rows a predicate accepts."""

    def __init__(self) -> None:
        super().__init__()
        self._accept: Callable[[Any], bool] = lambda _row: True

    def set_predicate(self, accept: Callable[[Any], bool]) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.9 and later
            self.beginFilterChange()
            self._accept = accept
            self.endFilterChange()
        else:
            self._accept = accept
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802
        model = self.sourceModel()
        return self._accept(model.data(model.index(source_row, 0, source_parent), ROW_ROLE))

    def lessThan(self, left: Index, right: Index) -> bool:  # noqa: N802
        model = self.sourceModel()  # a RowTableModel: its keys are made once, not at each comparison
        return model.sort_key(left.row(), left.column()) < model.sort_key(right.row(), right.column())
