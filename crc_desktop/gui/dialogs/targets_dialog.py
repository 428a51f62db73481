"""The province's own targets beside the national ones, for one year at a time."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from crc_desktop.core.errors import CrcError
from crc_desktop.core.i18n import Translator
from crc_desktop.core.schemas.targets import ProvincialTarget, Target, TargetRow
from crc_desktop.gui.messages import show_error


class TargetsDialog(QDialog):
    """Shows each indicator's national target and a field for the province's; returns the
    changes (`result_changes`) and never writes to the database itself."""

    def __init__(
        self,
        tr: Translator,
        years: list[int],
        read_rows: Callable[[int, Callable[[list[TargetRow]], None]], None],
        parent=None,
    ) -> None:
        """`read_rows(year, show)` reads a year's rows (off the GUI thread) and hands them to `show`."""
        super().__init__(parent)
        self._tr, self._read_rows = tr, read_rows
        self._rows: list[TargetRow] = []
        self._year: int | None = None  # the year whose rows are shown
        self.fields: dict[int, QLineEdit] = {}
        self.result_changes: list[ProvincialTarget] = []
        self.setWindowTitle(tr("The province's own targets"))
        self.year = QComboBox()
        for year in years:
            self.year.addItem(str(year), year)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(
            [tr("Code"), tr("Indicator"), tr("Unit"), tr("National target"), tr("Province's target")]
        )
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        self.table.verticalHeader().setVisible(False)
        buttons = QDialogButtonBox()
        buttons.addButton(tr("OK"), QDialogButtonBox.AcceptRole)
        buttons.addButton(tr("Cancel"), QDialogButtonBox.RejectRole)
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("Year")))
        top.addWidget(self.year)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                tr(
                    "Write the province's target as ≥ 80 or ≤ 12,5; "
                    "leave it empty to follow the national one."
                )
            )
        )
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(900, 600)
        self.year.currentIndexChanged.connect(self._on_year_current_index_changed)
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        self._on_year_current_index_changed()

    def _on_year_current_index_changed(self, *_args) -> None:
        """Keep what was typed for the year left, then show the year chosen."""
        self._collect()
        self._year = self.year.currentData()
        self._rows = []
        self.table.setRowCount(0)
        self.fields = {}
        if self._year is not None:
            year = self._year
            self._read_rows(year, lambda rows: self._show_rows(year, rows))

    def _show_rows(self, year: int, rows: list[TargetRow]) -> None:
        if year != self._year:
            return  # another year was chosen meanwhile
        self._rows = rows
        self.table.setRowCount(len(self._rows))
        self.fields = {}
        for number, row in enumerate(self._rows):
            national = self._tr.target(row.national.comparator, row.national.value) if row.national else "—"
            for column, text in enumerate((row.code, row.name, row.unit, national)):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemIsEditable)
                self.table.setItem(number, column, item)
            own = row.provincial
            field = QLineEdit(self._tr.target(own.comparator, own.value) if own else "")
            self.table.setCellWidget(number, 4, field)
            self.fields[row.indicator_id] = field
        for column in (0, 3, 4):
            self.table.resizeColumnToContents(column)
        self.table.setColumnWidth(4, max(self.table.columnWidth(4), 130))

    def _collect(self) -> bool:
        """Note the changes typed on the rows shown; False (and says why) if one is not a target."""
        for row in self._rows:
            text = self.fields[row.indicator_id].text().strip()
            try:
                target = None
                if text:
                    comparator, value = self._tr.read_target(text)
                    target = Target(comparator=comparator, value=value)
            except ValueError:
                show_error(
                    self,
                    self._tr,
                    CrcError("{value} is not a target: write it as ≥ 80 or ≤ 12,5.", value=text),
                )
                return False
            key = (row.indicator_id, self._year)
            self.result_changes = [c for c in self.result_changes if (c.indicator_id, c.year) != key]
            if target != row.provincial:
                self.result_changes.append(
                    ProvincialTarget(indicator_id=row.indicator_id, year=self._year, target=target)
                )
        return True

    def _on_buttons_accepted(self) -> None:
        if self._collect():
            self.accept()
