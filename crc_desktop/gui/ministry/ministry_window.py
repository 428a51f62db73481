"""The ministry's window: the trust registry (anchors and the provinces' certificates), the
inbox of bundles with their verification results, and a dashboard per period of who submitted,
on time or late. Every read and write of the national store and the registry folder runs on the
worker through the operations layer; the window shows at once and fills its tables when done."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDate, QElapsedTimer, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from crc_desktop.core.db.engine import Database
from crc_desktop.core.db.uow import Actor
from crc_desktop.core.errors import CrcError
from crc_desktop.core.i18n import Translator
from crc_desktop.core.ministry.consolidate import ConsolidationService
from crc_desktop.core.ministry.views import NationalViews, provinces
from crc_desktop.core.rules.vocabulary import label
from crc_desktop.core.signing.subjects import province_label
from crc_desktop.core.signing.trust import TrustEntry, TrustRegistry
from crc_desktop.gui import file_dialogs
from crc_desktop.gui.columns import fit_columns
from crc_desktop.gui.icons import application_icon
from crc_desktop.gui.messages import confirm, show_error
from crc_desktop.gui.ops import Operations
from crc_desktop.gui.tasks import TaskRunner

COLUMN_MAXIMUM = 420  # a longer text (a refusal's reason, a fingerprint) is cut; its tooltip holds it


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QTableWidget.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    return table


def _fill(table: QTableWidget, rows: list[list]) -> None:
    """Put `rows` in `table`; each column as wide as its header and its texts (up to a maximum),
    none taking the width that is left."""
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            text = "" if value is None else str(value)
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            table.setItem(r, c, item)
    fit_columns(table, again=True, maximum=COLUMN_MAXIMUM)


def _read_registry(folder: Path) -> list[tuple[TrustEntry, str]]:
    """The registry's entries, each with the label of its province ("" for an anchor)."""
    folder.mkdir(parents=True, exist_ok=True)
    return [(e, province_label(e.province) if e.province else "") for e in TrustRegistry(folder).entries()]


class MinistryWindow(QMainWindow):
    def __init__(
        self, store: Database, trust_dir: Path, tr: Translator, logs: Path, runner: TaskRunner | None = None
    ) -> None:
        super().__init__()
        self._trust_dir, self._tr = Path(trust_dir), tr
        self.runner = runner or TaskRunner()
        self.ops = Operations(self.runner, tr, logs)
        self._entries: list[TrustEntry] = []
        actor = Actor.current()
        self._views = NationalViews(store, actor)
        self._consolidation = ConsolidationService(store, actor)
        self.setWindowTitle(tr("CRC Desktop — ministry: national consolidation"))
        self.setWindowIcon(application_icon())
        screen = QGuiApplication.primaryScreen()  # 1280×800, or the screen's free area when smaller
        self.resize(
            QSize(1280, 800).boundedTo(screen.availableGeometry().size()) if screen else QSize(1280, 800)
        )
        tabs = self.tabs = QTabWidget()
        tabs.addTab(self._dashboard_tab(), tr("Dashboard"))
        tabs.addTab(self._inbox_tab(), tr("Inbox"))
        tabs.addTab(self._registry_tab(), tr("Provinces' certificates"))
        self.setCentralWidget(tabs)
        self.statusBar().showMessage(tr("National store: {path}", path=str(store.path)))
        self.ops.run(self, lambda _progress: provinces(), self._show_provinces)
        self.reload_registry()
        self.reload_dashboard()

    def wait_until_loaded(self, timeout_ms: int = 120_000) -> None:
        """Wait until the worker has shown every table (a screenshot is taken then)."""
        clock = QElapsedTimer()
        clock.start()
        while clock.elapsed() < timeout_ms:
            self.runner.wait()
            QApplication.processEvents()  # the results arrive as queued signals
            if not self.runner.busy:
                break

    # -- dashboard ---------------------------------------------------------------------------

    def _dashboard_tab(self) -> QWidget:
        tr = self._tr
        self.period_box = QComboBox()
        self.period_box.setEditable(True)
        self.period_box.addItems(["2025", "2026", "2025-H1", "2025-H2"])
        self.due = QDateEdit(QDate(QDate.currentDate().year(), 1, 31))
        self.due.setDisplayFormat("dd/MM/yyyy")
        self.summary = QLabel()
        self.export_button = QPushButton(tr("Export the national workbook (Excel)…"))
        self.submissions = _table(
            [
                tr("Code"),
                tr("Province"),
                tr("Submitted"),
                tr("Version"),
                tr("Signed at"),
                tr("Late"),
                tr("Refused bundles"),
            ]
        )
        top = QHBoxLayout()
        for widget in (
            QLabel(tr("Period")),
            self.period_box,
            QLabel(tr("Deadline")),
            self.due,
            self.export_button,
        ):
            top.addWidget(widget)
        top.addStretch(1)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.submissions, 1)
        self.period_box.currentTextChanged.connect(lambda _text: self.reload_dashboard())
        self.due.dateChanged.connect(lambda _date: self.reload_dashboard())
        self.export_button.clicked.connect(self._on_export_button_clicked)
        return tab

    def reload_dashboard(self) -> None:
        """Read who submitted for the period shown (a later change of period supersedes it)."""
        period, due = self.period_box.currentText().strip(), self.due.date().toPython()
        self.ops.run(
            self,
            lambda _progress: self._views.submissions(period, due),
            lambda rows: self._show_dashboard(period, rows),
            key="dashboard",
        )

    def _show_dashboard(self, period: str, rows: list) -> None:
        tr = self._tr
        _fill(
            self.submissions,
            [
                [
                    s.province_code,
                    s.province_name,
                    tr("Yes") if s.submitted else tr("No"),
                    s.sequence,
                    f"{s.signed_at:%d/%m/%Y %H:%M}" if s.signed_at else "",
                    tr("Yes") if s.late else "",
                    "; ".join(s.refused),
                ]
                for s in rows
            ],
        )
        submitted = sum(1 for s in rows if s.submitted)
        late = sum(1 for s in rows if s.late)
        self.summary.setText(
            tr(
                "Period {period}: {submitted} of {total} provinces submitted, {late} late, "
                "{missing} missing.",
                period=period,
                submitted=submitted,
                total=len(rows),
                late=late,
                missing=len(rows) - submitted,
            )
        )

    def ask_save_path(self) -> Path | None:
        return file_dialogs.save_file(
            self,
            self._tr("Export the national workbook (Excel)…"),
            f"toan-quoc-{self.period_box.currentText()}.xlsx",
            "Excel (*.xlsx)",
        )

    def _on_export_button_clicked(self) -> None:
        target = self.ask_save_path()
        if target:
            period, due = self.period_box.currentText().strip(), self.due.date().toPython()
            self.ops.run(
                self,
                lambda _progress: self._views.workbook(period, target, due),
                lambda path: self.statusBar().showMessage(self._tr("Written: {path}", path=str(path))),
                title=self._tr("Writing the workbook…"),
            )

    # -- inbox ---------------------------------------------------------------------------------

    def _inbox_tab(self) -> QWidget:
        tr = self._tr
        self.load_button = QPushButton(tr("Load bundles from a folder…"))
        self.inbox = _table(
            [tr("File"), tr("Result"), tr("Province"), tr("Period"), tr("Version"), tr("Reason")]
        )
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(self.load_button)
        layout.addWidget(self.inbox, 1)
        self.load_button.clicked.connect(self._on_load_button_clicked)
        return tab

    def ask_folder(self) -> Path | None:
        return file_dialogs.choose_folder(self, self._tr("Load bundles from a folder…"))

    def _on_load_button_clicked(self) -> None:
        folder = self.ask_folder()
        if folder:
            self.ops.run(
                self,
                lambda progress: self._consolidation.consolidate(
                    [folder], [self._trust_dir], progress=progress
                ),
                self._show_inbox,
                title=self._tr("Verifying and loading bundles…"),
                cancellable=True,
            )

    def _show_inbox(self, report) -> None:
        tr = self._tr
        _fill(
            self.inbox,
            [
                [
                    o.file,
                    label(o.status, tr),
                    o.province,
                    o.period,
                    o.sequence,
                    tr(o.detail, **o.params) if o.status == "refused" else "",
                ]
                for o in report.outcomes
            ],
        )
        self.reload_dashboard()

    # -- registry ------------------------------------------------------------------------------

    def _registry_tab(self) -> QWidget:
        tr = self._tr
        self.add_button = QPushButton(tr("Add a certificate…"))
        self.remove_button = QPushButton(tr("Remove the selected certificate…"))
        self.province_box = QComboBox()
        self.province_box.addItem(tr("Anchor: a root every chain may end at (binds no province)"), "")
        self.registry = _table(
            [
                tr("Province"),
                tr("Kind"),
                tr("Certificate"),
                tr("Fingerprint (SHA-256)"),
                tr("Valid from"),
                tr("Valid until"),
                tr("File"),
            ]
        )
        self.registry.setSelectionBehavior(QTableWidget.SelectRows)
        note = QLabel(
            tr(
                "A bundle is accepted when its signer's chain ends at an anchor or a registered CA, "
                "and the signer, or the CA that issued it, is registered for the province the "
                "bundle is from."
            )
        )
        note.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.province_box)
        top.addWidget(self.add_button)
        top.addWidget(self.remove_button)
        top.addStretch(1)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addLayout(top)
        layout.addWidget(note)
        layout.addWidget(self.registry, 1)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        return tab

    def _show_provinces(self, codes_and_names: list[tuple[str, str]]) -> None:
        for code, name in codes_and_names:
            self.province_box.addItem(f"{code} {name}", code)

    def reload_registry(self) -> None:
        self.ops.run(
            self, lambda _progress: _read_registry(self._trust_dir), self._show_registry, key="registry"
        )

    def _show_registry(self, entries: list[tuple[TrustEntry, str]]) -> None:
        tr = self._tr
        self._entries = [e for e, _label in entries]
        _fill(
            self.registry,
            [
                [
                    label or tr("anchor"),
                    tr("CA") if e.is_ca else tr("signer"),
                    e.subject,
                    e.fingerprint,
                    tr.date(e.valid_from),
                    tr.date(e.valid_until),
                    e.file,
                ]
                for e, label in entries
            ],
        )

    def ask_certificate(self) -> Path | None:
        return file_dialogs.open_file(
            self, self._tr("Add a certificate…"), self._tr("Certificates") + " (*.pem *.crt *.cer *.der)"
        )

    def _on_add_button_clicked(self) -> None:
        source = self.ask_certificate()
        if not source:
            return
        code, folder = self.province_box.currentData(), self._trust_dir

        def add(_progress) -> list[TrustEntry]:
            registry = TrustRegistry(folder)
            return registry.add(code, source) if code else registry.add_anchor(source)

        self.ops.run(self, add, lambda _added: self.reload_registry())

    def _on_remove_button_clicked(self) -> None:
        row = self.registry.currentRow()
        if row < 0 or row >= len(self._entries):
            show_error(self, self._tr, CrcError("Select a certificate in the list first."))
            return
        entry = self._entries[row]
        question = self._tr("Remove {subject} from the registry?", subject=entry.subject)
        if confirm(self, self._tr, question):
            folder = self._trust_dir
            self.ops.run(
                self,
                lambda _progress: TrustRegistry(folder).remove(entry.fingerprint),
                lambda _removed: self.reload_registry(),
            )
