"""A read-only table model over immutable rows, described by a column spec, and a proxy that
sorts and filters with a predicate. data() does no I/O.

A column sorts by data, never by the text it shows: by what its `sort` gives (a number, a date),
else by its value when that is a number or a date, else by its text in Vietnamese order. The
sort key is the model's SORT_ROLE, which the proxy sorts by."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from crc_desktop.core.text import sort_key

ROW_ROLE = Qt.UserRole + 10
SORT_ROLE = Qt.UserRole + 11  # the cell's sort key: numbers and dates as themselves
Index = QModelIndex | QPersistentModelIndex
# data() is called for every role of every cell at each paint: the roles are compared as plain
# numbers (looking up `Qt.DisplayRole` costs about 6 µs in PySide6, a comparison 0.1 µs)
_DISPLAY, _TOOLTIP = Qt.ItemDataRole.DisplayRole.value, Qt.ItemDataRole.ToolTipRole.value
_ALIGNMENT, _FOREGROUND = Qt.ItemDataRole.TextAlignmentRole.value, Qt.ItemDataRole.ForegroundRole.value
_ROW, _SORT = int(ROW_ROLE), int(SORT_ROLE)
_HORIZONTAL = Qt.Orientation.Horizontal
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


@dataclass(frozen=True)
class Column:
    title: str
    value: Callable[[Any], Any]
    align_right: bool = False
    foreground: Callable[[Any], Any] | None = None
    sort: Callable[[Any], Any] | None = None  # what the column sorts by, when it shows formatted text


def data_key(value: Any) -> tuple:
    """How a cell sorts: numbers by value, then dates, then words in Vietnamese order, then nothing."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return (0, float(value), ())
    if isinstance(value, dt.date):  # a datetime too
        return (1, 0.0, value.isoformat())
    if isinstance(value, tuple):  # (17, "a"): each part by its own kind
        return (2, 0.0, tuple(data_key(part) for part in value))
    if value is None:
        return (4, 0.0, ())
    return (3, 0.0, sort_key(str(value)))


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
        """The cell's sort key (`data_key` of its data). Made once per cell: sorting compares each
        cell many times."""
        key = self._keys.get((row, column))
        if key is None:
            spec = self._columns[column]
            key = self._keys[(row, column)] = data_key((spec.sort or spec.value)(self._rows[row]))
        return key

    def data(self, index: Index, role: int = Qt.DisplayRole):
        if not index.isValid():
            return None
        if role == _DISPLAY or role == _TOOLTIP:
            return self.text(index.row(), index.column())
        if role == _SORT:
            return self.sort_key(index.row(), index.column())
        row, column = self._rows[index.row()], self._columns[index.column()]
        if role == _ROW:
            return row
        if role == _ALIGNMENT and column.align_right:
            return _RIGHT
        if role == _FOREGROUND and column.foreground:
            return column.foreground(row)
        return None


class FilterProxy(QSortFilterProxyModel):
    """Sorts by the cells' SORT_ROLE and keeps the rows a predicate accepts."""

    def __init__(self) -> None:
        super().__init__()
        self.setSortRole(SORT_ROLE)
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
        # the SORT_ROLE's keys, read from the RowTableModel directly: through Qt, each comparison
        # would convert both keys (sorting compares each cell many times)
        model = self.sourceModel()
        return model.sort_key(left.row(), left.column()) < model.sort_key(right.row(), right.column())
