"""The overview page: for the chosen period, what to do next (each step opens its place), how
complete it is, what is overdue, what no task answers, and key indicators against their targets."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from crc_desktop.core.i18n import Translator
from crc_desktop.core.schemas.changes import Changes
from crc_desktop.core.schemas.office import DatabaseInfo
from crc_desktop.core.services.overview import OverviewService
from crc_desktop.gui.ops import Operations
from crc_desktop.gui.widgets.bar_chart import BarChart

PLACE_ROLE = Qt.UserRole + 1
CHART_NAME_LENGTH = 48


class OverviewPage(QWidget):
    place_requested = Signal(str, object)  # period, Place: where a next step is done

    def __init__(
        self, overview: OverviewService, ops: Operations, tr: Translator, info: DatabaseInfo
    ) -> None:
        super().__init__()
        self._overview, self._ops, self._tr = overview, ops, tr
        layout = QVBoxLayout(self)
        if info.is_demo:
            banner = QLabel(tr("DEMO DATA: not real figures."))
            banner.setStyleSheet("background:#fff3cd; color:#664d03; padding:8px; font-weight:bold")
            layout.addWidget(banner)
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 15pt; font-weight: bold")
        self.period_box = QComboBox()
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(QLabel(tr("Period")))
        top.addWidget(self.period_box)
        layout.addLayout(top)

        self.values_bar, self.tasks_bar, self.coverage_bar = QProgressBar(), QProgressBar(), QProgressBar()
        self.collection_bar = QProgressBar()
        completeness = QGroupBox(tr("Completeness"))
        form = QFormLayout(completeness)
        form.addRow(tr("Indicator values entered"), self.values_bar)
        form.addRow(tr("Tasks with a progress update"), self.tasks_bar)
        form.addRow(tr("Recommendations answered by a task"), self.coverage_bar)
        form.addRow(tr("Forms returned"), self.collection_bar)
        self.overdue = QListWidget()
        self.urgent = QLabel()
        self.urgent.setWordWrap(True)
        self.urgent.setStyleSheet("color:#842029")
        attention = QGroupBox(tr("Needs attention"))
        attention_layout = QVBoxLayout(attention)
        attention_layout.addWidget(self.urgent)
        attention_layout.addWidget(QLabel(tr("Overdue milestones")))
        attention_layout.addWidget(self.overdue)
        self.chart = BarChart(tr("Key indicators of the province (bar) against their targets (mark)"))
        self.next_steps = QListWidget()
        self.next_steps.setObjectName("next_steps")
        self.next_steps.setCursor(Qt.PointingHandCursor)
        self.next_steps.setToolTip(tr("Click a step to open the place where it is done."))
        self.next_steps.setMaximumHeight(170)
        rows = self.next_steps.fontMetrics().height() + 4
        self.next_steps.setMinimumHeight(2 * rows)  # the page still fits a short window
        self.overdue.setMinimumHeight(2 * rows)
        steps = QGroupBox(tr("Next steps"))
        steps_layout = QVBoxLayout(steps)
        steps_layout.setContentsMargins(6, 2, 6, 4)
        steps_layout.addWidget(self.next_steps)
        layout.addWidget(steps)
        row = QHBoxLayout()
        row.addWidget(completeness, 1)
        row.addWidget(attention, 1)
        layout.addLayout(row)
        layout.addWidget(self.chart)
        layout.addStretch(1)
        self.period_box.currentTextChanged.connect(self._show)
        self.next_steps.itemClicked.connect(self._on_next_steps_item_activated)
        self.next_steps.itemActivated.connect(self._on_next_steps_item_activated)
        self._show_info(info, at_start=True)

    def on_changed(self, changes: Changes, _source) -> None:
        """Every change shows in the overview's figures."""
        self.reload()

    def reload(self) -> None:
        self._ops.run(
            self, lambda _progress: self._overview.info(counts=False), self._show_info, key=(self, "info")
        )

    def _show_info(self, info: DatabaseInfo, *, at_start: bool = False) -> None:
        profile = info.profile
        self.title.setText(f"{profile.office_name} — {profile.province_name}" if profile else "")
        codes = [p.code for p in info.periods]
        current = self.period_box.currentText()
        self.period_box.blockSignals(True)
        self.period_box.clear()
        self.period_box.addItems(codes)
        self.period_box.setCurrentText(current if current in codes else (codes[-1] if codes else ""))
        self.period_box.blockSignals(False)
        period = self.period_box.currentText()
        if at_start and period:
            # the first glance, read before the window is on screen (no event loop waits for it): the
            # window opens with its figures while the worker opens the database's services
            self._show_summary(self._overview.summary(period))
        else:
            self._show(period)

    def _show(self, period: str) -> None:
        if period:
            self._ops.run(
                self,
                lambda _progress: self._overview.summary(period),
                self._show_summary,
                key=(self, "summary"),
            )

    def _show_summary(self, summary) -> None:
        tr = self._tr
        _fill(self.values_bar, summary.values_entered, summary.values_expected, tr)
        _fill(self.tasks_bar, summary.tasks_with_progress, summary.tasks_total, tr)
        _fill(self.coverage_bar, summary.recommendations - summary.uncovered, summary.recommendations, tr)
        _fill(self.collection_bar, summary.collection_returned, summary.collection_expected, tr)
        self.overdue.clear()
        self.overdue.addItems(summary.overdue or [tr("none")])
        self.urgent.setText(
            tr("Urgent and not answered: {list}.", list=", ".join(summary.urgent_uncovered))
            if summary.urgent_uncovered
            else ""
        )
        self.chart.set_rows(
            [(_short(k.name) or k.code, k.value, k.target, self._describe(k)) for k in summary.key_indicators]
        )
        self.next_steps.clear()
        for number, step in enumerate(summary.next_steps, start=1):
            params = {k: tr.number(v, 0) if isinstance(v, int) else v for k, v in step.params.items()}
            item = QListWidgetItem(f"{number}. {tr(step.message, **params)}  →")
            item.setData(PLACE_ROLE, step.place)
            self.next_steps.addItem(item)
        if not summary.next_steps:
            self.next_steps.addItem(tr("Nothing left to do for this period."))

    def _on_next_steps_item_activated(self, item: QListWidgetItem) -> None:
        place = item.data(PLACE_ROLE)
        if place is not None:
            self.place_requested.emit(self.period_box.currentText(), place)

    def _describe(self, key) -> str:
        value = self._tr.number(key.value) if key.value is not None else "—"
        return f"{value} / {self._tr.target(key.comparator, key.target)} {key.unit}"


def _short(name: str) -> str:
    """An indicator's name short enough for the chart's label column."""
    return name if len(name) <= CHART_NAME_LENGTH else name[: CHART_NAME_LENGTH - 1].rstrip() + "…"


def _fill(bar: QProgressBar, done: int, total: int, tr: Translator) -> None:
    bar.setRange(0, max(total, 1))
    bar.setValue(done)
    bar.setFormat(f"{tr.number(done, 0)} / {tr.number(total, 0)} ({100 * done / max(total, 1):.0f}%)")
    metrics = bar.fontMetrics()  # wide enough for its text on one line, whatever the window's size
    bar.setMinimumWidth(metrics.horizontalAdvance(bar.format()) + 4 * metrics.averageCharWidth())
