"""The table model of the indicator entry grid: rows are indicator cells, columns are areas
(or the reverse). It reads an immutable PeriodGrid and the edits saved since; data() does no I/O.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from crc_desktop.core.i18n import Translator
from crc_desktop.core.rules.validation import explained, how_to_clear
from crc_desktop.core.schemas.values import CellValue, GridArea, GridRow, Issue, PeriodGrid

ERROR_BRUSH = QBrush(QColor("#f8d7da"))
WARNING_BRUSH = QBrush(QColor("#fff3cd"))
TOTAL_FONT = QFont()
TOTAL_FONT.setBold(True)
Index = QModelIndex | QPersistentModelIndex
# the roles as plain numbers: data() runs for every role of every cell painted, and looking up
# `Qt.DisplayRole` costs about 6 µs in PySide6 (a comparison of numbers 0.1 µs)
_DISPLAY, _EDIT = Qt.ItemDataRole.DisplayRole.value, Qt.ItemDataRole.EditRole.value
_TOOLTIP, _FONT = Qt.ItemDataRole.ToolTipRole.value, Qt.ItemDataRole.FontRole.value
_ALIGNMENT, _BACKGROUND = Qt.ItemDataRole.TextAlignmentRole.value, Qt.ItemDataRole.BackgroundRole.value
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_HORIZONTAL, _VERTICAL = Qt.Orientation.Horizontal, Qt.Orientation.Vertical
_READ = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_EDITABLE = _READ | Qt.ItemFlag.ItemIsEditable


class IndicatorGridModel(QAbstractTableModel):
    """Values of one period; `edit_requested` asks the page to save what the user typed."""

    edit_requested = Signal(int, int, str)  # cell id, area id, raw text

    def __init__(self, grid: PeriodGrid, tr: Translator, *, transposed: bool = False) -> None:
        super().__init__()
        self._grid = grid
        self._tr = tr
        self._transposed = transposed
        self._values: dict[tuple[int, int], CellValue | None] = {}
        self._issues: dict[tuple[int, int], list[Issue]] = dict(grid.issues)

    @property
    def grid(self) -> PeriodGrid:
        return self._grid

    @property
    def transposed(self) -> bool:
        return self._transposed

    def set_transposed(self, transposed: bool) -> None:
        self.beginResetModel()
        self._transposed = transposed
        self.endResetModel()

    # -- coordinates -------------------------------------------------------------------

    def row_and_area(self, index: Index) -> tuple[GridRow, GridArea]:
        r, c = (index.column(), index.row()) if self._transposed else (index.row(), index.column())
        return self._grid.rows[r], self._grid.areas[c]

    def index_of(self, cell_id: int, area_id: int) -> QModelIndex:
        r = next(i for i, row in enumerate(self._grid.rows) if row.cell_id == cell_id)
        c = next(i for i, area in enumerate(self._grid.areas) if area.id == area_id)
        return self.index(c, r) if self._transposed else self.index(r, c)

    def value(self, cell_id: int, area_id: int) -> CellValue | None:
        key = (cell_id, area_id)
        if key in self._values:
            return self._values[key]
        return self._grid.value(key)

    def issues(self, cell_id: int, area_id: int) -> list[Issue]:
        return self._issues.get((cell_id, area_id), [])

    def raw_text(self, cell_id: int, area_id: int) -> str:
        """What the user would type to get the stored value back (for undo and copy)."""
        value = self.value(cell_id, area_id)
        if value is None or (value.number is None and not value.text):
            return ""
        if value.text is not None:
            return value.text
        return self._tr.exact(value.number)

    # -- updates from saved edits and from the rules run in the background -------------

    def set_issues(self, issues: dict) -> None:
        """The period's rule findings, computed after the grid was shown."""
        self._issues = {key: list(found) for key, found in issues.items()}
        if self.rowCount() and self.columnCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))

    def apply_saved(self, values: dict, issues: dict) -> None:
        self._values.update(values)
        self._issues.update({key: list(found) for key, found in issues.items()})
        for cell_id, area_id in list(values) + list(issues):
            index = self.index_of(cell_id, area_id)
            self.dataChanged.emit(index, index)

    # -- Qt model interface ------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        if parent.isValid():
            return 0
        return len(self._grid.areas) if self._transposed else len(self._grid.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        if parent.isValid():
            return 0
        return len(self._grid.rows) if self._transposed else len(self._grid.areas)

    def headerData(self, section: int, orientation, role: int = Qt.DisplayRole):  # noqa: N802
        rows_axis = _HORIZONTAL if self._transposed else _VERTICAL
        if orientation == rows_axis:
            if not 0 <= section < len(self._grid.rows):
                return None
            row = self._grid.rows[section]
            if role == _DISPLAY:
                return f"{row.code}  {row.name[:60]}" if row.is_total else f"   {row.cell_label}"
            if role == _TOOLTIP:
                return f"{row.code} — {row.name}\n{row.cell_label} ({row.unit})"
            if role == _FONT and row.is_total:
                return TOTAL_FONT
            return None
        if not 0 <= section < len(self._grid.areas):
            return None
        area = self._grid.areas[section]
        if role == _DISPLAY:
            return area.name
        if role == _TOOLTIP:
            return f"{area.code} {area.name}"
        if role == _FONT and area.level == "province":
            return TOTAL_FONT
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.NoItemFlags
        return _EDITABLE if self._grid.state.editable else _READ

    def data(self, index: Index, role: int = Qt.DisplayRole):
        if not index.isValid():
            return None
        row, area = self.row_and_area(index)
        value = self.value(row.cell_id, area.id)
        if role == _DISPLAY:
            if value is None:
                return ""
            if value.text is not None:
                return value.text
            if value.number is None:
                return ""
            if row.value_type == "yesno":
                return self._tr("Yes") if value.number else self._tr("No")
            return self._tr.exact(value.number)  # as kept, every digit (12,345 is not 12,35)
        if role == _EDIT:
            return self.raw_text(row.cell_id, area.id)
        if role == _ALIGNMENT:
            return _RIGHT
        if role == _BACKGROUND:
            found = self.issues(row.cell_id, area.id)
            if any(i.severity == "error" for i in found):
                return ERROR_BRUSH
            if found:
                return WARNING_BRUSH
            return None
        if role == _FONT:
            italic = value is not None and value.follow_up
            if row.is_total or italic:
                font = QFont(TOTAL_FONT if row.is_total else QFont())
                font.setItalic(italic)
                font.setUnderline(italic)
                return font
            return None
        if role == _TOOLTIP:
            return self._tooltip(row, area, value)
        return None

    def _tooltip(self, row: GridRow, area: GridArea, value: CellValue | None) -> str:
        tr = self._tr
        lines = [f"{row.code} — {row.cell_label} — {area.name}"]
        if row.unit:
            lines.append(tr("Unit: {unit}", unit=row.unit))
        if row.target:
            lines.append(tr("Target: {target}", target=tr.target(row.target.comparator, row.target.value)))
        for issue in self.issues(row.cell_id, area.id):
            lines.append("⚠ " + tr(issue.message, **issue.params))
            if not explained(issue.severity, value.comment if value else ""):
                lines.append("   → " + tr(how_to_clear(issue.kind, issue.severity)))
        if value is not None and value.comment:
            lines.append(tr("Comment: {comment}", comment=value.comment))
        return "\n".join(lines)

    def setData(self, index: Index, value, role: int = Qt.EditRole) -> bool:  # noqa: N802
        if role != Qt.EditRole or not index.isValid():
            return False
        row, area = self.row_and_area(index)
        text = "" if value is None else str(value)
        if text == self.raw_text(row.cell_id, area.id):
            return False
        self.edit_requested.emit(row.cell_id, area.id, text)
        return False  # the page saves, then calls apply_saved
