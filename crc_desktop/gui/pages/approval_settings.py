"""The office's approval rule in Settings: whether another person than the submitter must
approve a period (on by default); turning it off needs a reason, kept in the audit log."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout

from crc_desktop.core.errors import CrcError
from crc_desktop.core.i18n import Translator
from crc_desktop.core.services.workflow import PeriodService
from crc_desktop.gui.ops import Operations
from crc_desktop.gui.read_only import lock


class ApprovalSettings(QGroupBox):
    def __init__(self, periods: PeriodService, ops: Operations, tr: Translator) -> None:
        super().__init__(tr("Approval"))
        self._periods, self._ops, self._tr = periods, ops, tr
        self.required = QCheckBox(tr("Another person than the one who submitted a period must approve it"))
        self.required.setObjectName("approver_must_differ")
        self.required.setChecked(True)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(tr("Why the submitter may approve too (needed to turn this off)"))
        self.save_button = QPushButton(tr("Save the approval rule"))
        self.note = QLabel()
        self.note.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.reason, 1)
        row.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.required)
        layout.addLayout(row)
        layout.addWidget(self.note)
        self.required.toggled.connect(self._on_required_toggled)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self._on_required_toggled(self.required.isChecked())
        ops.run(self, lambda _progress: periods.approver_must_differ(), self.required.setChecked)

    _read_only = ""

    def set_read_only(self, reason: str) -> None:
        self._read_only = reason
        lock(reason, self.required, self.reason, self.save_button)

    def _on_required_toggled(self, checked: bool) -> None:
        self.reason.setEnabled(not checked and not self._read_only)

    def _on_save_button_clicked(self) -> None:
        required, reason = self.required.isChecked(), self.reason.text()

        def refused(error: CrcError) -> None:
            self.note.setStyleSheet("color:#842029")
            self.note.setText(error.render(self._tr))

        def saved(_none) -> None:
            self.note.setStyleSheet("color:#0f5132")
            self.note.setText(self._tr("Saved."))
            self.reason.clear()

        self._ops.run(
            self,
            lambda _progress: self._periods.set_approver_must_differ(required, reason),
            saved,
            failed=refused,
        )
