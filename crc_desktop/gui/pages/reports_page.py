"""Reports and export: the PDF report with its preview, the Excel workbooks, SDMX-CSV, and the
Excel import with its dry run. Every job runs off the GUI thread with a progress dialog."""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from crc_desktop.core.i18n import Translator
from crc_desktop.core.progress import Progress
from crc_desktop.core.reporting.preview import render_pages
from crc_desktop.core.services.reports import ReportService
from crc_desktop.gui import file_dialogs
from crc_desktop.gui.dialogs.reason_dialog import ReasonDialog
from crc_desktop.gui.messages import confirm
from crc_desktop.gui.ops import Operations
from crc_desktop.gui.pages.report_text_editor import ReportTextEditor
from crc_desktop.gui.read_only import lock
from crc_desktop.gui.widgets.change_reason import SessionReasons

PAGES_AT_ONCE = 4  # preview pages shown per pass of the event loop
PREVIEW_AFTER_SAVE_MS = 1500  # the preview follows the text once the user pauses a little longer


class ReportsPage(QWidget):
    def __init__(
        self,
        reports: ReportService,
        ops: Operations,
        tr: Translator,
        periods: list[str],
        reasons: SessionReasons | None = None,
    ) -> None:
        super().__init__()
        self._reports, self._ops, self._tr = reports, ops, tr
        self._reasons = reasons or SessionReasons(self)  # the window's: one per period and sitting
        self._waiting_pages: list = []  # pages of the preview not yet shown (added a few at a time)
        self._preview_dir = tempfile.TemporaryDirectory(prefix="crc-preview-")
        self.period_box = QComboBox()
        self.date_edit = QDateEdit(QDate.currentDate())
        self.date_edit.setDisplayFormat("dd/MM/yyyy")
        self.date_edit.setCalendarPopup(True)
        self.preview_button = QPushButton(tr("Preview the report"))
        self.save_pdf_button = QPushButton(tr("Save the report (PDF)…"))
        self.save_docx_button = QPushButton(tr("Save as a Word draft (.docx)…"))
        self.text_editor = ReportTextEditor(reports, ops, tr, self._reasons)
        self.text_editor.setMinimumWidth(400)  # a paragraph readable while it is written
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_AFTER_SAVE_MS)
        self.template_button = QPushButton(tr("Export the entry workbook (Excel)…"))
        self.import_button = QPushButton(tr("Import values from Excel…"))
        self.plan_button = QPushButton(tr("Export the plan and progress (Excel)…"))
        self.sdmx_button = QPushButton(tr("Export values as SDMX-CSV…"))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.pages = QWidget()
        self.pages_layout = QVBoxLayout(self.pages)
        self.pages_layout.setAlignment(Qt.AlignHCenter)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.pages)

        controls = QGroupBox(tr("Documents of the period"))
        grid = QGridLayout(controls)
        grid.addWidget(QLabel(tr("Period")), 0, 0)
        grid.addWidget(self.period_box, 0, 1)
        grid.addWidget(QLabel(tr("Date of the report")), 1, 0)
        grid.addWidget(self.date_edit, 1, 1)
        for row, button in enumerate(
            (
                self.preview_button,
                self.save_pdf_button,
                self.save_docx_button,
                self.template_button,
                self.import_button,
                self.plan_button,
                self.sdmx_button,
            ),
            start=2,
        ):
            grid.addWidget(button, row, 0, 1, 2)
        grid.addWidget(self.status, 9, 0, 1, 2)
        layout = QGridLayout(self)
        layout.addWidget(controls, 0, 0)
        layout.addWidget(self.text_editor, 1, 0)
        layout.addWidget(scroll, 0, 1, 2, 1)
        layout.setRowStretch(1, 1)
        layout.setColumnStretch(1, 1)

        self.preview_button.clicked.connect(self.preview)
        self.save_pdf_button.clicked.connect(self._on_save_pdf_button_clicked)
        self.save_docx_button.clicked.connect(self._on_save_docx_button_clicked)
        self.period_box.currentTextChanged.connect(self.text_editor.load)
        self.text_editor.saved.connect(lambda _period: self._preview_timer.start())
        self._preview_timer.timeout.connect(lambda: self.preview(quiet=True))
        self.template_button.clicked.connect(self._on_template_button_clicked)
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self.plan_button.clicked.connect(self._on_plan_button_clicked)
        self.sdmx_button.clicked.connect(self._on_sdmx_button_clicked)
        self.set_periods(periods)
        self.text_editor.load(self.period)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if not self.pages_layout.count() and self.period:
            self.preview()  # the first look at the page shows the report

    def set_periods(self, periods: list[str]) -> None:
        current = self.period_box.currentText()
        self.period_box.clear()
        self.period_box.addItems(periods)
        self.period_box.setCurrentText(current if current in periods else (periods[-1] if periods else ""))

    def set_read_only(self, reason: str) -> None:
        """Another window writes to the database: values are not imported here."""
        lock(reason, self.import_button, self.text_editor.editor)

    @property
    def period(self) -> str:
        return self.period_box.currentText()

    def _report_date(self):
        return self.date_edit.date().toPython()

    # -- asking for files (tests replace these) ----------------------------------------

    def ask_save_path(self, title: str, suggested: str, pattern: str) -> Path | None:
        return file_dialogs.save_file(self, title, suggested, pattern)

    def ask_open_path(self, title: str, pattern: str) -> Path | None:
        return file_dialogs.open_file(self, title, pattern)

    # -- jobs -------------------------------------------------------------------------------

    def _run(self, title: str, work, on_done) -> None:
        self._ops.run(self, work, on_done, title=title, cancellable=True)

    def _file_name(self, kind: str, suffix: str) -> str:
        return f"{kind}-{self.period}{suffix}"

    def preview(self, quiet: bool = False) -> None:
        """Make the report and show its pages; `quiet`: after a save of the text, without a
        progress dialog (a newer one supersedes it)."""
        self.text_editor.save_now()
        target = Path(self._preview_dir.name) / f"preview-{self.period}.pdf"
        period, day = self.period, self._report_date()

        def work(progress: Progress):
            self._reports.pdf(
                period, target, on=day, progress=Progress(lambda f, m: progress.step(f * 0.6, m))
            )
            pages = render_pages(target, progress=Progress(lambda f, m: progress.step(0.6 + f * 0.4, m)))
            # the images are made here, off the GUI thread (a QImage may be): the page only shows them
            return [
                QImage(p.rgb, p.width, p.height, p.stride, QImage.Format.Format_RGB888).copy() for p in pages
            ]

        if quiet:
            self._ops.run(self, work, self._show_pages, key=(self, "preview"))
        else:
            self._run(self._tr("Making the report…"), work, self._show_pages)

    def _show_pages(self, pages) -> None:
        while self.pages_layout.count():
            self.pages_layout.takeAt(0).widget().deleteLater()
        self._waiting_pages = list(pages)
        self._add_pages()
        self.status.setText(self._tr("{count} pages.", count=len(pages)))

    def _add_pages(self) -> None:
        """A few pages at each pass of the event loop: a report's 30 pages turned into pixmaps at
        once held the window 50-90 ms."""
        batch = self._waiting_pages[:PAGES_AT_ONCE]
        self._waiting_pages = self._waiting_pages[PAGES_AT_ONCE:]
        for image in batch:
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(image))
            label.setFixedSize(image.width() + 14, image.height() + 14)
            label.setStyleSheet("border: 1px solid #999; margin: 6px")
            self.pages_layout.addWidget(label)
        if self._waiting_pages:
            QTimer.singleShot(0, self._add_pages)
        else:
            self.pages_layout.activate()

    def _on_save_pdf_button_clicked(self) -> None:
        path = self.ask_save_path(
            self._tr("Save the report"), self._file_name("bao-cao", ".pdf"), "PDF (*.pdf)"
        )
        if path:
            self.text_editor.save_now()
            period, day = self.period, self._report_date()
            self._run(
                self._tr("Making the report…"),
                lambda progress: self._reports.pdf(period, path, on=day, progress=progress),
                self._on_written,
            )

    def _on_save_docx_button_clicked(self) -> None:
        path = self.ask_save_path(
            self._tr("Save as a Word draft"), self._file_name("bao-cao", ".docx"), "Word (*.docx)"
        )
        if path:
            self.text_editor.save_now()
            period, day = self.period, self._report_date()
            self._run(
                self._tr("Making the report…"),
                lambda progress: self._reports.docx(period, path, on=day, progress=progress),
                self._on_written,
            )

    def _on_template_button_clicked(self) -> None:
        path = self.ask_save_path(
            self._tr("Export the entry workbook"), self._file_name("nhap-lieu", ".xlsx"), "Excel (*.xlsx)"
        )
        if path:
            period = self.period
            self._run(
                self._tr("Writing the workbook…"),
                lambda progress: self._reports.entry_workbook(period, path, progress=progress),
                self._on_written,
            )

    def _on_plan_button_clicked(self) -> None:
        path = self.ask_save_path(
            self._tr("Export the plan"), self._file_name("ke-hoach", ".xlsx"), "Excel (*.xlsx)"
        )
        if path:
            period = self.period
            self._run(
                self._tr("Writing the workbook…"),
                lambda progress: self._reports.plan_workbook(period, path, progress=progress),
                self._on_written,
            )

    def _on_sdmx_button_clicked(self) -> None:
        path = self.ask_save_path(
            self._tr("Export values as SDMX-CSV"), self._file_name("so-lieu", ".csv"), "CSV (*.csv)"
        )
        if path:
            period = self.period
            self._run(
                self._tr("Writing the file…"),
                lambda progress: self._reports.sdmx_csv(period, path, progress=progress),
                self._on_written,
            )

    def _on_written(self, result) -> None:
        self.status.setText(self._tr("Written: {path}", path=result.path))

    def _on_import_button_clicked(self) -> None:
        path = self.ask_open_path(self._tr("Import values from Excel"), "Excel (*.xlsx)")
        if not path:
            return
        period = self.period
        self._run(
            self._tr("Reading the workbook…"),
            lambda progress: self._reports.import_entries(period, path, dry_run=True, progress=progress),
            lambda preview: self._confirm_import(period, path, preview),
        )

    def _confirm_import(self, period: str, path: Path, preview) -> None:
        tr = self._tr
        if not preview.changed:
            self.status.setText(
                tr("{changed} values changed, {unchanged} unchanged.", changed=0, unchanged=preview.unchanged)
            )
            return
        lines = [change.line(tr) for change in preview.changed[:15]]
        more = len(preview.changed) - len(lines)
        text = tr("{changed} values will change:", changed=len(preview.changed)) + "\n" + "\n".join(lines)
        if more > 0:
            text += "\n" + tr("… and {count} more.", count=more)
        if not confirm(self, tr, text + "\n\n" + tr("Apply these changes?")):
            return
        reason = ""
        if preview.state.needs_reason:  # as the grid does: a reviewed period changes with a reason
            # the reason of the sitting (given in the grid, the progress page or an import), else asked
            reason = self._reasons.get(period) or ReasonDialog.ask_change(tr, preview.state, self)
            if not reason:
                return
            self._reasons.set(period, reason)
        self._run(
            tr("Importing…"),
            lambda progress: self._reports.import_entries(period, path, reason=reason, progress=progress),
            self._on_imported,
        )

    def _on_imported(self, result) -> None:
        tr = self._tr
        status = tr(
            "{changed} values changed, {unchanged} unchanged.",
            changed=len(result.changed),
            unchanged=result.unchanged,
        )
        self.status.setText(f"{tr('Imported.')} {status}")
