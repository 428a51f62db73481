"""The collection page (Thu thập số liệu): forms for the communes and agencies, their returned
files taken back (chosen, or dropped on the page as files or a folder), and the board of who has
returned what. Every job runs off the GUI thread."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crc_desktop.core.i18n import N_, Translator
from crc_desktop.core.rules.vocabulary import label
from crc_desktop.core.schemas.changes import Changes
from crc_desktop.core.schemas.collection import CollectionImport, RoundStatus, UnitStatus
from crc_desktop.core.services.collection import CollectionService
from crc_desktop.core.services.workflow import PeriodService
from crc_desktop.gui import file_dialogs
from crc_desktop.gui.columns import fit_columns
from crc_desktop.gui.dialogs.reason_dialog import ReasonDialog
from crc_desktop.gui.ops import Operations
from crc_desktop.gui.read_only import lock
from crc_desktop.gui.table_model import Column, FilterProxy, RowTableModel
from crc_desktop.gui.widgets.change_reason import ChangeReasonBar, SessionReasons

_FOR = (
    ("all", N_("Communes and agencies")),
    ("communes", N_("Communes")),
    ("agencies", N_("Agencies")),
)
_KINDS = {"commune": N_("Commune"), "agency": N_("Agency")}
_MISSING = QColor("#842029")


class DropArea(QFrame):
    """Where returned forms are dropped: files, or a folder of them."""

    dropped = Signal(list)

    def __init__(self, text: str) -> None:
        super().__init__()
        self.setAcceptDrops(True)
        self.setObjectName("drop_area")
        self.setFrameShape(QFrame.StyledPanel)
        self.setMinimumHeight(70)
        self.setStyleSheet("#drop_area { border: 2px dashed #6c8ebf; background: #f3f7fc; }")
        label = QLabel(text)
        label.setAlignment(Qt.AlignCenter)
        label.setWordWrap(True)
        QVBoxLayout(self).addWidget(label)

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt override
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:  # noqa: N802 - Qt override
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt override
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.dropped.emit(paths)


class CollectionPage(QWidget):
    def __init__(
        self,
        collection: CollectionService,
        periods_service: PeriodService,
        ops: Operations,
        tr: Translator,
        periods: list[str],
        reasons: SessionReasons | None = None,
    ) -> None:
        super().__init__()
        self._collection, self._periods, self._ops, self._tr = collection, periods_service, ops, tr
        self._reasons = reasons or SessionReasons(self)  # the window's: one reason per period and sitting
        self.reason_bar = ChangeReasonBar(tr, self._reasons)  # shown for a submitted or approved period
        self._waiting: tuple[str, list[Path]] | None = None  # forms to load once the reason is written
        self.period_box = QComboBox()
        self.for_box = QComboBox()
        for key, title in _FOR:
            self.for_box.addItem(tr(title), key)
        self.selected_only = QCheckBox(tr("Only the units selected on the board"))
        self.forms_button = QPushButton(tr("Write the forms…"))
        self.import_button = QPushButton(tr("Import returned forms…"))
        self.drop_area = DropArea(tr("Drop returned forms here: files, or a folder of them"))
        self.missing_button = QPushButton(tr("Export the missing units (Excel)…"))
        self.exempt_button = QPushButton(tr("No report expected…"))
        self.summary = QLabel()
        self.summary.setStyleSheet("font-weight: bold")
        self.results = QListWidget()
        self.results.setWordWrap(True)
        self.status = QLabel()
        self.status.setWordWrap(True)

        self.model = RowTableModel(
            [
                Column(tr("Kind"), lambda u: tr(_KINDS[u.kind])),
                Column(tr("Code"), lambda u: u.code),
                Column(tr("Reporting unit"), lambda u: u.name),
                Column(tr("State"), lambda u: label(u.state, tr), foreground=_state_colour),
                Column(
                    tr("Returned on"),
                    lambda u: u.returned_at.strftime("%d/%m/%Y %H:%M") if u.returned_at else "",
                    sort=lambda u: u.returned_at,
                ),
                Column(
                    tr("Values"), lambda u: tr.number(u.values, 0), align_right=True, sort=lambda u: u.values
                ),
                Column(
                    tr("Open problems"),
                    lambda u: tr.number(u.problems, 0),
                    align_right=True,
                    sort=lambda u: u.problems,
                ),
                Column(tr("File"), lambda u: u.file or u.last_file or u.exempt_reason),
            ]
        )
        self.proxy = FilterProxy()
        self.proxy.setSourceModel(self.model)
        self.board = QTableView()
        self.board.setObjectName("collection_board")
        self.board.setModel(self.proxy)
        self.board.setSortingEnabled(True)
        self.board.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.board.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.board.verticalHeader().setVisible(False)
        self.board.setWordWrap(False)
        header = self.board.horizontalHeader()
        header.setSortIndicator(-1, Qt.AscendingOrder)  # the service's order until a header is clicked
        # sized once to the first rows (fit_columns), not at every layout: ResizeToContents read
        # every cell of 150 units again at each change and stalled the window for a second

        forms = QGroupBox(tr("Forms for the units"))
        grid = QGridLayout(forms)
        grid.addWidget(QLabel(tr("Period")), 0, 0)
        grid.addWidget(self.period_box, 0, 1)
        grid.addWidget(QLabel(tr("For")), 1, 0)
        grid.addWidget(self.for_box, 1, 1)
        grid.addWidget(self.selected_only, 2, 0, 1, 2)
        grid.addWidget(self.forms_button, 3, 0, 1, 2)
        returns = QGroupBox(tr("Returned forms"))
        returns_layout = QVBoxLayout(returns)
        returns_layout.addWidget(self.drop_area)
        returns_layout.addWidget(self.import_button)
        returns_layout.addWidget(self.results, 1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(forms)
        left_layout.addWidget(returns, 1)
        left_layout.addWidget(self.status)
        board_box = QGroupBox(tr("The round at a glance"))
        board_layout = QVBoxLayout(board_box)
        board_layout.addWidget(self.summary)
        board_layout.addWidget(self.board, 1)
        actions = QHBoxLayout()
        actions.addWidget(self.exempt_button)
        actions.addWidget(self.missing_button)
        actions.addStretch(1)
        board_layout.addLayout(actions)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(board_box)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([320, 960])
        page_layout = QVBoxLayout(self)
        page_layout.addWidget(self.reason_bar)  # across the page, as above the grid
        page_layout.addWidget(splitter, 1)

        self.period_box.currentTextChanged.connect(self._on_period_box_changed)
        self.forms_button.clicked.connect(self._on_forms_button_clicked)
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self.drop_area.dropped.connect(self.import_paths)
        self.reason_bar.returned.connect(self._on_reason_bar_returned)
        self.missing_button.clicked.connect(self._on_missing_button_clicked)
        self.exempt_button.clicked.connect(self._on_exempt_button_clicked)
        self.board.selectionModel().selectionChanged.connect(self._on_board_selection_changed)
        self.set_periods(periods)

    # -- periods and the board ------------------------------------------------------------

    def set_periods(self, periods: list[str]) -> None:
        current = self.period_box.currentText()
        self.period_box.blockSignals(True)
        self.period_box.clear()
        self.period_box.addItems(periods)
        self.period_box.setCurrentText(current if current in periods else (periods[-1] if periods else ""))
        self.period_box.blockSignals(False)
        self.reload()

    def set_read_only(self, reason: str) -> None:
        """Another window writes to the database: no form is loaded, no unit exempted here."""
        self._read_only = reason
        lock(reason, self.import_button, self.exempt_button)
        self.drop_area.setAcceptDrops(False)
        lock(reason, self.drop_area)

    _read_only = ""

    @property
    def period(self) -> str:
        return self.period_box.currentText()

    def _on_period_box_changed(self, _text: str) -> None:
        self.reload()

    def reload(self) -> None:
        if not self.period:
            return
        period, periods, collection = self.period, self._periods, self._collection
        self._ops.run(
            self,
            lambda _progress: (periods.get(period).state, collection.status(period)),
            lambda found: self._show_state_and_board(period, *found),
            key=(self, "board"),
        )

    def _show_state_and_board(self, period: str, state, status: RoundStatus) -> None:
        if self._waiting and self._waiting[0] != period:
            self._waiting = None  # another period: the forms waiting for a reason are dropped
        self.reason_bar.set_state(state, period)
        self._show_board(status)

    def on_changed(self, changes: Changes, source) -> None:
        if changes.touches("collection", "values", "periods", "catalog") and changes.concerns(self.period):
            self.reload()

    def _show_board(self, status: RoundStatus) -> None:
        self.model.set_rows(status.units)
        fit_columns(self.board, stretch=[7], maximum=170)
        summary = self._tr(
            "Period {code}: {returned} of {expected} units have returned their form.",
            code=status.period,
            returned=status.returned,
            expected=status.expected,
        )
        blank = sum(1 for u in status.units if u.state == "blank")
        refused = sum(1 for u in status.units if u.state == "refused")
        if blank or refused:
            summary += " " + self._tr(
                "Blank forms: {blank}; refused forms: {refused}.", blank=blank, refused=refused
            )
        self.summary.setText(summary)
        self._on_board_selection_changed()

    def selected_units(self) -> list[UnitStatus]:
        rows = {self.proxy.mapToSource(index).row() for index in self.board.selectionModel().selectedRows()}
        return [self.model.row(row) for row in sorted(rows)]

    def _on_board_selection_changed(self, *_args) -> None:
        chosen = self.selected_units()
        self.exempt_button.setEnabled(len(chosen) == 1 and not self._read_only)
        exempt = len(chosen) == 1 and chosen[0].state == "exempt"
        self.exempt_button.setText(
            self._tr("A report is expected again") if exempt else self._tr("No report expected…")
        )

    # -- asking for files (tests replace these) ----------------------------------------

    def ask_folder(self, title: str) -> Path | None:
        return file_dialogs.choose_folder(self, title)

    def ask_open_paths(self, title: str) -> list[Path]:
        return file_dialogs.open_files(self, title, "Excel (*.xlsx)")

    def ask_save_path(self, title: str, suggested: str) -> Path | None:
        return file_dialogs.save_file(self, title, suggested, "Excel (*.xlsx)")

    def ask_reason(self, title: str, prompt: str) -> str | None:
        return ReasonDialog.ask(self._tr, title, prompt, self)

    # -- jobs -------------------------------------------------------------------------------

    def _run(self, title: str, work, on_done) -> None:
        self._ops.run(self, work, on_done, title=title, cancellable=True)

    def _on_forms_button_clicked(self) -> None:
        folder = self.ask_folder(self._tr("Folder for the forms"))
        if folder is None:
            return
        period, kind = self.period, self.for_box.currentData()
        units = [u.code for u in self.selected_units()] if self.selected_only.isChecked() else None
        self._run(
            self._tr("Writing the forms…"),
            lambda progress: self._collection.forms(
                period, folder, kind=kind, units=units, progress=progress
            ),
            self._on_forms_written,
        )

    def _on_forms_written(self, written) -> None:
        self.status.setText(
            self._tr("{count} forms written to {folder}.", count=len(written.files), folder=written.folder)
        )

    def _on_import_button_clicked(self) -> None:
        paths = self.ask_open_paths(self._tr("Import returned forms"))
        if paths:
            self.import_paths(paths)

    def import_paths(self, paths: list[Path]) -> None:
        """Load returned forms (files or folders); in a submitted period, the user says why first."""
        period = self.period
        self._ops.run(
            self,
            lambda _progress: self._periods.get(period).state,
            lambda state: self._import(period, paths, state),
        )

    def _import(self, period: str, paths: list[Path], state) -> None:
        reason = ""
        self.reason_bar.set_state(state, period)
        if state.needs_reason:  # as the grid does: the reason of the sitting, written in the bar
            reason = self._reasons.get(period)
            if not reason:
                self._waiting = (period, paths)
                self.status.setText(
                    self._tr(
                        "Write first, in the yellow field above, why this period's values change;"
                        " Enter loads the forms."
                    )
                )
                self.reason_bar.ask()  # the keystrokes go to the bar, nowhere else
                self.reason_bar.hint.setText(self._tr("Enter: load the forms"))
                return
        self._waiting = None
        self._run(
            self._tr("Reading the returned forms…"),
            lambda progress: self._collection.import_files(period, paths, reason=reason, progress=progress),
            self._on_imported,
        )

    def _on_reason_bar_returned(self) -> None:
        """The reason is written (Enter in the bar): the forms that waited for it are loaded."""
        waiting, self._waiting = self._waiting, None
        if waiting and waiting[0] == self.period:
            self.status.clear()
            self.import_paths(waiting[1])

    def _on_imported(self, result: CollectionImport) -> None:
        tr = self._tr
        self.results.clear()
        for outcome in result.outcomes:
            said, *problems = outcome.lines(tr)
            text = "\n".join([said, *(f"  – {p}" for p in problems)])
            self.results.addItem(text)
            if outcome.status in ("refused", "blank"):
                self.results.item(self.results.count() - 1).setForeground(_MISSING)
        for name in result.not_read:
            self.results.addItem(f"{name}: {tr('not read: the import was cancelled')}")
        self.status.setText(
            tr(
                "{loaded} files loaded, {skipped} skipped, {refused} refused.",
                loaded=len(result.of("loaded")),
                skipped=len(result.of("skipped")),
                refused=len(result.of("refused")),
            )
        )

    def _on_missing_button_clicked(self) -> None:
        path = self.ask_save_path(self._tr("Export the missing units"), f"chua-gui-{self.period}.xlsx")
        if path:
            period = self.period
            self._run(
                self._tr("Writing the workbook…"),
                lambda _progress: self._collection.missing_workbook(period, path),
                lambda written: self.status.setText(self._tr("Written: {path}", path=written)),
            )

    def _on_exempt_button_clicked(self) -> None:
        chosen = self.selected_units()
        if len(chosen) != 1:
            return
        unit, period = chosen[0], self.period
        reason = ""
        if unit.state != "exempt":
            reason = self.ask_reason(
                self._tr("No report expected"),
                self._tr("Why is no report expected from {unit} this period?", unit=unit.name),
            )
            if not reason:
                return
        self._run(
            self._tr("Saving…"),
            lambda _progress: self._collection.exempt(period, unit.kind, unit.code, reason),
            None,
        )


def _state_colour(unit: UnitStatus):
    return _MISSING if unit.state in ("missing", "blank", "refused") else None
