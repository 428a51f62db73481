"""The province's agencies: listed with their kind and whether they are in use, added, renamed,
taken out of use, deleted when no task names them."""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from crc_desktop.core.errors import CrcError
from crc_desktop.core.i18n import Translator
from crc_desktop.core.schemas.agencies import AGENCY_KINDS, AgencyChanges, AgencyInput, AgencyRow
from crc_desktop.core.services.agencies import deletion_refusal
from crc_desktop.gui.messages import show_error


@dataclass(frozen=True)
class _Entry:
    """One agency as the dialog holds it while the user edits: `row` is what the database has
    (None for one added here)."""

    row: AgencyRow | None
    name: str
    short_name: str
    kind: str
    active: bool

    @classmethod
    def of(cls, row: AgencyRow) -> _Entry:
        return cls(row, row.name, row.short_name, row.kind, row.active)

    @property
    def changed(self) -> bool:
        return self.row is None or (self.name, self.short_name, self.kind, self.active) != (
            self.row.name,
            self.row.short_name,
            self.row.kind,
            self.row.active,
        )

    def as_input(self) -> AgencyInput:
        return AgencyInput(
            id=self.row.id if self.row else None,
            name=self.name.strip(),
            short_name=self.short_name.strip(),
            kind=self.kind,
            active=self.active,
        )


class AgenciesDialog(QDialog):
    """Lists the agencies and edits them in place; returns the changes (`result_changes`) and
    never writes to the database itself."""

    def __init__(self, tr: Translator, rows: list[AgencyRow], parent=None) -> None:
        super().__init__(parent)
        self._tr = tr
        self._entries = [_Entry.of(row) for row in rows]
        self._deleted: list[int] = []
        self._loading = False
        self.result_changes: AgencyChanges | None = None
        self.setWindowTitle(tr("The province's agencies"))

        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels(
            [tr("Code"), tr("Name"), tr("Short name"), tr("Kind"), tr("In use"), tr("Leads")]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.Stretch)
        self.table.setWordWrap(False)

        self.name = QLineEdit()
        self.short_name = QLineEdit()
        self.kind = QComboBox()
        self.kind.addItem("—", "")
        for kind, label in AGENCY_KINDS.items():
            self.kind.addItem(tr(label), kind)
        self.active = QCheckBox(tr("in use (offered for tasks and forms)"))
        self.active.setSizePolicy(QSizePolicy.Fixed, QSizePolicy.Fixed)  # a click beside its text misses it
        self.links = QLabel()
        self.links.setWordWrap(True)
        form = QFormLayout()
        form.addRow(tr("Name"), self.name)
        form.addRow(tr("Short name"), self.short_name)
        form.addRow(tr("Kind"), self.kind)
        form.addRow("", self.active)
        form.addRow("", self.links)

        self.add_button = QPushButton(tr("Add an agency"))
        self.delete_button = QPushButton(tr("Delete this agency"))
        row_buttons = QHBoxLayout()
        row_buttons.addWidget(self.add_button)
        row_buttons.addWidget(self.delete_button)
        row_buttons.addStretch(1)
        buttons = QDialogButtonBox()
        buttons.addButton(tr("OK"), QDialogButtonBox.AcceptRole)
        buttons.addButton(tr("Cancel"), QDialogButtonBox.RejectRole)

        layout = QVBoxLayout(self)
        intro = QLabel(
            tr(
                "The agencies that lead or coordinate the plan's tasks and report indicators. Choose "
                "one to change it below; an agency no longer in use keeps its name in the plan. "
                "Nothing is saved until you press OK."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addLayout(row_buttons)
        layout.addWidget(buttons)
        self.resize(980, 640)

        self.table.itemSelectionChanged.connect(self._on_table_item_selection_changed)
        self.name.textEdited.connect(self._on_field_edited)
        self.short_name.textEdited.connect(self._on_field_edited)
        self.kind.activated.connect(self._on_field_edited)
        self.active.toggled.connect(self._on_field_edited)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.delete_button.clicked.connect(self._on_delete_button_clicked)
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        self._fill()
        if self._entries:
            self.table.selectRow(0)

    # -- the table ------------------------------------------------------------------------------

    def _fill(self) -> None:
        self.table.setRowCount(len(self._entries))
        for number in range(len(self._entries)):
            self._show_row(number)
        for column in (0, 2, 4, 5):
            self.table.resizeColumnToContents(column)
        self.table.setColumnWidth(3, 300)  # the kinds are long: the rest shows in the field below
        self.table.setColumnWidth(5, max(self.table.columnWidth(5), 110))  # "12 nhiệm vụ"

    def _show_row(self, number: int) -> None:
        entry = self._entries[number]
        row = entry.row
        texts = (
            row.code if row else self._tr("(new)"),
            entry.name,
            entry.short_name,
            self._tr(AGENCY_KINDS[entry.kind]) if entry.kind else "—",
            self._tr("yes") if entry.active else self._tr("no"),
            self._tr("{count} tasks", count=len(row.leads)) if row and row.leads else "",
        )
        for column, text in enumerate(texts):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            self.table.setItem(number, column, item)

    def _current(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def _on_table_item_selection_changed(self) -> None:
        number = self._current()
        self._loading = True
        try:
            entry = self._entries[number] if number is not None else None
            for widget in (self.name, self.short_name, self.kind, self.active, self.delete_button):
                widget.setEnabled(entry is not None)
            if entry is None:
                self.links.setText("")
                return
            self.name.setText(entry.name)
            self.short_name.setText(entry.short_name)
            self.kind.setCurrentIndex(max(self.kind.findData(entry.kind), 0))
            self.active.setChecked(entry.active)
            self.links.setText(self._links(entry.row))
        finally:
            self._loading = False

    def _links(self, row: AgencyRow | None) -> str:
        if row is None or not (row.leads or row.coordinates):
            return ""
        return self._tr(
            "Leads {leads} task(s), coordinates {coordinates}.",
            leads=len(row.leads),
            coordinates=len(row.coordinates),
        )

    def _on_field_edited(self, *_args) -> None:
        number = self._current()
        if self._loading or number is None:
            return
        self._entries[number] = replace(
            self._entries[number],
            name=self.name.text(),
            short_name=self.short_name.text(),
            kind=self.kind.currentData() or "",
            active=self.active.isChecked(),
        )
        self._show_row(number)

    # -- adding and deleting --------------------------------------------------------------------

    def _on_add_button_clicked(self) -> None:
        self._entries.append(_Entry(None, "", "", "", True))
        self.table.setRowCount(len(self._entries))
        self._show_row(len(self._entries) - 1)
        self.table.selectRow(len(self._entries) - 1)
        self.table.scrollToBottom()
        self.name.setFocus()

    def _on_delete_button_clicked(self) -> None:
        number = self._current()
        if number is None:
            return
        row = self._entries[number].row
        refusal = deletion_refusal(row.name, row.leads, row.coordinates) if row is not None else None
        if refusal is not None:  # said now, not after OK
            show_error(self, self._tr, refusal)
            return
        if row is not None:
            self._deleted.append(row.id)
        del self._entries[number]
        self.table.removeRow(number)
        if self._entries:
            self.table.selectRow(min(number, len(self._entries) - 1))

    # -- the answer -----------------------------------------------------------------------------

    def _on_buttons_accepted(self) -> None:
        for number, entry in enumerate(self._entries):
            if not entry.name.strip():
                self.table.selectRow(number)
                show_error(self, self._tr, CrcError("An agency needs a name."))
                return
        saved = [entry.as_input() for entry in self._entries if entry.changed]
        if saved or self._deleted:
            self.result_changes = AgencyChanges(saved=saved, deleted=self._deleted)
        self.accept()
