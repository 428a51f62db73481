"""The progress page: for each task in a period, status, % done, results, obstacles, proposals,
with the previous period's text beside them. What is typed is saved a moment after typing stops."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crc_desktop.app import AppContext
from crc_desktop.core.errors import CrcError
from crc_desktop.core.i18n import Translator
from crc_desktop.core.schemas.plan import ProgressInput
from crc_desktop.gui.reason_dialog import ReasonDialog
from crc_desktop.gui.table_model import ROW_ROLE, Column, FilterProxy, RowTableModel
from crc_desktop.gui.task_dialog import STATUSES, status_label

SAVE_DELAY_MS = 800


class ProgressPage(QWidget):
    def __init__(self, context: AppContext, tr: Translator, periods: list[str]) -> None:
        super().__init__()
        self._context, self._tr = context, tr
        self._task_id: int | None = None
        self._loading = False
        self._reason = ""
        self._dirty = False  # the editor holds changes not yet saved
        self.period_box = QComboBox()
        self.model = RowTableModel(
            [
                Column(tr("Code"), lambda r: r.code),
                Column(tr("Task"), lambda r: r.title),
                Column(tr("Status"), lambda r: status_label(tr, r.status) or tr("Not updated")),
                Column(
                    "%", lambda r: "" if r.percent_done is None else f"{r.percent_done}%", align_right=True
                ),
            ]
        )
        self.proxy = FilterProxy()
        self.proxy.setSourceModel(self.model)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SingleSelection)
        self.view.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        self.view.setColumnWidth(1, 380)
        self.view.verticalHeader().setVisible(False)

        self.status = QComboBox()
        for value in STATUSES:
            self.status.addItem(status_label(tr, value), value)
        self.percent = QSpinBox()
        self.percent.setRange(0, 100)
        self.percent.setSuffix(" %")
        self.done_text, self.obstacles, self.proposals = QPlainTextEdit(), QPlainTextEdit(), QPlainTextEdit()
        self.previous = QLabel()
        self.previous.setWordWrap(True)
        self.previous.setStyleSheet("color:#555")
        self.saved = QLabel()
        editor = QGroupBox(tr("Progress in this period"))
        form = QFormLayout(editor)
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
        self.period_box.currentTextChanged.connect(self.load)
        self.view.selectionModel().currentRowChanged.connect(self._on_view_current_row_changed)
        self.set_periods(periods)

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
        if not period:
            return
        self._reason = ""
        self.model.set_rows(self._context.plan.progress(period))
        self.select_task(select_task if select_task is not None else self._task_id)

    def select_task(self, task_id: int | None) -> None:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if task_id is None or index.data(ROW_ROLE).task_id == task_id:
                self.view.setCurrentIndex(index)
                return

    def _on_view_current_row_changed(self, current, _previous) -> None:
        self.save_now()
        row = current.data(ROW_ROLE) if current.isValid() else None
        self._task_id = row.task_id if row else None
        self.editor.setEnabled(row is not None)
        if row is None:
            return
        self._loading = True
        self.status.setCurrentIndex(max(0, self.status.findData(row.status or "in_progress")))
        self.percent.setValue(row.percent_done or 0)
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

    def save_now(self) -> None:
        """Save what the editor shows, if it changed (also called before leaving a task)."""
        if not self._dirty or self._task_id is None:
            return
        self._timer.stop()
        self._dirty = False
        period = self.period_box.currentText()
        data = ProgressInput(
            status=self.status.currentData(),
            percent_done=self.percent.value(),
            done_text=self.done_text.toPlainText(),
            obstacles=self.obstacles.toPlainText(),
            proposals=self.proposals.toPlainText(),
        )
        state = self._context.periods.get(period).state
        if state.needs_reason and not self._reason:
            self._reason = ReasonDialog.ask_change(self._tr, state, self) or ""
            if not self._reason:
                return
        try:
            row = self._context.plan.save_progress(period, self._task_id, data, reason=self._reason)
        except CrcError as error:
            self.saved.setText(error.render(self._tr))
            self.saved.setStyleSheet("color:#842029")
            return
        self.saved.setStyleSheet("color:#0f5132")
        self.saved.setText(self._tr("Saved."))
        position = next(i for i, r in enumerate(self.model.rows()) if r.task_id == row.task_id)
        self.model.replace_row(position, row)

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt override
        self.save_now()
        super().hideEvent(event)
