"""The progress page: for each task in a period, status, % done, results, obstacles, proposals,
with the previous period's text beside them. What is typed is saved a moment after typing stops.

A task with no update in the period shows an empty form (no status, no %): nothing is saved
until the user has chosen both, so one stray click cannot record "0 %". A submitted or approved
period is changed with a reason written in the field above the form, never in a dialog that
pops up while the user types."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crc_desktop.core.errors import CrcError
from crc_desktop.core.i18n import Translator
from crc_desktop.core.schemas.changes import Changes
from crc_desktop.core.schemas.plan import ProgressInput
from crc_desktop.core.services.plan import PlanService
from crc_desktop.core.services.workflow import PeriodService
from crc_desktop.gui.columns import fit_columns
from crc_desktop.gui.dialogs.task_dialog import STATUSES, status_label
from crc_desktop.gui.ops import Operations
from crc_desktop.gui.read_only import lock
from crc_desktop.gui.table_model import ROW_ROLE, Column, FilterProxy, RowTableModel
from crc_desktop.gui.widgets.change_reason import ChangeReasonBar, SessionReasons

SAVE_DELAY_MS = 800
NO_PERCENT = -1


class ProgressPage(QWidget):
    def __init__(
        self,
        plan: PlanService,
        periods_service: PeriodService,
        ops: Operations,
        tr: Translator,
        periods: list[str],
        reasons: SessionReasons | None = None,
    ) -> None:
        super().__init__()
        self._plan, self._periods, self._ops, self._tr = plan, periods_service, ops, tr
        self._task_id: int | None = None
        self._loading = False
        self._dirty = False  # the editor holds changes not yet saved
        self.period_box = QComboBox()
        self.model = RowTableModel(
            [
                Column(tr("Code"), lambda r: r.code),
                Column(tr("Task"), lambda r: r.title),
                Column(tr("Status"), lambda r: status_label(tr, r.status) or tr("Not updated")),
                Column(
                    "%",
                    lambda r: "" if r.percent_done is None else f"{r.percent_done}%",
                    align_right=True,
                    sort=lambda r: r.percent_done,
                ),
            ]
        )
        self.proxy = FilterProxy()
        self.proxy.setSourceModel(self.model)
        self.view = QTableView()
        self.view.setObjectName("progress_tasks")
        self.view.setModel(self.proxy)
        self.view.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SingleSelection)
        self.view.verticalHeader().setVisible(False)

        self.status = QComboBox()
        self.status.setPlaceholderText(tr("— not updated yet: choose —"))
        for value in STATUSES:
            self.status.addItem(status_label(tr, value), value)
        self.percent = QSpinBox()
        self.percent.setRange(NO_PERCENT, 100)
        self.percent.setSpecialValueText("—")  # shown at NO_PERCENT: no % given yet
        self.percent.setSuffix(" %")
        self.reason_bar = ChangeReasonBar(tr, reasons)
        self.done_text, self.obstacles, self.proposals = QPlainTextEdit(), QPlainTextEdit(), QPlainTextEdit()
        self.previous = QLabel()
        self.previous.setWordWrap(True)
        self.previous.setStyleSheet("color:#555")
        self.saved = QLabel()
        editor = QGroupBox(tr("Progress in this period"))
        form = QFormLayout(editor)
        form.addRow(self.reason_bar)
        form.addRow(tr("Status"), self.status)
        form.addRow(tr("Done (%)"), self.percent)
        form.addRow(tr("What was done"), self.done_text)
        form.addRow(tr("Obstacles"), self.obstacles)
        form.addRow(tr("Proposals"), self.proposals)
        form.addRow(tr("Previous period"), self.previous)
        form.addRow(self.saved)
        editor.setEnabled(False)
        self.editor = editor

        top = QHBoxLayout()
        top.addWidget(QLabel(tr("Period")))
        top.addWidget(self.period_box)
        top.addStretch(1)
        splitter = QSplitter()
        splitter.addWidget(self.view)
        splitter.addWidget(editor)
        splitter.setSizes([650, 550])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.save_now)
        for widget in (self.done_text, self.obstacles, self.proposals):
            widget.textChanged.connect(self._on_field_changed)
        self.status.currentIndexChanged.connect(self._on_field_changed)
        self.percent.valueChanged.connect(self._on_field_changed)
        self.reason_bar.edit.textChanged.connect(self._on_reason_changed)
        self.period_box.currentTextChanged.connect(self.load)
        self.view.selectionModel().currentRowChanged.connect(self._on_view_current_row_changed)
        self.set_periods(periods)

    _read_only = ""

    def set_read_only(self, reason: str) -> None:
        """Another window writes to the database: progress is read here, not written."""
        self._read_only = reason
        lock(reason, self.editor)

    def set_periods(self, periods: list[str]) -> None:
        current = self.period_box.currentText()
        self.period_box.blockSignals(True)
        self.period_box.clear()
        self.period_box.addItems(periods)
        self.period_box.blockSignals(False)
        if periods:
            self.period_box.setCurrentText(current if current in periods else periods[-1])
            self.load(self.period_box.currentText())

    def load(self, period: str, select_task: int | None = None) -> None:
        self.save_now()
        self._dirty = False  # what still waited (no status, no reason) is not carried to another period
        if not period:
            return
        periods, plan = self._periods, self._plan
        self._ops.run(
            self,
            lambda _progress: (periods.get(period).state, plan.progress(period)),
            lambda found: self._show(*found, select_task),
            key=(self, "load"),
        )

    def _show(self, state, rows, select_task: int | None) -> None:
        self.reason_bar.set_state(state, self.period_box.currentText())
        self.model.set_rows(rows)
        fit_columns(self.view, stretch=[1], whole=[0, 2, 3])
        self.select_task(select_task if select_task is not None else self._task_id)

    def on_changed(self, changes: Changes, source) -> None:
        period = self.period_box.currentText()
        if (
            source is not self
            and changes.touches("plan", "periods", "collection")
            and changes.concerns(period)
        ):
            self.load(period)

    def select_task(self, task_id: int | None) -> None:
        """Select the task `task_id` (the first with None), now or once the period's rows are read."""
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if task_id is None or index.data(ROW_ROLE).task_id == task_id:
                self.view.setCurrentIndex(index)
                return
        if task_id is not None and not self._dirty:
            self._task_id = task_id  # the rows shown next select it

    def _on_view_current_row_changed(self, current, previous) -> None:
        self.save_now()
        if self._dirty and previous.isValid():
            # what was typed still waits for a status, a % or a reason: stay on that task, as a
            # refused cell keeps its editor, rather than lose the text
            QTimer.singleShot(0, lambda: self._return_to(previous))
            return
        row = current.data(ROW_ROLE) if current.isValid() else None
        self._task_id = row.task_id if row else None
        self.editor.setEnabled(row is not None and not self._read_only)
        if row is None:
            return
        self._loading = True
        self.status.setCurrentIndex(self.status.findData(row.status) if row.status else -1)
        self.percent.setValue(NO_PERCENT if row.percent_done is None else row.percent_done)
        self.done_text.setPlainText(row.done_text)
        self.obstacles.setPlainText(row.obstacles)
        self.proposals.setPlainText(row.proposals)
        tr = self._tr
        self.previous.setText(
            f"{row.previous_percent}% — {row.previous_done_text}"
            if row.previous_percent is not None
            else tr("none")
        )
        self.saved.clear()
        self._loading = False

    def _on_field_changed(self, *_args) -> None:
        if not self._loading and self._task_id is not None:
            self._dirty = True
            self._timer.start()

    def _return_to(self, index) -> None:
        selection = self.view.selectionModel()
        selection.blockSignals(True)
        self.view.setCurrentIndex(index)
        selection.blockSignals(False)
        self.view.viewport().update()

    def _on_reason_changed(self, _text: str) -> None:
        if self._dirty:
            self._timer.start()  # what waited for the reason is saved once it is written

    def _waiting_for(self) -> str:
        """What the form still needs before it can be saved (empty when nothing)."""
        if self.status.currentIndex() < 0 or self.percent.value() == NO_PERCENT:
            return self._tr(
                "Choose the status and the percentage done: the update is saved once both are given."
            )
        if self.reason_bar.missing():
            return self._tr("Write first, in the yellow field above, why this period's progress changes.")
        return ""

    def save_now(self) -> None:
        """Save what the editor shows, if it changed (also called before leaving a task)."""
        if not self._dirty or self._task_id is None:
            return
        self._timer.stop()
        waiting = self._waiting_for()
        if waiting:
            self.saved.setStyleSheet("color:#664d03")
            self.saved.setText(waiting)
            return
        self._dirty = False
        period = self.period_box.currentText()
        data = ProgressInput(
            status=self.status.currentData(),
            percent_done=self.percent.value(),
            done_text=self.done_text.toPlainText(),
            obstacles=self.obstacles.toPlainText(),
            proposals=self.proposals.toPlainText(),
        )
        task_id, reason, model = self._task_id, self.reason_bar.reason(), self.model

        def refused(error: CrcError) -> None:
            self.saved.setText(error.render(self._tr))
            self.saved.setStyleSheet("color:#842029")

        def saved(row) -> None:
            self.saved.setStyleSheet("color:#0f5132")
            self.saved.setText(self._tr("Saved."))
            position = next((i for i, r in enumerate(model.rows()) if r.task_id == row.task_id), None)
            if position is not None and self.period_box.currentText() == period:
                model.replace_row(position, row)

        self._ops.run(
            self,
            lambda _progress: self._plan.save_progress(period, task_id, data, reason=reason),
            saved,
            failed=refused,
        )

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt override
        self.save_now()
        super().hideEvent(event)
