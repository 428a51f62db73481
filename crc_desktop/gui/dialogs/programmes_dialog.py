"""Which programmes a task is folded into ("lồng ghép"): the catalogue, each programme with the
decision that approved it, ticked for the task; returns the chosen codes and writes nothing."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QListWidgetItem, QVBoxLayout

from crc_desktop.core.i18n import Translator
from crc_desktop.core.schemas.programmes import Programme


class ProgrammesDialog(QDialog):
    def __init__(
        self, tr: Translator, task: str, catalogue: list[Programme], chosen: list[str], parent=None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Programmes task {task} is folded into", task=task))
        self.setMinimumWidth(640)
        note = QLabel(
            tr(
                "Tick the programmes this task is folded into. A programme missing from the list is "
                "added with the decision that approved it (crc-desktop plan programme add)."
            )
        )
        note.setWordWrap(True)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        for programme in catalogue:
            item = QListWidgetItem(f"{programme.name} — {programme.source}")
            item.setData(Qt.UserRole, programme.code)
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            item.setCheckState(Qt.Checked if programme.code in chosen else Qt.Unchecked)
            self.list.addItem(item)
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton(tr("OK"), QDialogButtonBox.AcceptRole)
        buttons.addButton(tr("Cancel"), QDialogButtonBox.RejectRole)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

    def chosen(self) -> list[str]:
        items = (self.list.item(row) for row in range(self.list.count()))
        return [item.data(Qt.UserRole) for item in items if item.checkState() == Qt.Checked]
