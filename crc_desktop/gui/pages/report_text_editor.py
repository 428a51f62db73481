"""The editor of what the office writes in its report: one section at a time, paragraphs and
"- " bullet lists, saved as the user types (after a pause), with the editor's undo; each save is
one audited change, and a submitted or approved period asks for the reason once per sitting (the
window's `SessionReasons`: a reason given on the grid or the progress page serves here too). Beside it, the
sentences the program drafted from the numbers for that section, which the officer inserts (then
edits) or leaves out."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from crc_desktop.core.i18n import N_, Translator
from crc_desktop.core.schemas.report_text import SECTIONS
from crc_desktop.core.services.reports import ReportService
from crc_desktop.gui.dialogs.reason_dialog import ReasonDialog
from crc_desktop.gui.ops import Operations
from crc_desktop.gui.widgets.change_reason import SessionReasons

SAVE_AFTER_MS = 800  # a pause in typing this long saves the section
SECTION_NAMES = {
    "direction": N_("I. Direction, management and implementation"),
    "results": N_("II. Results: introduction"),
    "shortcomings": N_("III. Shortcomings, limitations and their causes"),
    "next_steps": N_("IV. Directions and tasks for the next period"),
    "proposals": N_("V. Proposals and recommendations"),
}


class ReportTextEditor(QGroupBox):
    saved = Signal(str)  # the period whose text was saved

    def __init__(
        self, reports: ReportService, ops: Operations, tr: Translator, reasons: SessionReasons | None = None
    ) -> None:
        super().__init__(tr("Text of the report"))
        self._reports, self._ops, self._tr = reports, ops, tr
        self._reasons = reasons or SessionReasons(self)  # the window's: one per period and sitting
        self._period = ""
        self._texts: dict[str, str] = {}
        self._state = None
        self._loading = False
        self._shown = ""  # the section whose text the editor holds (the box may have moved on)
        self.section_box = QComboBox()
        for key in SECTIONS:
            group = key.partition(".")[2]
            label = tr("II. Results: group {number}", number=group) if group else tr(SECTION_NAMES[key])
            self.section_box.addItem(label, key)
        self.editor = QPlainTextEdit()
        self.editor.setPlaceholderText(
            tr('Write paragraphs; start a line with "- " for a bullet list. Saved as you type.')
        )
        self.drafts_label = QLabel(tr("Drafted from the numbers (select one, then Insert)"))
        self.drafts_list = QListWidget()
        self.drafts_list.setWordWrap(True)
        self.insert_button = QPushButton(tr("Insert"))
        self.insert_button.setEnabled(False)
        self._drafts: list = []
        self.undo_button = QPushButton(tr("Undo"))
        self.undo_button.setEnabled(False)
        self.state_label = QLabel()
        self.state_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.section_box)
        layout.addWidget(self.editor, 3)
        layout.addWidget(self.drafts_label)
        layout.addWidget(self.drafts_list, 2)
        buttons = QHBoxLayout()
        buttons.addWidget(self.insert_button)
        buttons.addWidget(self.undo_button)
        layout.addLayout(buttons)
        layout.addWidget(self.state_label)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_AFTER_MS)
        self._timer.timeout.connect(self.save_now)
        self.editor.textChanged.connect(self._on_editor_text_changed)
        self.editor.undoAvailable.connect(self.undo_button.setEnabled)
        self.undo_button.clicked.connect(self.editor.undo)
        self.insert_button.clicked.connect(self._on_insert_button_clicked)
        self.drafts_list.currentItemChanged.connect(
            lambda item, _old: self.insert_button.setEnabled(
                item is not None and not self.editor.isReadOnly()
            )
        )
        self.section_box.currentIndexChanged.connect(self._on_section_box_current_index_changed)

    @property
    def section(self) -> str:
        return self.section_box.currentData()

    def load(self, period: str) -> None:
        """Show `period`'s text (read off the GUI thread); what was being typed is saved first."""
        self.save_now()
        self._period, self._shown = period, ""
        if not period:
            return
        self._ops.run(self, lambda _progress: self._reports.editable_text(period), self._on_loaded, key=self)
        self._ops.run(
            self, lambda _progress: self._reports.drafts(period), self._on_drafted, key=(self, "drafts")
        )

    def _on_drafted(self, drafts) -> None:
        self._drafts = drafts
        self._show_drafts()

    def _show_drafts(self) -> None:
        self.drafts_list.clear()
        for sentence in self._drafts:
            if sentence.section == self._shown:
                item = QListWidgetItem(sentence.text)
                item.setData(Qt.UserRole, sentence.text)
                self.drafts_list.addItem(item)

    def _on_insert_button_clicked(self) -> None:
        """The chosen sentence, as a paragraph of its own at the cursor (then saved as typing is)."""
        item = self.drafts_list.currentItem()
        if item is None or self.editor.isReadOnly():
            return
        cursor = self.editor.textCursor()
        before = cursor.block().text().strip()
        cursor.insertText(("\n" if before else "") + item.data(Qt.UserRole))
        self.editor.setTextCursor(cursor)
        self.editor.setFocus()

    def _on_loaded(self, editable) -> None:
        if editable.period != self._period:
            return
        self._texts = {section.key: section.text for section in editable.text.sections}
        self._state = editable.state
        locked = not editable.state.editable
        self.editor.setReadOnly(locked)
        self.state_label.setText(
            self._tr(
                "Period {code} is signed and locked; reopen it (with a reason) to change it.",
                code=self._period,
            )
            if locked
            else ""
        )
        self._show_section()

    def _show_section(self) -> None:
        self._loading = True
        self._shown = self.section
        self.editor.setPlainText(self._texts.get(self._shown, ""))  # a new text: a fresh undo history
        self._loading = False
        self._show_drafts()

    def _on_section_box_current_index_changed(self, _index: int) -> None:
        self.save_now()
        self._show_section()

    def _on_editor_text_changed(self) -> None:
        if not self._loading and not self.editor.isReadOnly():
            self._timer.start()

    def save_now(self) -> None:
        """Save what is typed in the current section, if it changed."""
        self._timer.stop()
        if not self._period or self._state is None or not self._shown:
            return
        section, text = self._shown, self.editor.toPlainText()
        if text.strip() == self._texts.get(section, "").strip():
            return
        period, reason = self._period, ""
        if self._state.needs_reason:
            reason = self._reasons.get(period) or ReasonDialog.ask_change(self._tr, self._state, self) or ""
            if not reason:
                return
            self._reasons.set(period, reason)
        self._texts[section] = text.strip()
        self._ops.run(
            self,
            lambda _progress: self._reports.save_text(period, section, text, reason),
            self._on_saved,
        )

    def _on_saved(self, result) -> None:
        self.state_label.setText(self._tr("Saved."))
        self.saved.emit(result.period)
