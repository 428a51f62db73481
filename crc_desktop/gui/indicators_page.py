"""The indicator entry page: the grid of a period, the side panel of the current value, undo.

Every edit is saved at once by the value service in its own transaction; a refused edit
changes nothing and its reason is shown at the cell.
"""

from __future__ import annotations

from PySide6.QtGui import QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSplitter,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from crc_desktop.app import AppContext
from crc_desktop.core.errors import CrcError
from crc_desktop.core.i18n import Translator
from crc_desktop.core.schemas.values import ValueEdit
from crc_desktop.gui.grid_model import IndicatorGridModel
from crc_desktop.gui.grid_view import GridView
from crc_desktop.gui.reason_dialog import ReasonDialog
from crc_desktop.gui.tasks import TaskRunner


class SaveValuesCommand(QUndoCommand):
    """An edit already saved; undo saves the values from before, redo the new ones again."""

    def __init__(
        self, page: IndicatorsPage, before: list[ValueEdit], after: list[ValueEdit], text: str
    ) -> None:
        super().__init__(text)
        self._page, self._before, self._after = page, before, after
        self._done = True

    def redo(self) -> None:
        if self._done:
            self._done = False  # saved before the command was pushed
            return
        self._page.save(self._after, record=False)

    def undo(self) -> None:
        self._page.save(self._before, record=False)


class IndicatorsPage(QWidget):
    def __init__(self, context: AppContext, tr: Translator, periods: list[str], runner: TaskRunner) -> None:
        super().__init__()
        self._context, self._tr, self._runner = context, tr, runner
        self.undo_stack = QUndoStack(self)
        self.model: IndicatorGridModel | None = None
        self._reason = ""  # why a submitted or approved period is being changed, asked once

        self.period_box = QComboBox()
        self.swap_button = QPushButton(tr("Swap rows and columns"))
        self.swap_button.setShortcut(QKeySequence("Ctrl+T"))
        self.message = QLabel()
        self.message.setStyleSheet("color:#842029")
        self.message.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("Period")))
        top.addWidget(self.period_box)
        top.addWidget(self.swap_button)
        top.addWidget(self.message, 1)

        self.view = GridView()
        self.side = self._build_side_panel()
        splitter = QSplitter()
        splitter.addWidget(self.view)
        splitter.addWidget(self.side)
        splitter.setStretchFactor(0, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

        self.period_box.currentTextChanged.connect(self._on_period_box_current_text_changed)
        self.swap_button.clicked.connect(self._on_swap_button_clicked)
        self.view.clear_requested.connect(self._on_view_clear_requested)
        self.view.paste_requested.connect(self._on_view_paste_requested)
        self.set_periods(periods)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self.model is None and self.period_box.currentText():
            self.load(self.period_box.currentText())  # the grid is read when first looked at

    def _on_period_box_current_text_changed(self, period: str) -> None:
        if self.model is not None or self.isVisible():
            self.load(period)

    def _build_side_panel(self) -> QWidget:
        tr = self._tr
        box = QGroupBox(tr("Selected value"))
        box.setMinimumWidth(260)
        box.setMaximumWidth(340)
        form = QFormLayout(box)
        self.where_label = QLabel()
        self.where_label.setWordWrap(True)
        self.unit_label, self.previous_label, self.target_label = QLabel(), QLabel(), QLabel()
        self.issues_label = QLabel()
        self.issues_label.setWordWrap(True)
        self.history_list = QListWidget()
        self.history_list.setMaximumHeight(180)
        self.comment_edit = QLineEdit()
        self.comment_edit.setPlaceholderText(tr("Comment on this value"))
        self.follow_up_box = QCheckBox(tr("Needs follow-up"))
        form.addRow(self.where_label)
        form.addRow(tr("Unit"), self.unit_label)
        form.addRow(tr("Previous period"), self.previous_label)
        form.addRow(tr("Target"), self.target_label)
        form.addRow(tr("Comment"), self.comment_edit)
        form.addRow(self.follow_up_box)
        form.addRow(self.issues_label)
        form.addRow(QLabel(tr("History of this value")))
        form.addRow(self.history_list)
        self.comment_edit.editingFinished.connect(self._on_comment_edit_finished)
        self.follow_up_box.clicked.connect(self._on_follow_up_box_clicked)
        return box

    # -- loading --------------------------------------------------------------------

    def set_periods(self, periods: list[str], current: str | None = None) -> None:
        """Refill the period list (after a period was created or changed state)."""
        keep = current or self.period_box.currentText()
        self.period_box.blockSignals(True)
        self.period_box.clear()
        self.period_box.addItems(periods)
        self.period_box.blockSignals(False)
        if periods:
            self.period_box.setCurrentText(keep if keep in periods else periods[-1])
            if self.model is not None:
                self.load(self.period_box.currentText())

    def go_to(self, period: str, cell_id: int, area_id: int) -> None:
        if self.period_box.currentText() != period:
            self.period_box.setCurrentText(period)
        if self.model is None or self.model.grid.period != period:
            self.load(period)
        index = self.model.index_of(cell_id, area_id)
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)
        self.view.setFocus()

    def load(self, period: str) -> None:
        if not period:
            return
        self._reason = ""
        grid = self._context.values.grid(period)
        transposed = self.model.transposed if self.model else False
        self.model = IndicatorGridModel(grid, self._tr, transposed=transposed)
        self.model.edit_requested.connect(self._on_model_edit_requested)
        self.view.setModel(self.model)
        self.view.selectionModel().currentChanged.connect(self._on_view_current_changed)
        self.view.verticalHeader().setFixedWidth(340 if not self.model.transposed else 200)
        self.undo_stack.clear()
        locked = grid.state == "signed"
        self.message.setText(
            self._tr(
                "Period {code} is signed and locked; reopen it (with a reason) to change it.",
                code=grid.period,
            )
            if locked
            else ""
        )
        self.view.setCurrentIndex(self.model.index(0, 0))
        model = self.model
        self._runner.run(
            lambda _progress: self._context.values.issues(period),
            lambda issues: model.set_issues(issues) if self.model is model else None,
            lambda error: self.message.setText(str(error)),
        )

    # -- saving -----------------------------------------------------------------------

    def save(self, edits: list[ValueEdit], *, record: bool = True, label: str = "") -> bool:
        """Save `edits` through the service; on refusal show why at the cell and change nothing."""
        assert self.model is not None
        if self.model.grid.state in ("submitted", "approved") and not self._reason:
            reason = ReasonDialog.ask_change(self._tr, self.model.grid.state, self)
            if not reason:
                return False
            self._reason = reason
        before = [self._current_as_edit(e) for e in edits]
        try:
            saved = self._context.values.apply(
                self.model.grid.period, edits, reason=self._reason, locale=self._tr.locale
            )
        except CrcError as error:
            self._show_refusal(error, edits[0])
            return False
        self.model.apply_saved(saved.values, saved.issues)
        self.message.clear()
        if record:
            self.undo_stack.push(SaveValuesCommand(self, before, edits, label or self._tr("Edit")))
        self._on_view_current_changed(self.view.currentIndex())
        return True

    def _current_as_edit(self, edit: ValueEdit) -> ValueEdit:
        value = self.model.value(edit.cell_id, edit.area_id)
        return ValueEdit(
            cell_id=edit.cell_id,
            area_id=edit.area_id,
            raw=self.model.raw_text(edit.cell_id, edit.area_id) if edit.raw is not None else None,
            comment=(value.comment if value else "") if edit.comment is not None else None,
            follow_up=(value.follow_up if value else False) if edit.follow_up is not None else None,
        )

    def _show_refusal(self, error: CrcError, edit: ValueEdit) -> None:
        lines = [error.render(self._tr)]
        lines += [problem.render(self._tr) for problem in getattr(error, "problems", [])]
        text = "\n".join(lines)
        self.message.setText(text)
        index = self.model.index_of(edit.cell_id, edit.area_id)
        rect = self.view.visualRect(index)
        QToolTip.showText(self.view.viewport().mapToGlobal(rect.bottomLeft()), text, self.view)

    def _on_model_edit_requested(self, cell_id: int, area_id: int, raw: str) -> None:
        self.save([ValueEdit(cell_id=cell_id, area_id=area_id, raw=raw)])

    def _on_view_clear_requested(self, indexes: list) -> None:
        edits = []
        for index in indexes:
            row, area = self.model.row_and_area(index)
            edits.append(ValueEdit(cell_id=row.cell_id, area_id=area.id, raw=""))
        if edits and self.model.grid.state != "signed":
            self.save(edits, label=self._tr("Clear"))
        elif edits:
            self._show_refusal(
                CrcError(
                    "Period {code} is signed and locked; reopen it (with a reason) to change it.",
                    code=self.model.grid.period,
                ),
                edits[0],
            )

    def _on_view_paste_requested(self, top_left, block: list[list[str]]) -> None:
        rows, columns = self.model.rowCount(), self.model.columnCount()
        height, width = len(block), max(len(line) for line in block)
        if top_left.row() + height > rows or top_left.column() + width > columns:
            self.message.setText(
                self._tr(
                    "The pasted block ({height} × {width}) does not fit in the grid from here; "
                    "nothing was pasted.",
                    height=height,
                    width=width,
                )
            )
            return
        edits = []
        for r, line in enumerate(block):
            for c, text in enumerate(line):
                row, area = self.model.row_and_area(
                    self.model.index(top_left.row() + r, top_left.column() + c)
                )
                edits.append(ValueEdit(cell_id=row.cell_id, area_id=area.id, raw=text))
        self.save(edits, label=self._tr("Paste"))

    def _on_comment_edit_finished(self) -> None:
        index = self.view.currentIndex()
        if not index.isValid():
            return
        row, area = self.model.row_and_area(index)
        value = self.model.value(row.cell_id, area.id)
        if (value.comment if value else "") != self.comment_edit.text().strip():
            self.save(
                [ValueEdit(cell_id=row.cell_id, area_id=area.id, comment=self.comment_edit.text())],
                label=self._tr("Comment"),
            )

    def _on_follow_up_box_clicked(self, checked: bool) -> None:
        index = self.view.currentIndex()
        if index.isValid():
            row, area = self.model.row_and_area(index)
            self.save(
                [ValueEdit(cell_id=row.cell_id, area_id=area.id, follow_up=checked)],
                label=self._tr("Follow-up"),
            )

    def _on_swap_button_clicked(self) -> None:
        self.model.set_transposed(not self.model.transposed)

    def _on_view_current_changed(self, index, _previous=None) -> None:
        if self.model is None or not index.isValid():
            return
        row, area = self.model.row_and_area(index)
        details = self._context.values.details(self.model.grid.period, row.cell_id, area.id)
        value = self.model.value(row.cell_id, area.id)
        tr = self._tr
        self.where_label.setText(f"<b>{row.code}</b> {row.name}<br>{row.cell_label} — {area.name}")
        self.unit_label.setText(details.unit)
        self.previous_label.setText(
            f"{tr.number(details.previous)} ({details.previous_period})"
            if details.previous is not None
            else tr("none")
        )
        target = details.target
        self.target_label.setText(tr.target(target.comparator, target.value) if target else tr("none"))
        self.comment_edit.setText(value.comment if value else "")
        self.follow_up_box.setChecked(bool(value and value.follow_up))
        issues = self.model.issues(row.cell_id, area.id)
        self.issues_label.setText("\n".join("⚠ " + tr(i.message, **i.params) for i in issues))
        self.history_list.clear()
        key = f"{self.model.grid.period}/{row.cell_id}/{area.id}"
        for entry in reversed(self._context.audit.history("indicator_value", key)):
            new = entry.new or {}
            shown = new.get("text") or (tr.number(new["number"]) if new.get("number") is not None else "—")
            line = f"{entry.at:%d/%m/%Y %H:%M} {entry.who}: {shown}"
            if entry.reason:
                line += f" ({entry.reason})"
            self.history_list.addItem(line)
