"""The indicator entry page: the grid of a period, the side panel of the current value, undo.

Every edit is saved at once by the value service in its own transaction; a refused edit
changes nothing, its reason is shown beside the cell and the typed text stays in the cell's
editor. A submitted or approved period is changed with a reason written in a field above the
grid (no dialog interrupts typing). Each rule finding says how to clear it; an explanation
(the comment) is given to one cell or to all the selected cells at once.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
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
    QVBoxLayout,
    QWidget,
)

from crc_desktop.core.errors import CrcError
from crc_desktop.core.i18n import Translator
from crc_desktop.core.rules.validation import explained, how_to_clear
from crc_desktop.core.schemas.changes import Changes
from crc_desktop.core.schemas.values import ValueEdit
from crc_desktop.core.services.audit import AuditService
from crc_desktop.core.services.values import ValueService
from crc_desktop.gui.columns import fit_columns
from crc_desktop.gui.grid.grid_model import IndicatorGridModel
from crc_desktop.gui.grid.grid_view import GridView
from crc_desktop.gui.ops import Operations, after_paint
from crc_desktop.gui.read_only import lock
from crc_desktop.gui.widgets.change_reason import ChangeReasonBar, SessionReasons

WIDEST_VALUE = "9.999.999,99"  # the grid is sized from this, not read cell by cell (600,000 values)


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


_COMMAND_KEYS = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier


class IndicatorsPage(QWidget):
    def __init__(
        self,
        values: ValueService,
        audit: AuditService,
        ops: Operations,
        tr: Translator,
        periods: list[str],
        reasons: SessionReasons | None = None,
    ) -> None:
        super().__init__()
        self._values, self._audit, self._ops, self._tr = values, audit, ops, tr
        self.undo_stack = QUndoStack(self)
        self.model: IndicatorGridModel | None = None
        self.reason_bar = ChangeReasonBar(tr, reasons)
        self._waiting: list[ValueEdit] = []  # typed before the reason was written: saved once it is

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

        self.view = GridView(tr)
        self.side = self._build_side_panel()
        splitter = QSplitter()
        splitter.addWidget(self.view)
        splitter.addWidget(self.side)
        splitter.setStretchFactor(0, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.reason_bar)
        layout.addWidget(splitter, 1)

        self.period_box.currentTextChanged.connect(self._on_period_box_current_text_changed)
        self.swap_button.clicked.connect(self._on_swap_button_clicked)
        self.view.clear_requested.connect(self._on_view_clear_requested)
        self.view.paste_requested.connect(self._on_view_paste_requested)
        self.view.comment_requested.connect(self._on_view_comment_requested)
        self.view.history_requested.connect(self._on_view_history_requested)
        self.reason_bar.returned.connect(self._on_reason_bar_returned)
        self.view.installEventFilter(self)
        self.set_periods(periods)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        """A key that would start typing in a cell while the period's reason is not written yet
        goes to the reason's field instead (the field takes the focus), never into the cell."""
        if (
            watched is self.view
            and event.type() == QEvent.Type.KeyPress
            and self.view.state() != self.view.State.EditingState
            and self.reason_bar.missing()
            and not self._read_only
            and event.text()
            and event.text().isprintable()
            and not event.modifiers()
            & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
        ):
            self.reason_bar.ask()  # the key is not typed anywhere: the user sees where to write first
            self.message.setText(
                self._tr("Write first, in the yellow field above the grid, why this period's values change.")
            )
            return True
        return super().eventFilter(watched, event)

    def _on_reason_bar_returned(self) -> None:
        """The reason is written (Enter): back to the cell, and what waited for it is saved."""
        self._clear_messages()
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        waiting, self._waiting = self._waiting, []
        if waiting:
            self.save(waiting)

    def set_read_only(self, reason: str) -> None:
        """Another window writes to the database: the grid is read, never edited, here."""
        self.view.setEditTriggers(GridView.EditTrigger.NoEditTriggers)
        lock(reason, self.view.paste_action, self.view.clear_action, self.comment_edit, self.follow_up_box)
        self._read_only = reason
        self.message.setText(reason)

    _read_only = ""  # why nothing may change (another window writes), or empty

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self.model is None and self.period_box.currentText():
            self.load(self.period_box.currentText())  # the grid is read when first looked at

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt override
        self._clear_messages()  # a message is about what the user just did, not for later
        super().hideEvent(event)

    def _clear_messages(self) -> None:
        self.view.clear_refusal()
        if self._read_only:
            self.message.setText(self._read_only)  # a read-only window keeps saying so
        elif self.model is None or self.model.grid.state.editable:  # a locked period keeps saying so
            self.message.clear()

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
        self.comment_edit.setObjectName("comment")
        self.comment_edit.setPlaceholderText(tr("Comment on this value, or why it is right"))
        self.comment_scope = QLabel()
        self.comment_scope.setWordWrap(True)
        self.comment_scope.setStyleSheet("color:#555")
        self.follow_up_box = QCheckBox(tr("Needs follow-up"))
        form.addRow(self.where_label)
        form.addRow(tr("Unit"), self.unit_label)
        form.addRow(tr("Previous period"), self.previous_label)
        form.addRow(tr("Target"), self.target_label)
        form.addRow(tr("Comment or explanation"), self.comment_edit)
        form.addRow(self.comment_scope)
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
        def jump() -> None:
            index = self.model.index_of(cell_id, area_id)
            self.view.setCurrentIndex(index)
            self.view.scrollTo(index)
            self.view.setFocus()

        if self.period_box.currentText() != period:
            self.period_box.blockSignals(True)
            self.period_box.setCurrentText(period)
            self.period_box.blockSignals(False)
        if self.model is None or self.model.grid.period != period:
            self.load(period, then=jump)
        else:
            jump()

    def on_changed(self, changes: Changes, source) -> None:
        """Values changed elsewhere (an import, a collection round) or the period moved on: the
        grid is read again; the page's own edits are already in it."""
        if source is self or self.model is None or not changes.concerns(self.model.grid.period):
            return
        if changes.touches("values", "periods", "catalog", "collection"):
            self.load(self.model.grid.period)

    def load(self, period: str, then=None) -> None:
        """Read the grid of `period` on the worker and show it (then run `then`)."""
        if not period:
            return
        self._ops.run(
            self,
            lambda _progress: self._values.grid(period),
            lambda grid: self._show_grid(grid, then),
            title=self._tr("Reading the values of period {code}…", code=period),
            key=(self, "grid"),
        )

    def _show_grid(self, grid, then=None) -> None:
        period = grid.period
        self.reason_bar.set_state(grid.state, grid.period)
        self._waiting = []
        self.view.clear_refusal()
        transposed = self.model.transposed if self.model else False
        self.model = IndicatorGridModel(grid, self._tr, transposed=transposed)
        self.model.edit_requested.connect(self._on_model_edit_requested)
        self.view.setModel(self.model)
        self.view.selectionModel().currentChanged.connect(self._on_view_current_changed)
        self.view.selectionModel().selectionChanged.connect(self._on_view_selection_changed)
        self.view.verticalHeader().setFixedWidth(340 if not self.model.transposed else 200)
        fit_columns(self.view, maximum=220, again=True, sample=WIDEST_VALUE)
        self.undo_stack.clear()
        locked = not grid.state.editable
        self.message.setText(
            self._tr(
                "Period {code} is signed and locked; reopen it (with a reason) to change it.",
                code=grid.period,
            )
            if locked
            else self._read_only
        )
        model = self.model

        def read_the_rest() -> None:  # once the grid is on screen: see `after_paint`
            if self.model is not model:
                return
            if not self.view.currentIndex().isValid():  # unless the user has moved already
                self.view.setCurrentIndex(model.index(0, 0))  # its details are read
            self._ops.run(
                self,
                lambda _progress: self._values.issues(period),
                lambda issues: self._show_issues(model, issues),
                failed=lambda error: self.message.setText(error.render(self._tr)),
                key=(self, "issues"),
            )
            if then is not None:
                then()

        after_paint(self.view.viewport(), read_the_rest)

    def _show_issues(self, model, issues: dict) -> None:
        """The period's findings, read after the grid: in the cells, and beside the current one."""
        if self.model is not model:
            return
        model.set_issues(issues)
        index = self.view.currentIndex()
        if index.isValid():
            row, area = model.row_and_area(index)
            self.issues_label.setText(self._findings_text(row, area, model.value(row.cell_id, area.id)))

    # -- saving -----------------------------------------------------------------------

    def save(self, edits: list[ValueEdit], *, record: bool = True, label: str = "") -> None:
        """Save `edits` through the service, on the worker; on refusal show why at the cell (the
        text typed back in its editor) and change nothing."""
        assert self.model is not None
        if self.reason_bar.missing():
            # kept until the reason is written (the field takes the focus; Enter saves them)
            self._waiting = list(edits)
            self.message.setText(
                self._tr("Write first, in the yellow field above the grid, why this period's values change.")
            )
            self.reason_bar.ask()
            return
        before = [self._current_as_edit(e) for e in edits]
        model, period = self.model, self.model.grid.period
        reason, locale = self.reason_bar.reason(), self._tr.locale

        def saved(result) -> None:
            if self.model is not model:
                return
            model.apply_saved(result.values, result.issues)
            self._clear_messages()
            if record:
                self.undo_stack.push(SaveValuesCommand(self, before, edits, label or self._tr("Edit")))
            self._on_view_current_changed(self.view.currentIndex())

        def refused(error: CrcError) -> None:
            if self.model is model:
                self._show_refusal(error, edits[0])

        self._ops.run(
            self,
            lambda _progress: self._values.apply(period, edits, reason=reason, locale=locale),
            saved,
            failed=refused,
        )

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
        index = self.model.index_of(edit.cell_id, edit.area_id)
        if edit.raw is not None and self.view.state() != self.view.State.EditingState:
            # the refusal came back after the editor closed: the text typed goes back into it
            self.view.setCurrentIndex(index)
            self.view.edit(index)
            editor = self.view.focusWidget() if self.view.state() == self.view.State.EditingState else None
            if isinstance(editor, QLineEdit):
                editor.setText(edit.raw)
        self.view.refuse(index, "\n".join(lines))

    def _on_model_edit_requested(self, cell_id: int, area_id: int, raw: str) -> None:
        self.save([ValueEdit(cell_id=cell_id, area_id=area_id, raw=raw)])

    def _on_view_clear_requested(self, indexes: list) -> None:
        edits = []
        for index in indexes:
            row, area = self.model.row_and_area(index)
            edits.append(ValueEdit(cell_id=row.cell_id, area_id=area.id, raw=""))
        if edits and self.model.grid.state.editable:
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
            self.view.clear_refusal()
            self.view.refuse(
                top_left,
                self._tr(
                    "The pasted block ({height} × {width}) does not fit in the grid from here; "
                    "nothing was pasted.",
                    height=height,
                    width=width,
                ),
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

    def _commented_cells(self) -> list:
        """The cells a comment applies to: every selected cell, or else the current one."""
        if self.model is None:
            return []
        selected = self.view.selectionModel().selectedIndexes()
        indexes = selected if len(selected) > 1 else [self.view.currentIndex()]
        return [self.model.row_and_area(i) for i in indexes if i.isValid()]

    def _on_comment_edit_finished(self) -> None:
        if not self.comment_edit.isModified():
            return  # only what the user typed is written, never the current cell's comment to others
        self.comment_edit.setModified(False)
        text = self.comment_edit.text().strip()
        edits = []
        for row, area in self._commented_cells():
            value = self.model.value(row.cell_id, area.id)
            if (value.comment if value else "") != text:
                edits.append(ValueEdit(cell_id=row.cell_id, area_id=area.id, comment=text))
        if edits:
            self.save(edits, label=self._tr("Comment"))

    def _on_view_selection_changed(self, *_args) -> None:
        count = len(self.view.selectionModel().selectedIndexes())
        self.comment_scope.setText(
            self._tr("The comment is written to the {count} selected cells.", count=count)
            if count > 1
            else ""
        )

    def _on_view_comment_requested(self) -> None:
        self.comment_edit.setFocus()
        self.comment_edit.selectAll()

    def _on_view_history_requested(self) -> None:
        self.history_list.setFocus()
        if self.history_list.count():
            self.history_list.setCurrentRow(0)

    def _on_follow_up_box_clicked(self, checked: bool) -> None:
        index = self.view.currentIndex()
        if index.isValid():
            row, area = self.model.row_and_area(index)
            self.save(
                [ValueEdit(cell_id=row.cell_id, area_id=area.id, follow_up=checked)],
                label=self._tr("Follow-up"),
            )

    def _findings_text(self, row, area, value) -> str:
        """Each finding of the cell with what clears it, or that its explanation already did."""
        tr, lines = self._tr, []
        for issue in self.model.issues(row.cell_id, area.id):
            lines.append("⚠ " + tr(issue.message, **issue.params))
            if explained(issue.severity, value.comment if value else ""):
                lines.append("   ✓ " + tr("Explained: it no longer blocks signing."))
            else:
                lines.append("   → " + tr(how_to_clear(issue.kind, issue.severity)))
        return "\n".join(lines)

    def _on_swap_button_clicked(self) -> None:
        self.model.set_transposed(not self.model.transposed)
        fit_columns(self.view, maximum=220, again=True, sample=WIDEST_VALUE)

    def _on_view_current_changed(self, index, _previous=None) -> None:
        if self.model is None or not index.isValid():
            return
        row, area = self.model.row_and_area(index)
        period = self.model.grid.period
        key = f"{period}/{row.cell_id}/{area.id}"

        def read(_progress):
            return (
                self._values.details(period, row.cell_id, area.id),
                self._audit.history("indicator_value", key),
            )

        model = self.model
        self._ops.run(
            self, read, lambda found: self._show_details(model, row, area, *found), key=(self, "details")
        )

    def _show_details(self, model, row, area, details, history) -> None:
        if self.model is not model:
            return
        value = self.model.value(row.cell_id, area.id)
        tr = self._tr
        self.where_label.setText(f"<b>{row.code}</b> {row.name}<br>{row.cell_label} — {area.name}")
        self.unit_label.setText(details.unit)
        self.previous_label.setText(
            f"{tr.exact(details.previous)} ({details.previous_period})"
            if details.previous is not None
            else tr("none")
        )
        target = details.target
        self.target_label.setText(tr.target(target.comparator, target.value) if target else tr("none"))
        self.comment_edit.setText(value.comment if value else "")
        self.follow_up_box.setChecked(bool(value and value.follow_up))
        self.issues_label.setText(self._findings_text(row, area, value))
        self.history_list.clear()
        for entry in reversed(history):
            new = entry.new or {}
            shown = tr.value(new.get("number"), new.get("text")) or "—"
            line = f"{entry.at:%d/%m/%Y %H:%M} {entry.who}: {shown}"
            if entry.reason:
                line += f" ({entry.reason})"
            self.history_list.addItem(line)
