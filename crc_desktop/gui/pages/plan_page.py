"""The plan page: tasks grouped by the seven task groups, filters, and add/edit/duplicate/delete."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crc_desktop.core.errors import CrcError
from crc_desktop.core.i18n import Translator
from crc_desktop.core.schemas.changes import Changes
from crc_desktop.core.schemas.plan import Choice
from crc_desktop.core.services.plan import PlanService
from crc_desktop.core.services.programmes import ProgrammeService
from crc_desktop.core.text import matches
from crc_desktop.gui import file_dialogs
from crc_desktop.gui.columns import fit_columns
from crc_desktop.gui.dialogs.programmes_dialog import ProgrammesDialog
from crc_desktop.gui.dialogs.reason_dialog import ReasonDialog
from crc_desktop.gui.dialogs.task_dialog import STATUSES, TaskDialog, status_label
from crc_desktop.gui.messages import confirm, show_error
from crc_desktop.gui.ops import Operations
from crc_desktop.gui.read_only import lock
from crc_desktop.gui.table_model import ROW_ROLE, Column, FilterProxy, RowTableModel


class PlanPage(QWidget):
    def __init__(
        self, plan: PlanService, ops: Operations, tr: Translator, programmes: ProgrammeService | None = None
    ) -> None:
        super().__init__()
        self._plan, self._ops, self._tr = plan, ops, tr
        self._programmes = programmes
        self._groups: list[Choice] = []
        self._agencies: list[Choice] = []
        self._recommendations: list = []
        self.model = RowTableModel(
            [
                Column(tr("Code"), lambda t: t.code),
                Column(tr("Group"), lambda t: t.group),
                Column(tr("Task"), lambda t: t.title),
                Column(tr("Lead agency"), lambda t: t.lead_agency),
                Column(tr("Recommendations"), lambda t: t.recommendations),
                Column(
                    tr("Time frame"),
                    lambda t: f"{tr.date(t.start_on)} – {tr.date(t.end_on)}",
                    sort=lambda t: t.start_on,
                ),
                Column(tr("Status"), lambda t: status_label(tr, t.status)),
            ]
        )
        self.proxy = FilterProxy()
        self.proxy.setSourceModel(self.model)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SingleSelection)
        self.view.setObjectName("plan_tasks")
        self.view.verticalHeader().setVisible(False)

        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Search (without diacritics is fine)"))
        self.group_filter = QComboBox()
        self.agency_filter = QComboBox()
        self.status_filter = QComboBox()
        self.rec_filter = QComboBox()
        self.add_button = QPushButton(tr("Add a task"))
        self.add_button.setShortcut(QKeySequence("Ctrl+N"))
        self.edit_button = QPushButton(tr("Edit…"))
        self.duplicate_button = QPushButton(tr("Duplicate"))
        self.delete_button = QPushButton(tr("Delete…"))
        self.import_button = QPushButton(tr("Import the plan from Excel…"))
        self.programmes_button = QPushButton(tr("Programmes (lồng ghép)…"))
        self.programmes_button.setVisible(programmes is not None)
        self.history = QListWidget()
        self.count_label = QLabel()

        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)  # the search box keeps its room; long names do not take it
        for combo in (self.group_filter, self.agency_filter, self.status_filter, self.rec_filter):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(14)
            filters.addWidget(combo, 1)
        actions = QHBoxLayout()
        for widget in (
            self.add_button,
            self.edit_button,
            self.duplicate_button,
            self.delete_button,
            self.import_button,
            self.programmes_button,
        ):
            actions.addWidget(widget)
        actions.addStretch(1)
        actions.addWidget(self.count_label)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.addWidget(QLabel(tr("History of the task")))
        side_layout.addWidget(self.history)
        splitter = QSplitter()
        splitter.addWidget(self.view)
        splitter.addWidget(side)
        splitter.setSizes([1000, 300])
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(actions)
        layout.addWidget(splitter, 1)

        self.search.textChanged.connect(self._apply_filters)
        for box in (self.group_filter, self.agency_filter, self.status_filter, self.rec_filter):
            box.currentIndexChanged.connect(self._apply_filters)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.edit_button.clicked.connect(self._on_edit_button_clicked)
        self.view.doubleClicked.connect(self._on_edit_button_clicked)
        self.duplicate_button.clicked.connect(self._on_duplicate_button_clicked)
        self.delete_button.clicked.connect(self._on_delete_button_clicked)
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self.programmes_button.clicked.connect(self._on_programmes_button_clicked)
        self.view.selectionModel().currentRowChanged.connect(self._on_view_current_row_changed)
        self.reload(choices=True)

    def on_changed(self, changes: Changes, source) -> None:
        if changes.touches("plan", "catalog", "periods"):
            selected = self.current_task()
            select = (
                self._created if source is self and self._created else (selected.id if selected else None)
            )
            self._created = None
            self.reload(select, choices=changes.catalog)

    _created: int | None = None  # the task the page's last operation made, selected after the reload

    def set_read_only(self, reason: str) -> None:
        """Another window writes to the database: nothing here may change the plan."""
        lock(reason, self.add_button, self.edit_button, self.duplicate_button, self.delete_button)
        lock(reason, self.import_button, self.programmes_button)

    def _fill_filters(self) -> None:
        tr = self._tr
        boxes = (self.group_filter, self.agency_filter, self.status_filter, self.rec_filter)
        kept = [box.currentData() for box in boxes]
        for box in boxes:
            box.blockSignals(True)
            box.clear()
        self.group_filter.addItem(tr("All groups"), None)
        for group in self._groups:
            self.group_filter.addItem(group.label[:60], group.id)
        self.agency_filter.addItem(tr("All agencies"), None)
        for agency in self._agencies:
            self.agency_filter.addItem(agency.label, agency.id)
        self.status_filter.addItem(tr("All statuses"), None)
        for status in STATUSES:
            self.status_filter.addItem(status_label(tr, status), status)
        self.rec_filter.addItem(tr("All recommendations"), None)
        for choice in self.recommendation_choices():
            self.rec_filter.addItem(choice.label[:60], choice.id)
        for box, data in zip(boxes, kept, strict=True):
            box.setCurrentIndex(max(0, box.findData(data)))
            box.blockSignals(False)

    def recommendation_choices(self) -> list[Choice]:
        return [
            Choice(id=r.id, label=f"{r.document} {r.label} {r.title}".strip()) for r in self._recommendations
        ]

    def reload(self, select_id: int | None = None, *, choices: bool = False) -> None:
        """Read the tasks (and, with `choices`, the groups, agencies and recommendations) on the worker."""
        plan = self._plan

        programmes = self._programmes

        def read(_progress):
            lists = (plan.task_groups(), plan.agencies(), plan.recommendations()) if choices else None
            if lists is not None and programmes is not None:
                lists += (programmes.catalogue(),)
            return plan.tasks(), lists

        self._ops.run(self, read, lambda found: self._show(*found, select_id), key=(self, "tasks"))

    def _show(self, tasks, lists, select_id: int | None) -> None:
        if lists is not None:
            self._groups, self._agencies, self._recommendations = lists[:3]
            self._programme_catalogue = list(lists[3:4] and lists[3])
            self._fill_filters()
        self.model.set_rows(tasks)
        fit_columns(self.view, stretch=[2], whole=[0, 1, 5, 6])
        self._apply_filters()
        wanted, self._wanted = self._wanted, None
        if select_id is not None:
            self.select_task(select_id)
        elif wanted is not None:
            self._select(lambda task: wanted in (task.id, task.code))

    _programme_catalogue: list = []  # the programmes a budget line can name (lồng ghép)
    _wanted: int | str | None = None  # a task asked for before the tasks were read (id or code)

    def select_code(self, code: str) -> None:
        """Select the task called `code` (a recommendation's answer), now or once the tasks are read."""
        if not self._select(lambda task: task.code == code):
            self._wanted = code

    def _select(self, chosen) -> bool:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if chosen(index.data(ROW_ROLE)):
                self.view.setCurrentIndex(index)
                self.view.scrollTo(index)
                return True
        return False

    def select_task(self, task_id: int) -> None:
        """Select the task `task_id`, now or once the tasks are read."""
        if not self._select(lambda task: task.id == task_id):
            self._wanted = task_id

    def _apply_filters(self) -> None:
        text = self.search.text()
        group, agency = self.group_filter.currentData(), self.agency_filter.currentData()
        status, rec = self.status_filter.currentData(), self.rec_filter.currentData()

        def accept(task) -> bool:
            return (
                (group is None or task.group == group)
                and (
                    agency is None or task.lead_agency_id == agency or agency in task.coordinating_agency_ids
                )
                and (status is None or task.status == status)
                and (rec is None or rec in task.recommendation_ids)
                and matches(text, task.code, task.title, task.lead_agency, task.recommendations)
            )

        self.proxy.set_predicate(accept)
        self.count_label.setText(
            self._tr("{shown} of {total} tasks", shown=self.proxy.rowCount(), total=self.model.rowCount())
        )

    def ask_programmes(self, task: str, catalogue, chosen: list[str]) -> list[str] | None:
        """The programmes the user ticks for `task` (tests replace this)."""
        dialog = ProgrammesDialog(self._tr, task, catalogue, chosen, self)
        return dialog.chosen() if dialog.exec() else None

    def _on_programmes_button_clicked(self) -> None:
        task = self.current_task()
        if task is None:
            show_error(self, self._tr, CrcError("Select a task in the list first."))
            return
        service = self._programmes

        def read(_progress):
            uses = service.uses()
            return service.catalogue(), [u.code for u in uses if task.code in u.tasks]

        def chosen(found) -> None:
            picked = self.ask_programmes(task.code, *found)
            if picked is not None:
                self._ops.run(self, lambda _progress: service.fold(task.code, picked))

        self._ops.run(self, read, chosen)

    def current_task(self):
        index = self.view.currentIndex()
        return index.data(ROW_ROLE) if index.isValid() else None

    def _dialog(self, task=None, budget_programmes=None) -> TaskDialog:
        return TaskDialog(
            self._tr,
            self._groups,
            self._agencies,
            self.recommendation_choices(),
            task,
            self,
            programmes=self._programme_catalogue if self._programmes is not None else None,
            budget_programmes=budget_programmes,
        )

    def _fund(self, code: str, dialog: TaskDialog) -> None:
        """The programmes the user chose for the budget lines, saved through the service the
        command line's `plan programme fund` uses (one audited change each)."""
        for (year, source), programme in sorted(dialog.programme_changes().items()):
            self._programmes.fund(code, year, source, programme)

    def open_dialog(self, dialog: TaskDialog) -> bool:
        """Shows the dialog (tests replace this)."""
        return bool(dialog.exec())

    def _on_add_button_clicked(self) -> None:
        dialog = self._dialog()
        if self.open_dialog(dialog) and dialog.result_input:
            self._do(lambda: self._saved(self._plan.create_task(dialog.result_input), dialog))

    def _on_edit_button_clicked(self, *_args) -> None:
        task = self.current_task()
        if task is None or not self.edit_button.isEnabled():  # a double-click on a read-only plan
            return
        programmes = self._programmes

        def read(_progress):
            found = self._plan.task(task.id)
            lines = {}
            for use in programmes.uses() if programmes is not None else []:
                for line in use.budget_lines:
                    if line.task == found.input.code:
                        lines[(line.fiscal_year, line.source)] = use.code
            return found, lines

        self._ops.run(self, read, lambda found: self._edit(task.id, *found))

    def _edit(self, task_id: int, found, budget_programmes=None) -> None:
        dialog = self._dialog(found.input, budget_programmes)
        if self.open_dialog(dialog) and dialog.result_input:
            self._do(lambda: self._saved(self._plan.update_task(task_id, dialog.result_input), dialog))

    def _saved(self, result, dialog: TaskDialog):
        if self._programmes is not None:
            self._fund(dialog.result_input.code, dialog)
        return result

    def _on_duplicate_button_clicked(self) -> None:
        task = self.current_task()
        if task is not None:
            self._do(lambda: self._plan.duplicate_task(task.id))

    def _on_delete_button_clicked(self) -> None:
        task = self.current_task()
        if task is None:
            return
        question = self._tr(
            "Delete task {code} \u201c{title}\u201d with its milestones, budget and progress?",
            code=task.code,
            title=task.title,
        )
        if not confirm(self, self._tr, question):
            return
        reason = ""
        reviewed = [state for state in task.progress_in if state.needs_reason]
        if reviewed:  # its progress is data of a reviewed period: the period's rule asks why
            reason = ReasonDialog.ask(
                self._tr,
                self._tr("Delete task {code}", code=task.code),
                self._tr(
                    "Task {code} has progress in a {state} period. Why is it deleted? The reason is "
                    "recorded with the deletion.",
                    code=task.code,
                    state=self._tr.state(reviewed[0]),
                ),
                self,
            )
            if reason is None:
                return
        self._do(lambda: self._plan.delete_task(task.id, reason), select=False)

    def ask_import_path(self) -> Path | None:
        """The plan workbook to bring in (tests replace this)."""
        return file_dialogs.open_file(
            self, self._tr("Import the plan from Excel…"), self._tr("Excel workbook (*.xlsx)")
        )

    def _on_import_button_clicked(self) -> None:
        """A dry run first; the plan changes only once the user has seen what would change."""
        path = self.ask_import_path()
        if path is None:
            return
        self._ops.run(
            self,
            lambda _progress: self._plan.import_workbook(path, dry_run=True),
            lambda dry: self._confirm_import(path, dry),
            title=self._tr("Import the plan from Excel…"),
        )

    def _confirm_import(self, path: Path, dry) -> None:
        question = self._tr(
            "{file}: {added} tasks added, {changed} changed, {deleted} deleted, {unchanged} unchanged. "
            "Import the plan from this file?",
            file=path.name,
            added=len(dry.added),
            changed=len(dry.changed),
            deleted=len(dry.deleted),
            unchanged=dry.unchanged,
        )
        if confirm(self, self._tr, question):
            self._do(lambda: self._plan.import_workbook(path), select=False)

    def _do(self, action, select: bool = True) -> None:
        """Run a change of the plan; the task it made or changed is selected after the reload."""

        def done(result) -> None:
            self._created = result.id if select and getattr(result, "id", None) is not None else None

        self._ops.run(self, lambda _progress: action(), done)

    def _on_view_current_row_changed(self, current, _previous) -> None:
        self.history.clear()
        task = current.data(ROW_ROLE) if current.isValid() else None
        if task is None:
            return
        self._ops.run(
            self, lambda _progress: self._plan.history(task.id), self._show_history, key=(self, "history")
        )

    def _show_history(self, entries) -> None:
        self.history.clear()
        for entry in reversed(entries):
            line = f"{entry.at:%d/%m/%Y %H:%M} {entry.who}: {self._action(entry)}"
            if entry.reason:
                line += f" ({entry.reason})"
            self.history.addItem(line)

    def _action(self, entry) -> str:
        tr = self._tr
        labels = {
            "task.create": tr("task created"),
            "task.update": tr("task changed"),
            "progress.set": tr("progress updated"),
        }
        text = labels.get(entry.action, entry.action)
        if entry.action == "progress.set" and entry.new:
            text += f" — {entry.new.get('percent_done')}%"
        return text
