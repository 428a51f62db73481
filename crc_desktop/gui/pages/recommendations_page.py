"""The recommendations page: the Committee's paragraphs by cluster, urgent ones marked, search,
what answers each (tasks, indicators), and the coverage view of what nothing answers yet."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from crc_desktop.core.i18n import Translator
from crc_desktop.core.schemas.changes import Changes
from crc_desktop.core.services.plan import PlanService
from crc_desktop.core.text import matches
from crc_desktop.gui.columns import fit_columns
from crc_desktop.gui.ops import Operations
from crc_desktop.gui.table_model import ROW_ROLE, Column, FilterProxy, RowTableModel

URGENT = QBrush(QColor("#b02a37"))


class RecommendationsPage(QWidget):
    task_requested = Signal(str)  # a task code to open in the plan

    def __init__(self, plan: PlanService, ops: Operations, tr: Translator) -> None:
        super().__init__()
        self._plan, self._ops, self._tr = plan, ops, tr
        urgent = lambda r: URGENT if r.urgent else None  # noqa: E731
        self.model = RowTableModel(
            [
                Column(tr("Document"), lambda r: r.document),
                Column(tr("Cluster"), lambda r: r.cluster),
                Column(tr("Para."), lambda r: r.label, foreground=urgent, sort=lambda r: r.order),
                Column(tr("Urgent"), lambda r: "⚠" if r.urgent else "", foreground=urgent),
                Column(tr("Title"), lambda r: r.title),
                Column(tr("Tasks"), lambda r: ", ".join(r.tasks)),
                Column(tr("Indicators"), lambda r: ", ".join(r.indicators)),
            ]
        )
        self.proxy = FilterProxy()
        self.proxy.setSourceModel(self.model)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SingleSelection)
        self.view.setObjectName("recommendations")
        self.view.verticalHeader().setVisible(False)
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Search (without diacritics is fine)"))
        self.cluster_filter = QComboBox()
        self.urgent_only = QCheckBox(tr("Urgent only"))
        self.uncovered_only = QCheckBox(tr("Only what no task answers yet"))
        self.coverage = QLabel()
        self.detail = QTextBrowser()
        self.detail.setOpenLinks(False)

        filters = QHBoxLayout()
        for widget in (self.search, self.cluster_filter, self.urgent_only, self.uncovered_only):
            filters.addWidget(widget)
        splitter = QSplitter()
        splitter.addWidget(self.view)
        splitter.addWidget(self.detail)
        splitter.setSizes([850, 400])
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.coverage)
        layout.addWidget(splitter, 1)

        self.search.textChanged.connect(self._apply_filters)
        self.cluster_filter.currentIndexChanged.connect(self._apply_filters)
        self.urgent_only.toggled.connect(self._apply_filters)
        self.uncovered_only.toggled.connect(self._apply_filters)
        self.view.selectionModel().currentRowChanged.connect(self._on_view_current_row_changed)
        self.detail.anchorClicked.connect(lambda url: self.task_requested.emit(url.toString()))
        self.reload()

    def on_changed(self, changes: Changes, _source) -> None:
        if changes.touches("plan", "catalog"):  # what answers each paragraph, or the paragraphs
            self.reload()

    def reload(self) -> None:
        self._ops.run(self, lambda _progress: self._plan.recommendations(), self._show, key=(self, "list"))

    def _show(self, rows) -> None:
        self.model.set_rows(rows)
        fit_columns(self.view, stretch=[4], whole=[2, 3])
        current = self.cluster_filter.currentText()
        self.cluster_filter.blockSignals(True)
        self.cluster_filter.clear()
        self.cluster_filter.addItem(self._tr("All clusters"), None)
        for cluster in dict.fromkeys(r.cluster for r in rows if r.cluster):
            self.cluster_filter.addItem(cluster, cluster)
        self.cluster_filter.setCurrentText(current)
        self.cluster_filter.blockSignals(False)
        covered = sum(1 for r in rows if r.tasks)
        urgent_open = [f"{r.document} {r.label}" for r in rows if r.urgent and not r.tasks]
        text = self._tr(
            "{covered} of {total} recommendations are answered by at least one task.",
            covered=covered,
            total=len(rows),
        )
        if urgent_open:
            text += " " + self._tr("Urgent and not answered: {list}.", list=", ".join(urgent_open))
        self.coverage.setText(text)
        self._apply_filters()
        if self._wanted is not None:
            self.select(self._wanted)

    def _apply_filters(self) -> None:
        text, cluster = self.search.text(), self.cluster_filter.currentData()
        urgent, uncovered = self.urgent_only.isChecked(), self.uncovered_only.isChecked()
        self.proxy.set_predicate(
            lambda r: (
                (cluster is None or r.cluster == cluster)
                and (not urgent or r.urgent)
                and (not uncovered or not r.tasks)
                and matches(text, r.document, r.cluster, r.label, r.title, r.text, " ".join(r.tasks))
            )
        )

    _wanted: int | None = None  # a paragraph asked for before the list was read

    def select(self, recommendation_id: int) -> None:
        """Select the paragraph `recommendation_id`, now or once the list is read."""
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(ROW_ROLE).id == recommendation_id:
                self.view.setCurrentIndex(index)
                self._wanted = None
                return
        self._wanted = recommendation_id

    def _on_view_current_row_changed(self, current, _previous) -> None:
        row = current.data(ROW_ROLE) if current.isValid() else None
        if row is None:
            self.detail.clear()
            return
        tr = self._tr
        tasks = ", ".join(f'<a href="{code}">{code}</a>' for code in row.tasks) or tr("none")
        parts = [
            f"<h3>{row.document} — {tr('Para.')} {row.label}{' ⚠' if row.urgent else ''}</h3>",
            f"<p><b>{row.title}</b></p>" if row.title else "",
            f"<p>{row.cluster}</p>" if row.cluster else "",
            f"<p>{row.text}</p>"
            if row.text
            else f"<p><i>{tr('The text of this paragraph is not imported yet.')}</i></p>",
            f"<p><b>{tr('Tasks')}:</b> {tasks}</p>",
            f"<p><b>{tr('Indicators')}:</b> {', '.join(row.indicators) or tr('none')}</p>",
        ]
        self.detail.setHtml("".join(parts))
