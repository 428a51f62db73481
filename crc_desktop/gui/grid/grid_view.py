"""The grid's table view: spreadsheet keys (Enter down, Tab right, Delete clears), the
tab-separated clipboard that Excel reads and writes, a right-click menu with the same commands
(shortcuts shown), and a refused value kept in its editor, red, with the reason beside the cell
until the user fixes it or presses Escape."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QMenu,
    QStyledItemDelegate,
    QTableView,
)

from crc_desktop.core.i18n import Translator

REFUSED_EDITOR_STYLE = "background:#f8d7da; border:2px solid #b02a37;"
REFUSAL_STYLE = "background:#fff; color:#842029; border:1px solid #b02a37; padding:4px; border-radius:3px;"


def to_tsv(block: list[list[str]]) -> str:
    return "\n".join("\t".join(row) for row in block)


def from_tsv(text: str) -> list[list[str]]:
    """Rows of cells from Excel's clipboard (a trailing newline is not an extra row)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and lines[-1] == "":
        lines.pop()
    return [line.split("\t") for line in lines]


class _TypingDelegate(QStyledItemDelegate):
    """The grid's editor keeps what the user has typed when the model announces a change of its
    cells (the period's findings arriving after the grid is shown refresh every cell; Qt would
    put the stored value back into an open editor)."""

    def setEditorData(self, editor, index) -> None:  # noqa: N802 - Qt override
        if isinstance(editor, QLineEdit) and editor.isModified():
            return
        super().setEditorData(editor, index)


class GridView(QTableView):
    """Emits what the user wants done with the selection; the page does it."""

    clear_requested = Signal(list)  # indexes
    paste_requested = Signal(object, list)  # top-left index, block of texts
    comment_requested = Signal()
    history_requested = Signal()

    def __init__(self, tr: Translator) -> None:
        super().__init__()
        self.setObjectName("indicator_grid")
        self.setEditTriggers(
            QAbstractItemView.AnyKeyPressed
            | QAbstractItemView.DoubleClicked
            | QAbstractItemView.EditKeyPressed
        )
        self.setSelectionMode(QAbstractItemView.ContiguousSelection)
        self.setItemDelegate(_TypingDelegate(self))
        self.setAlternatingRowColors(True)
        self.verticalHeader().setDefaultSectionSize(24)
        self.horizontalHeader().setDefaultSectionSize(110)
        self._refusal: str | None = None  # set by the page while a commit is being refused
        self.refusal_label = QLabel(self.viewport())
        self.refusal_label.setObjectName("refusal")
        self.refusal_label.setWordWrap(True)
        self.refusal_label.setStyleSheet(REFUSAL_STYLE)
        self.refusal_label.setMaximumWidth(340)
        self.refusal_label.hide()
        self.copy_action = self._action(tr("Copy"), QKeySequence.Copy, self._on_copy_action_triggered)
        self.paste_action = self._action(tr("Paste"), QKeySequence.Paste, self._on_paste_action_triggered)
        self.clear_action = self._action(
            tr("Clear"), QKeySequence(Qt.Key_Delete), self._on_clear_action_triggered
        )
        self.comment_action = self._action(
            tr("Comment or explanation…"), QKeySequence("Shift+F2"), self.comment_requested.emit
        )
        self.history_action = self._action(
            tr("History of this value"), QKeySequence("Ctrl+H"), self.history_requested.emit
        )

    def _action(self, text: str, shortcut: QKeySequence, slot) -> QAction:
        action = QAction(text, self)
        action.setShortcut(shortcut)
        action.setShortcutContext(Qt.WidgetShortcut)  # not while a cell's editor has the keys
        action.setShortcutVisibleInContextMenu(True)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def context_menu(self) -> QMenu:
        """The right-click menu: the grid's commands with their shortcuts."""
        menu = QMenu(self)
        for action in (self.copy_action, self.paste_action, self.clear_action):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.comment_action)
        menu.addAction(self.history_action)
        return menu

    def contextMenuEvent(self, event) -> None:  # noqa: N802 - Qt override
        index = self.indexAt(event.pos())
        if index.isValid() and not self.selectionModel().isSelected(index):
            self.setCurrentIndex(index)
        self.context_menu().exec(event.globalPos())

    # -- a refused value stays in its editor ------------------------------------------------

    def refuse(self, index, message: str) -> None:
        """The value just committed at `index` was refused: say why beside the cell; the editor,
        if one is open, stays open with the text typed."""
        if self.state() == QAbstractItemView.EditingState:
            self._refusal = message  # closeEditor, next, keeps the editor
        self.refusal_label.setText(message)
        self.refusal_label.adjustSize()
        rect = self.visualRect(index)
        viewport = self.viewport().rect()
        x = rect.right() + 4
        if x + self.refusal_label.width() > viewport.right():
            x = max(0, rect.left() - self.refusal_label.width() - 4)
        y = min(rect.top(), max(0, viewport.bottom() - self.refusal_label.height()))
        self.refusal_label.move(QPoint(x, y))
        self.refusal_label.show()
        self.refusal_label.raise_()

    def clear_refusal(self) -> None:
        self._refusal = None
        self.refusal_label.hide()
        self.refusal_label.clear()

    def closeEditor(self, editor, hint) -> None:  # noqa: N802 - Qt override
        if self._refusal is not None and hint != QAbstractItemDelegate.RevertModelCache:
            self._refusal = None  # the reason stays shown; the next commit is judged afresh
            editor.setStyleSheet(REFUSED_EDITOR_STYLE)
            editor.setFocus()
            return
        self.clear_refusal()
        super().closeEditor(
            editor, QAbstractItemDelegate.NoHint if hint == QAbstractItemDelegate.SubmitModelCache else hint
        )
        if hint == QAbstractItemDelegate.SubmitModelCache:
            self._move_down()

    def _move_down(self) -> None:
        current = self.currentIndex()
        below = current.sibling(current.row() + 1, current.column())
        if below.isValid():
            self.setCurrentIndex(below)

    # -- keys and the clipboard --------------------------------------------------------------

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self.state() != QAbstractItemView.EditingState:
            if event.key() in (Qt.Key_Return, Qt.Key_Enter):
                self._move_down()
                return
            if event.key() == Qt.Key_Backspace:
                self._on_clear_action_triggered()
                return
            pressed = QKeySequence(event.keyCombination())
            for action in self.actions():  # when the window is not active, shortcuts do not fire
                if action.shortcut().matches(pressed) == QKeySequence.ExactMatch:
                    action.trigger()
                    return
        super().keyPressEvent(event)

    def _on_copy_action_triggered(self) -> None:
        QGuiApplication.clipboard().setText(self.selection_text())

    def _on_paste_action_triggered(self) -> None:
        block = from_tsv(QGuiApplication.clipboard().text())
        if block:
            self.paste_requested.emit(self._top_left(), block)

    def _on_clear_action_triggered(self) -> None:
        self.clear_requested.emit(self.selectedIndexes() or [self.currentIndex()])

    def _top_left(self):
        indexes = self.selectedIndexes()
        if not indexes:
            return self.currentIndex()
        return min(indexes, key=lambda i: (i.row(), i.column()))

    def selection_text(self) -> str:
        indexes = self.selectedIndexes() or [self.currentIndex()]
        rows = sorted({i.row() for i in indexes})
        columns = sorted({i.column() for i in indexes})
        model = self.model()
        return to_tsv(
            [[str(model.data(model.index(r, c), Qt.EditRole) or "") for c in columns] for r in rows]
        )
