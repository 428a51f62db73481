"""The task form: everything about one task of the plan. It returns a TaskInput and writes nothing."""

from __future__ import annotations

import datetime as dt

from pydantic import ValidationError
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from crc_desktop.core.i18n import Translator, parse_date, parse_number
from crc_desktop.core.rules.vocabulary import BudgetSource, TaskStatus, label
from crc_desktop.core.schemas.plan import BudgetInput, Choice, MilestoneInput, TaskInput
from crc_desktop.core.schemas.programmes import Programme
from crc_desktop.core.text import matches
from crc_desktop.gui.columns import fit_columns
from crc_desktop.gui.widgets.cell_editors import ChoiceDelegate, DateDelegate, MoneyDelegate
from crc_desktop.gui.widgets.date_field import DateField

STATUSES = tuple(TaskStatus)
SOURCES = tuple(BudgetSource)
ID_ROLE = Qt.UserRole + 1
MONEY_COLUMNS = (2, 3, 4)
PROGRAMME_COLUMN = 5


def programme_label(programme: Programme) -> str:
    return f"{programme.code} — {programme.name}"


def status_label(tr: Translator, status: str | None) -> str:
    return label(status, tr)


def source_label(tr: Translator, source: str) -> str:
    return label(source, tr)


class TaskDialog(QDialog):
    def __init__(
        self,
        tr: Translator,
        groups: list[Choice],
        agencies: list[Choice],
        recommendations: list[Choice],
        task: TaskInput | None = None,
        parent=None,
        programmes: list[Programme] | None = None,
        budget_programmes: dict[tuple[int, str], str] | None = None,
    ) -> None:
        super().__init__(parent)
        self._tr = tr
        # the programme catalogue a budget line's money can come through ("lồng ghép"); the
        # column is shown only when the page gives the catalogue
        self._programmes = {p.code: p for p in programmes or []}
        self._loaded_programmes = dict(budget_programmes or {})
        self.setWindowTitle(tr("Task of the plan"))
        self.resize(820, 640)
        self.code = QLineEdit()
        self.group = QComboBox()
        for group in groups:
            self.group.addItem(group.label, group.id)
        self.title_edit = QLineEdit()
        self.description = QPlainTextEdit()
        self.lead = QComboBox()
        self.lead.addItem("—", None)
        for agency in agencies:
            self.lead.addItem(agency.label, agency.id)
        self.status = QComboBox()
        for status in STATUSES:
            self.status.addItem(status_label(tr, status), status)
        self.start = DateField(tr)
        self.end = DateField(tr)
        self.coordinating = self._checklist(agencies)
        self.rec_search = QLineEdit()
        self.rec_search.setPlaceholderText(tr("Search recommendations"))
        self.recommendations = self._checklist(recommendations)
        self.milestones = self._table([tr("Milestone"), tr("Due (dd/mm/yyyy)"), tr("Done on (dd/mm/yyyy)")])
        self.milestones.setObjectName("milestones")
        for column in (1, 2):
            self.milestones.setItemDelegateForColumn(column, DateDelegate(tr, self.milestones))
        self.budget = self._table(
            [
                tr("Year"),
                tr("Source"),
                tr("Planned (đồng)"),
                tr("Allocated (đồng)"),
                tr("Spent (đồng)"),
                tr("Programme"),
            ]
        )
        self.budget.setObjectName("budget")
        self.budget.setItemDelegateForColumn(
            1, ChoiceDelegate([source_label(tr, s) for s in SOURCES], self.budget)
        )
        for column in MONEY_COLUMNS:
            self.budget.setItemDelegateForColumn(column, MoneyDelegate(tr, self.budget))
        self.budget.setItemDelegateForColumn(
            PROGRAMME_COLUMN,
            ChoiceDelegate(["—"] + [programme_label(p) for p in self._programmes.values()], self.budget),
        )
        self.budget.setColumnHidden(PROGRAMME_COLUMN, not self._programmes)
        self.error = QLabel()
        self.error.setStyleSheet("color:#842029")
        self.error.setWordWrap(True)

        general = QWidget()
        form = QFormLayout(general)
        form.addRow(tr("Code"), self.code)
        form.addRow(tr("Task group"), self.group)
        form.addRow(tr("Title"), self.title_edit)
        form.addRow(tr("Description"), self.description)
        form.addRow(tr("Lead agency"), self.lead)
        form.addRow(tr("Status"), self.status)
        dates = QHBoxLayout()
        dates.addWidget(self.start)
        dates.addWidget(QLabel("→"))
        dates.addWidget(self.end)
        form.addRow(tr("Time frame"), dates)
        links = QWidget()
        links_layout = QHBoxLayout(links)
        left, right = QVBoxLayout(), QVBoxLayout()
        left.addWidget(QLabel(tr("Coordinating agencies")))
        left.addWidget(self.coordinating)
        right.addWidget(QLabel(tr("Recommendations answered")))
        right.addWidget(self.rec_search)
        right.addWidget(self.recommendations)
        links_layout.addLayout(left)
        links_layout.addLayout(right, 2)
        tabs = QTabWidget()
        self.tabs = tabs
        tabs.addTab(general, tr("General"))
        tabs.addTab(links, tr("Agencies and recommendations"))
        tabs.addTab(self._with_buttons(self.milestones), tr("Milestones"))
        tabs.addTab(self._with_buttons(self.budget), tr("Budget"))
        buttons = QDialogButtonBox()
        buttons.addButton(tr("Save"), QDialogButtonBox.AcceptRole)
        buttons.addButton(tr("Cancel"), QDialogButtonBox.RejectRole)
        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        self.rec_search.textChanged.connect(self._on_rec_search_text_changed)
        self.result_input: TaskInput | None = None
        if task:
            self._load(task)
        fit_columns(self.milestones, stretch=[0], whole=[1, 2])
        fit_columns(self.budget, stretch=[1, PROGRAMME_COLUMN], whole=[0, 2, 3, 4])

    # -- building --------------------------------------------------------------------------

    def _checklist(self, choices: list[Choice]) -> QListWidget:
        widget = QListWidget()
        for choice in choices:
            item = QListWidgetItem(choice.label)
            item.setData(ID_ROLE, choice.id)
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            item.setCheckState(Qt.Unchecked)
            widget.addItem(item)
        return widget

    def _table(self, headers: list[str]) -> QTableWidget:
        table = QTableWidget(0, len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.horizontalHeader().setStretchLastSection(True)
        table.setSelectionBehavior(QAbstractItemView.SelectRows)
        return table

    def _with_buttons(self, table: QTableWidget) -> QWidget:
        widget = QWidget()
        layout = QVBoxLayout(widget)
        layout.addWidget(table)
        row = QHBoxLayout()
        add, remove = QPushButton(self._tr("Add a row")), QPushButton(self._tr("Remove the row"))
        add.clicked.connect(lambda: self._add_row(table))
        remove.clicked.connect(lambda: table.removeRow(table.currentRow()))
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        layout.addLayout(row)
        return widget

    # -- loading and reading ----------------------------------------------------------------

    def _load(self, task: TaskInput) -> None:
        tr = self._tr
        self.code.setText(task.code)
        self.group.setCurrentIndex(self.group.findData(task.group))
        self.title_edit.setText(task.title)
        self.description.setPlainText(task.description)
        self.lead.setCurrentIndex(max(0, self.lead.findData(task.lead_agency_id)))
        self.status.setCurrentIndex(self.status.findData(task.status))
        self.start.set_date(task.start_on)
        self.end.set_date(task.end_on)
        _check(self.coordinating, set(task.coordinating_agency_ids))
        _check(self.recommendations, set(task.recommendation_ids))
        for milestone in task.milestones:
            self._append(
                self.milestones, [milestone.title, tr.date(milestone.due_on), tr.date(milestone.done_on)]
            )
        for line in task.budget:
            self._append(
                self.budget,
                [
                    str(line.fiscal_year),
                    source_label(tr, line.source),
                    tr.number(line.planned, 0),
                    tr.number(line.allocated, 0),
                    tr.number(line.spent, 0),
                    self._programme_label(self._loaded_programmes.get((line.fiscal_year, line.source))),
                ],
            )

    def _programme_label(self, code: str | None) -> str:
        programme = self._programmes.get(code or "")
        return programme_label(programme) if programme else (code or "—")

    def programme_changes(self) -> dict[tuple[int, str], str | None]:
        """After the form is read: the budget lines (year, source) whose programme the user set,
        changed or cleared, with the programme's code (None: none)."""
        return {
            key: code
            for key, code in getattr(self, "chosen_programmes", {}).items()
            if code != self._loaded_programmes.get(key)
        }

    def _append(self, table: QTableWidget, cells: list[str]) -> None:
        row = table.rowCount()
        table.insertRow(row)
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if table is self.budget and column in MONEY_COLUMNS:
                item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
            if table is self.budget and column == PROGRAMME_COLUMN:
                item.setToolTip(text)  # the programme's full name, cut in the cell
            table.setItem(row, column, item)

    def _add_row(self, table: QTableWidget) -> None:
        """A new row, its first cell ready for typing; a budget line starts as this year's state
        budget (the usual case), changed in its drop-down."""
        if table is self.budget:
            year = str(dt.date.today().year)
            self._append(table, [year, source_label(self._tr, SOURCES[0]), "0", "0", "0", "—"])
        else:
            self._append(table, ["", "", ""])
        table.setCurrentCell(table.rowCount() - 1, 0)
        table.setFocus()

    def read(self) -> TaskInput:
        """The form as a TaskInput; ValueError (naming the tab, row and what is expected) or
        ValidationError when something is not right."""
        tr = self._tr
        milestones = []
        for number, row in enumerate(_rows(self.milestones), start=1):
            if any(row):
                title, due, done = (row + ["", "", ""])[:3]
                milestones.append(
                    MilestoneInput(
                        title=title,
                        due_on=self._date_in(number, due, tr("Due (dd/mm/yyyy)")),
                        done_on=self._date_in(number, done, tr("Done on (dd/mm/yyyy)")) if done else None,
                    )
                )
        budget = []
        self.chosen_programmes: dict[tuple[int, str], str | None] = {}
        by_label = {programme_label(p): p.code for p in self._programmes.values()}
        sources = {source_label(tr, s): s for s in SOURCES} | {s: s for s in SOURCES}
        for number, row in enumerate(_rows(self.budget), start=1):
            if any(row):
                year, source, planned, allocated, spent, programme = (row + [""] * 6)[:6]
                if source not in sources:
                    raise ValueError(
                        tr(
                            "Budget tab, row {row}: choose the source in its list ({choices}).",
                            row=number,
                            choices=", ".join(source_label(tr, s) for s in SOURCES),
                        )
                    )
                budget.append(
                    BudgetInput(
                        fiscal_year=self._year_in(number, year),
                        source=sources[source],
                        planned=self._amount_in(number, planned),
                        allocated=self._amount_in(number, allocated),
                        spent=self._amount_in(number, spent),
                    )
                )
                line = budget[-1]
                self.chosen_programmes[(line.fiscal_year, line.source)] = by_label.get(programme)
        return TaskInput(
            code=self.code.text(),
            group=self.group.currentData(),
            title=self.title_edit.text(),
            description=self.description.toPlainText(),
            lead_agency_id=self.lead.currentData(),
            coordinating_agency_ids=_checked(self.coordinating),
            recommendation_ids=_checked(self.recommendations),
            start_on=self._field_date(self.start),
            end_on=self._field_date(self.end),
            status=self.status.currentData(),
            milestones=milestones,
            budget=budget,
        )

    def _field_date(self, field: DateField) -> dt.date | None:
        try:
            return field.date()
        except ValueError:
            raise ValueError(
                self._tr('Time frame: "{value}" is not a date written dd/mm/yyyy.', value=field.text())
            ) from None

    def _date_in(self, row: int, text: str, column: str) -> dt.date:
        try:
            return parse_date(text)
        except ValueError:
            raise ValueError(
                self._tr(
                    'Milestones tab, row {row}, {column}: "{value}" is not a date written dd/mm/yyyy.',
                    row=row,
                    column=column,
                    value=text,
                )
            ) from None

    def _year_in(self, row: int, text: str) -> int:
        if not text.isdigit():
            raise ValueError(self._tr('Budget tab, row {row}: "{value}" is not a year.', row=row, value=text))
        return int(text)

    def _amount_in(self, row: int, text: str) -> int:
        try:
            amount = parse_number(text or "0", self._tr.locale)
        except ValueError:
            amount = None
        if amount is None or amount != amount.to_integral_value():
            raise ValueError(
                self._tr(
                    'Budget tab, row {row}: "{value}" is not an amount in đồng (e.g. 120.000.000).',
                    row=row,
                    value=text,
                )
            )
        return int(amount)

    def _on_buttons_accepted(self) -> None:
        try:
            self.result_input = self.read()
        except ValidationError as error:
            first = error.errors()[0]
            field = ".".join(str(p) for p in first["loc"])
            self.error.setText(self._tr("Please check {field}: {problem}", field=field, problem=first["msg"]))
            return
        except ValueError as error:
            self.error.setText(self._tr("Please check the form: {problem}", problem=str(error)))
            return
        self.accept()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt override
        if event.key() in (Qt.Key_Return, Qt.Key_Enter) and self._editing_a_table():
            event.accept()  # Enter ends the cell's editing, as in Excel; it does not save the form
            return
        super().keyPressEvent(event)

    def _editing_a_table(self) -> bool:
        return any(
            table.state() == QAbstractItemView.EditingState or table.hasFocus()
            for table in (self.milestones, self.budget)
        )

    def _on_rec_search_text_changed(self, text: str) -> None:
        for index in range(self.recommendations.count()):
            item = self.recommendations.item(index)
            item.setHidden(not matches(text, item.text()))


def _rows(table: QTableWidget) -> list[list[str]]:
    return [
        [(table.item(r, c).text().strip() if table.item(r, c) else "") for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def _check(widget: QListWidget, ids: set[int]) -> None:
    for index in range(widget.count()):
        item = widget.item(index)
        item.setCheckState(Qt.Checked if item.data(ID_ROLE) in ids else Qt.Unchecked)


def _checked(widget: QListWidget) -> list[int]:
    return sorted(
        widget.item(i).data(ID_ROLE)
        for i in range(widget.count())
        if widget.item(i).checkState() == Qt.Checked
    )
