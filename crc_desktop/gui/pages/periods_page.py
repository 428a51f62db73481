"""The periods page: each period's workflow state and history, its steps, and the
ready-to-sign list whose entries lead to the place to fix them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QBrush, QDesktopServices, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from crc_desktop.core.errors import CrcError
from crc_desktop.core.i18n import Translator
from crc_desktop.core.rules.check_groups import CheckSummary, counts_text, group_heading
from crc_desktop.core.schemas.changes import Changes
from crc_desktop.core.schemas.workflow import PeriodStatus, Place
from crc_desktop.core.services.export import ExportService, verify
from crc_desktop.core.services.office_certificates import OfficeCertificateService, SignerNotRegistered
from crc_desktop.core.services.values import ValueService
from crc_desktop.core.services.workflow import PeriodService, ReadinessService
from crc_desktop.core.signing.keys import KeySource
from crc_desktop.gui import file_dialogs
from crc_desktop.gui.actions import PERIOD_COMMANDS, bind, make_actions
from crc_desktop.gui.dialogs.export_dialog import ExportDialog, ExportRequest
from crc_desktop.gui.dialogs.reason_dialog import ReasonDialog
from crc_desktop.gui.dialogs.verify_dialog import VerifyDialog
from crc_desktop.gui.key_memory import KeyMemory
from crc_desktop.gui.messages import confirm, show_error
from crc_desktop.gui.ops import Operations
from crc_desktop.gui.read_only import lock

PLACE_ROLE = Qt.UserRole + 1
OPEN_GROUPS_UP_TO = 10  # a group with more entries is shown closed: its line says how many
_ERROR, _WARNING = QBrush(Qt.GlobalColor.darkRed), QBrush(Qt.GlobalColor.darkYellow)


class ProblemTree(QStandardItemModel):
    """The ready-to-sign check in collapsible groups (a unit, an indicator, the tasks), counts in
    each group's line, and under it the entries, each holding the place to fix it. A large
    province has thousands of entries: grouped, the tasks' blockers stay at the top."""

    def set_summary(self, summary: CheckSummary | None, tr: Translator) -> None:
        self.clear()
        self.opened_at_first: list[int] = []  # the tasks and other kinds, and the small groups
        if summary is None:
            return
        root = self.invisibleRootItem()
        for group in summary.groups:
            if group.translated or len(group.entries) <= OPEN_GROUPS_UP_TO:
                self.opened_at_first.append(root.rowCount())
            head = QStandardItem(("✗ " if group.blocking else "⚠ ") + group_heading(group, tr))
            head.setEditable(False)
            font = head.font()
            font.setBold(True)
            head.setFont(font)
            head.setForeground(_ERROR if group.blocking else _WARNING)
            hints: set[str] = set()  # each hint once per group
            entries = []
            for entry in group.entries:
                problem = entry.problem
                mark = "✗ " if problem.severity == "error" else "⚠ "
                where = f"{entry.where}: " if entry.where else ""
                text = mark + where + tr(problem.message, **problem.params)
                if problem.hint and problem.hint not in hints:
                    text += " → " + tr(problem.hint)
                    hints.add(problem.hint)
                item = QStandardItem(text)
                item.setEditable(False)
                item.setForeground(_ERROR if problem.severity == "error" else _WARNING)
                item.setData(problem.place, PLACE_ROLE)
                entries.append(item)
            head.appendRows(entries)
            root.appendRow(head)


class PeriodsPage(QWidget):
    """Emits `place_requested` when the user opens an entry of the ready-to-sign list."""

    place_requested = Signal(str, object)  # period code, Place

    def __init__(
        self,
        periods: PeriodService,
        readiness: ReadinessService,
        values: ValueService,
        export: ExportService,
        certificates: OfficeCertificateService,
        ops: Operations,
        tr: Translator,
        token_library: Callable[[], str],
        key_memory: KeyMemory | None = None,
        bundle_trust: Callable[[], str] = lambda: "",
        actions: dict[str, QAction] | None = None,
    ) -> None:
        """`actions`: the window's, shared with its Period menu (PERIOD_COMMANDS); else the page's own."""
        super().__init__()
        self.actions = actions if actions is not None else make_actions(PERIOD_COMMANDS, tr, self)
        self._bundle_trust = bundle_trust  # the trusted certificates of the settings
        self._periods, self._readiness, self._values = periods, readiness, values
        self._export, self._certificates = export, certificates
        self._ops, self._tr = ops, tr
        self._token_library = token_library
        self.key_memory = key_memory  # the key file last signed with, filled in the sign dialog
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([tr("Period"), tr("State"), tr("Version"), tr("Last step")])
        header = self.table.horizontalHeader()
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.Stretch)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QTableWidget.SelectRows)
        self.table.setSelectionMode(QTableWidget.SingleSelection)
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.new_code = QLineEdit()
        self.new_code.setPlaceholderText(tr("e.g. 2026 or 2026-H1"))
        self.new_code.setMaximumWidth(220)
        self.new_button = QPushButton(tr("New period"))
        self.submit_button = QPushButton(tr("Submit for review"))
        self.approve_button = QPushButton(tr("Approve"))
        self.reopen_button = QPushButton(tr("Reopen…"))
        self.check_button = QPushButton(tr("Check readiness to sign"))
        self.export_button = QPushButton(tr("Sign and export…"))
        self.export_button.setObjectName("export_button")
        self.save_again_button = QPushButton(tr("Save the signed bundle again…"))
        self.save_again_button.setToolTip(
            tr("Writes the same signed file again (for a lost copy); it does not sign anew.")
        )
        self.open_folder_button = QPushButton(tr("Open its folder"))
        self.verify_button = QPushButton(tr("Check a signed bundle…"))
        self.verify_button.setObjectName("verify_button")
        self.exported = QLabel()
        self.exported.setWordWrap(True)
        self.exported.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.problems = QTreeView()
        self.problems.setModel(ProblemTree())
        self.problems.setHeaderHidden(True)
        self.problems.setWordWrap(True)
        self.problems.setUniformRowHeights(False)
        self.problems.setEditTriggers(QTreeView.EditTrigger.NoEditTriggers)
        self.problems.setExpandsOnDoubleClick(True)  # a group opens and closes; an entry opens its place
        self.group_by = QComboBox()
        self.group_by.addItem(tr("By unit"), "unit")
        self.group_by.addItem(tr("By indicator"), "indicator")
        self.history = QListWidget()
        self.history.setWordWrap(True)
        self._last_path: Path | None = None
        self._statuses: dict[str, PeriodStatus] = {}
        self._read_only = ""  # why nothing may change (another window writes), or empty

        steps = QHBoxLayout()
        steps.addWidget(self.new_code)
        steps.addWidget(self.new_button)
        steps.addSpacing(16)
        for widget in (self.submit_button, self.approve_button, self.reopen_button, self.check_button):
            steps.addWidget(widget)
        steps.addStretch(1)

        signing = QGroupBox(tr("Sign and send"))
        signing_layout = QVBoxLayout(signing)
        signing_layout.addWidget(self.exported)
        signing_buttons = QGridLayout()
        signing_buttons.addWidget(self.export_button, 0, 0)
        signing_buttons.addWidget(self.save_again_button, 0, 1)
        signing_buttons.addWidget(self.open_folder_button, 1, 0)
        signing_buttons.addWidget(self.verify_button, 1, 1)
        signing_layout.addLayout(signing_buttons)

        check = QWidget()
        check_layout = QVBoxLayout(check)
        check_layout.setContentsMargins(0, 0, 0, 0)
        check_title = QHBoxLayout()
        check_title.addWidget(QLabel(tr("Ready-to-sign check (double-click to go there)")), 1)
        check_title.addWidget(self.group_by)
        check_layout.addLayout(check_title)
        check_layout.addWidget(self.summary)
        check_layout.addWidget(self.problems, 1)
        history = QWidget()
        history_layout = QVBoxLayout(history)
        history_layout.setContentsMargins(0, 0, 0, 0)
        history_layout.addWidget(QLabel(tr("History of the period")))
        history_layout.addWidget(self.history, 1)
        right = QSplitter(Qt.Vertical)
        right.addWidget(check)
        right.addWidget(history)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(signing)
        self.splitter = QSplitter()
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([450, 650])
        layout = QVBoxLayout(self)
        layout.addLayout(steps)
        layout.addWidget(self.splitter, 1)

        self.table.itemSelectionChanged.connect(self._on_table_selection_changed)
        commands = {  # each button offers its command's action, which the Period menu offers too
            "new": (self.new_button, self._on_new_button_clicked),
            "submit": (self.submit_button, self._on_submit_button_clicked),
            "approve": (self.approve_button, self._on_approve_button_clicked),
            "reopen": (self.reopen_button, self._on_reopen_button_clicked),
            "check": (self.check_button, self.run_check),
            "export": (self.export_button, self._on_export_button_clicked),
            "verify": (self.verify_button, self._on_verify_button_clicked),
        }
        for name, (button, slot) in commands.items():
            bind(button, self.actions[name])
            self.actions[name].triggered.connect(slot)
        self.open_folder_button.clicked.connect(self._on_open_folder_button_clicked)
        self.save_again_button.clicked.connect(self._on_save_again_button_clicked)
        self.problems.activated.connect(self._on_problems_activated)
        self.group_by.currentIndexChanged.connect(self._on_group_by_current_index_changed)
        self.reload()

    def reload(self, select: str | None = None) -> None:
        self._ops.run(
            self,
            lambda _progress: self._periods.list(),
            lambda periods: self._show_periods(periods, select),
            key=(self, "list"),
        )

    def on_changed(self, changes: Changes, _source) -> None:
        if changes.touches("periods", "values", "plan", "catalog", "office"):
            self.reload(changes.period if changes.periods and changes.period else self.current_code())

    def _show_periods(self, periods: list[PeriodStatus], select: str | None) -> None:
        self._statuses = {status.code: status for status in periods}
        self.table.setRowCount(len(periods))
        for row, status in enumerate(periods):
            last = status.history[-1] if status.history else None
            cells = [
                status.code,
                self._tr.state(status.state),
                str(status.version),
                self._describe_step(last) if last else "",
            ]
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        codes = [p.code for p in periods]
        if codes:
            self.table.blockSignals(True)
            self.table.selectRow(codes.index(select) if select in codes else len(codes) - 1)
            self.table.blockSignals(False)
        self._on_table_selection_changed()

    def _describe_step(self, step) -> str:
        who = step.user_name or step.os_user
        return f"{step.at:%d/%m/%Y %H:%M} — {self._tr.state(step.to_state)} — {who}"

    def current_code(self) -> str | None:
        row = self.table.currentRow()
        item = self.table.item(row, 0) if row >= 0 else None
        return item.text() if item else None

    def _on_table_selection_changed(self) -> None:
        code = self.current_code()
        self.problems.model().set_summary(None, self._tr)
        self.summary.clear()
        self.history.clear()
        if not code:
            for step in self._steps():
                step.setEnabled(False)
            return
        status = self._statuses.get(code)
        if status is None:
            return
        self._show_history(status)
        allowed = status.allowed_actions
        for name in ("submit", "approve", "reopen", "export"):
            self.actions[name].setEnabled(name in allowed)
        self.save_again_button.setEnabled("save_bundle" in allowed)
        self.actions["check"].setEnabled(True)
        if self._read_only:
            self.set_read_only(self._read_only)
        self._show_bundle(status)
        if self.isVisible():
            self.run_check()

    def set_read_only(self, reason: str) -> None:
        """Another window writes to the database: no period is created, moved on or signed here."""
        self._read_only = reason
        lock(reason, self.new_code, self.new_button, self.submit_button, self.approve_button)
        lock(reason, self.reopen_button, self.export_button)
        lock(reason, *(self.actions[c.name] for c in PERIOD_COMMANDS if c.changes_data))

    def _steps(self) -> tuple[QAction | QPushButton, ...]:
        """What a selected period may offer: the commands' actions, and the buttons of its bundle."""
        return (
            *(self.actions[name] for name in ("submit", "approve", "reopen", "check", "export")),
            self.save_again_button,
            self.open_folder_button,
        )

    def _show_bundle(self, status: PeriodStatus) -> None:
        """What was signed last, and where this session wrote it."""
        bundle = status.last_bundle
        tr = self._tr
        if bundle is None:
            text = tr("No signed bundle of period {code} yet.", code=status.code)
            if "export" not in status.allowed_actions:
                text += " " + tr("A period can be signed once it is approved.")
            self.exported.setText(text)
            self.open_folder_button.setEnabled(False)
            return
        path = self._last_path if self._last_path and self._last_path.name == bundle.file_name else None
        text = tr(
            "Last signed bundle: {file} (version {sequence}, {at}, signed by {signer}); SHA-256 {sha256}.",
            file=str(path) if path else bundle.file_name,
            sequence=bundle.sequence,
            at=f"{bundle.created_at:%d/%m/%Y %H:%M}",
            signer=bundle.signer,
            sha256=bundle.sha256,
        )
        self.exported.setText(text)
        self.open_folder_button.setEnabled(path is not None and path.exists())

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.run_check()

    def _show_history(self, status: PeriodStatus) -> None:
        for step in status.history:
            text = self._describe_step(step)
            if step.reason:
                text += f" — {self._tr('Reason')}: {step.reason}"
            self.history.addItem(text)

    def _step(self, action, title: str = "") -> None:
        code = self.current_code()
        if not code:
            return

        def refused(error: CrcError) -> None:
            show_error(self, self._tr, error)
            self.run_check()

        self._ops.run(
            self,
            lambda _progress: action(code),
            failed=refused,
            title=title,
        )

    def _on_submit_button_clicked(self) -> None:
        """Submitting is allowed with problems left, but not without knowing how many."""
        code = self.current_code()
        if not code:
            return

        def decide(readiness) -> None:
            if readiness.blocking and not self.confirm(
                self._tr(
                    "Period {code} still has {count} problems that block signing. "
                    "Submit it for review anyway?",
                    code=code,
                    count=len(readiness.blocking),
                )
            ):
                return
            self._step(self._periods.submit)

        self._ops.run(
            self, lambda _progress: self._readiness.check(code), decide, title=self._tr("Checking…")
        )

    def confirm(self, text: str) -> bool:
        return confirm(self, self._tr, text)

    def _on_new_button_clicked(self) -> None:
        code = self.new_code.text()

        def created(status: PeriodStatus) -> None:
            self.new_code.clear()

        self._ops.run(
            self,
            lambda _progress: self._periods.create(code),
            created,
        )

    def _on_approve_button_clicked(self) -> None:
        """Four eyes: a user approving what they submitted themselves says why (or leaves it to a
        colleague)."""
        code = self.current_code()
        if not code:
            return

        def decide(needs_reason: bool) -> None:
            reason = ""
            if needs_reason:
                reason = ReasonDialog.ask(
                    self._tr,
                    self._tr("Approve period {code}", code=code),
                    self._tr(
                        "You submitted this period yourself; the office asks another person to approve "
                        "it. To approve it anyway, say why (the reason is kept in its history)."
                    ),
                    self,
                )
                if not reason:
                    return
            self._step(lambda c: self._periods.approve(c, reason), self._tr("Approve"))

        self._ops.run(self, lambda _progress: self._periods.approval_needs_reason(code), decide)

    def _on_reopen_button_clicked(self) -> None:
        code = self.current_code()
        reason = ReasonDialog.ask(
            self._tr,
            self._tr("Reopen period {code}", code=code),
            self._tr("Why is this period reopened? The reason is kept in its history."),
            self,
        )
        if reason:
            self._step(lambda c: self._periods.reopen(c, reason))

    def run_check(self) -> None:
        """Run the ready-to-sign check in the background and list what it finds."""
        code = self.current_code()
        if not code:
            return
        self.summary.setText(self._tr("Checking…"))

        by = self.group_by.currentData()

        self._ops.run(
            self,
            lambda _progress: self._readiness.summary(code, by=by),
            lambda summary: self._show_problems(code, summary),
            failed=lambda error: self.summary.setText(error.render(self._tr)),
            title=self._tr("Check readiness to sign"),
            cancellable=True,
            key=(self, "check"),
        )

    def _show_problems(self, code: str, summary: CheckSummary) -> None:
        if code != self.current_code():
            return  # the user has moved on to another period
        model = self.problems.model()
        model.set_summary(summary, self._tr)
        for row in model.opened_at_first:
            self.problems.expand(model.index(row, 0))
        if summary.ready:
            self.summary.setText(
                self._tr(
                    "Period {code} is ready to sign ({count} warnings).",
                    code=code,
                    count=summary.warnings,
                )
            )
        else:
            self.summary.setText(
                self._tr(
                    "Period {code} is not ready to sign: {count} problems block it.",
                    code=code,
                    count=summary.blocking,
                )
                + " "
                + counts_text(summary.counts, self._tr)
            )

    def _on_group_by_current_index_changed(self, *_args) -> None:
        if self.problems.model().rowCount():
            self.run_check()

    def ask_export(self, code: str) -> ExportRequest | None:
        """Shows the export dialog (tests replace this)."""
        last = self.key_memory.last() if self.key_memory else None
        dialog = ExportDialog(self._tr, code, self._token_library(), self, ops=self._ops, last_key=last)
        if not dialog.exec():
            return None
        if self.key_memory and dialog.request.p12 is not None:
            self.key_memory.remember(dialog.request.p12)
        return dialog.request

    def _on_export_button_clicked(self) -> None:
        code = self.current_code()
        request = self.ask_export(code) if code else None
        if request is None:
            return

        key = KeySource(
            request.secret,
            p12=None if request.use_token else request.p12,
            library=request.library if request.use_token else None,
            token=request.token,
            key_label=request.key_label,
            key_id=request.key_id,
            apart=True,
        )
        self._ops.run(
            self,
            lambda progress: self._export.sign_and_export(
                code, key, request.out, number=request.number, progress=progress
            ),
            self._on_exported,
            failed=self._on_export_failed,
            title=self._tr("Signing and exporting…"),
            cancellable=True,
        )

    def _on_exported(self, result) -> None:
        self._last_path = Path(result.path)

    def ask_bundle_folder(self) -> Path | None:
        """Where to write the signed bundle again (tests replace this)."""
        return file_dialogs.choose_folder(self, self._tr("Save the signed bundle again…"))

    def _on_save_again_button_clicked(self) -> None:
        code, folder = self.current_code(), self.ask_bundle_folder()
        if not code or folder is None:
            return
        self._ops.run(
            self,
            lambda _progress: self._export.save_bundle(code, folder),
            self._on_exported,
        )

    def _on_open_folder_button_clicked(self) -> None:
        if self._last_path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._last_path.parent)))

    def _on_export_failed(self, error: Exception) -> None:
        if isinstance(error, SignerNotRegistered) and error.first:
            self._offer_to_register(error)
        else:
            show_error(self, self._tr, error)

    def _offer_to_register(self, error: SignerNotRegistered) -> None:
        """The office's first signing: register the certificate it used (then sign again)."""
        tr = self._tr
        question = tr(
            "No certificate is registered to sign for this office yet. Register {subject} as the "
            "office's certificate? Then sign again.",
            **error.params,
        )
        if not confirm(self, tr, question):
            return
        self._ops.run(
            self,
            lambda _progress: self._certificates.register(error.certificate_der),
            lambda added: self.exported.setText(
                tr("Registered to sign for the office: {subject}", subject=added.subject)
            ),
        )

    def _on_verify_button_clicked(self) -> None:
        VerifyDialog(self._tr, self._ops, verify, self, trust=self._bundle_trust()).exec()

    def _on_problems_activated(self, index: QModelIndex) -> None:
        place: Place | None = index.data(PLACE_ROLE)
        if place is not None:  # a group's line opens and closes the group
            self.place_requested.emit(self.current_code(), place)
