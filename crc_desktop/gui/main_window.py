"""The main window: navigation between the pages, and the status bar."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QListWidget,
    QMainWindow,
    QSplitter,
    QStackedWidget,
)

from crc_desktop.app import AppContext, Paths, Settings
from crc_desktop.core.i18n import Translator
from crc_desktop.gui.indicators_page import IndicatorsPage
from crc_desktop.gui.overview_page import OverviewPage
from crc_desktop.gui.periods_page import PeriodsPage
from crc_desktop.gui.plan_page import PlanPage
from crc_desktop.gui.progress_page import ProgressPage
from crc_desktop.gui.recommendations_page import RecommendationsPage
from crc_desktop.gui.reports_page import ReportsPage
from crc_desktop.gui.settings_page import SettingsPage
from crc_desktop.gui.tasks import TaskRunner


class MainWindow(QMainWindow):
    def __init__(
        self,
        context: AppContext,
        tr: Translator,
        paths: Paths,
        settings: Settings,
        runner: TaskRunner | None = None,
    ):
        super().__init__()
        self.runner = runner or TaskRunner()
        self._paths, self._settings = paths, settings
        self._context = context
        self._tr = tr
        self._info = context.setup.info()
        self.setWindowTitle(self._title())
        self._pages = QStackedWidget()
        self._navigation = QListWidget()
        self._navigation.setObjectName("navigation")
        self._navigation.setMaximumWidth(210)
        self._add_pages()
        splitter = QSplitter()
        splitter.addWidget(self._navigation)
        splitter.addWidget(self._pages)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([200, 1100])
        self._splitter = splitter
        self.setCentralWidget(splitter)
        self._navigation.currentRowChanged.connect(self._pages.setCurrentIndex)
        self._navigation.setCurrentRow(0)
        self._build_status_bar()
        self._build_shortcuts()
        self._restore_geometry()

    def _title(self) -> str:
        profile = self._info.profile
        province = profile.province_name if profile else ""
        demo = f" — {self._tr('DEMO DATA: not real figures.')}" if self._info.is_demo else ""
        return f"CRC Desktop — {province}{demo}"

    def _add_pages(self) -> None:
        codes = [p.code for p in self._info.periods]
        tr = self._tr
        self.overview_page = OverviewPage(self._context, tr, self._info)
        self.plan_page = PlanPage(self._context, tr)
        self.recommendations_page = RecommendationsPage(self._context, tr)
        self.indicators_page = IndicatorsPage(self._context, tr, codes, self.runner)
        self.progress_page = ProgressPage(self._context, tr, codes)
        self.periods_page = PeriodsPage(
            self._context, tr, self.runner, lambda: self.settings_page.settings.pkcs11_library
        )
        self.reports_page = ReportsPage(self._context, tr, codes, self.runner)
        self.settings_page = SettingsPage(
            self._context, tr, self._paths, self._settings, self.runner, self._info.profile
        )
        self.settings_page.catalog_imported.connect(self.recommendations_page.reload)
        self.periods_page.place_requested.connect(self._on_periods_place_requested)
        self.periods_page.periods_changed.connect(self._on_periods_changed)
        self.reports_page.values_changed.connect(
            lambda: self.indicators_page.load(self.indicators_page.period_box.currentText())
        )
        self.recommendations_page.task_requested.connect(self._on_recommendations_task_requested)
        pages = [
            (tr("Overview"), self.overview_page),
            (tr("Plan"), self.plan_page),
            (tr("Recommendations"), self.recommendations_page),
            (tr("Indicators"), self.indicators_page),
            (tr("Progress"), self.progress_page),
            (tr("Periods and signing"), self.periods_page),
            (tr("Reports and export"), self.reports_page),
            (tr("Settings"), self.settings_page),
        ]
        for title, page in pages:
            self._navigation.addItem(title)
            self._pages.addWidget(page)
        self._pages.currentChanged.connect(self._on_pages_current_changed)

    def _on_pages_current_changed(self, index: int) -> None:
        page = self._pages.widget(index)
        if page in (self.overview_page, self.plan_page, self.recommendations_page):
            page.reload()

    def _on_recommendations_task_requested(self, code: str) -> None:
        task = next((t for t in self._context.plan.tasks() if t.code == code), None)
        if task:
            self.show_page(self._pages.indexOf(self.plan_page))
            self.plan_page.select_task(task.id)

    def _on_periods_place_requested(self, period: str, place) -> None:
        if place.page == "indicators" and place.cell_id is not None:
            self.show_page(self._pages.indexOf(self.indicators_page))
            self.indicators_page.go_to(period, place.cell_id, place.area_id)
        elif place.page == "progress":
            self.show_page(self._pages.indexOf(self.progress_page))
            self.progress_page.period_box.setCurrentText(period)
            self.progress_page.select_task(place.task_id)
        elif place.page == "plan":
            self.show_page(self._pages.indexOf(self.plan_page))
            self.plan_page.select_task(place.task_id)
        elif place.page == "recommendations":
            self.show_page(self._pages.indexOf(self.recommendations_page))
            self.recommendations_page.select(place.recommendation_id)

    def _on_periods_changed(self) -> None:
        self._info = self._context.setup.info()
        self.indicators_page.set_periods([p.code for p in self._info.periods])
        self.reports_page.set_periods([p.code for p in self._info.periods])
        self.progress_page.set_periods([p.code for p in self._info.periods])
        self._status_label.setText(self._status_text())

    def _build_status_bar(self) -> None:
        self._status_label = QLabel(self._status_text())
        self.statusBar().addWidget(self._status_label)

    def _status_text(self) -> str:
        tr, info = self._tr, self._info
        current = info.periods[-1] if info.periods else None
        parts = [tr("Database: {path}", path=info.path)]
        if info.profile:
            parts.append(info.profile.province_name)
        if current:
            parts.append(tr("Period {code}: {state}", code=current.code, state=tr.state(current.state)))
        return "   |   ".join(parts)

    def _build_shortcuts(self) -> None:
        for index in range(self._navigation.count()):
            action = QAction(self)
            action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            action.triggered.connect(lambda _=False, i=index: self._navigation.setCurrentRow(i))
            self.addAction(action)

    def _restore_geometry(self) -> None:
        stored = QSettings().value("main_window/geometry")
        if stored is not None:
            self.restoreGeometry(stored)
        else:
            self.resize(1280, 800)
        layout = QSettings().value("main_window/splitter")
        if layout is not None:
            self._splitter.restoreState(layout)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        QSettings().setValue("main_window/geometry", self.saveGeometry())
        QSettings().setValue("main_window/splitter", self._splitter.saveState())
        super().closeEvent(event)

    def show_page(self, index: int) -> None:
        self._navigation.setCurrentRow(index)

    def wait_until_loaded(self) -> None:
        """Wait for the background jobs the pages started, then paint."""
        self.runner.wait()
        QApplication.processEvents()  # the results arrive as queued signals...
        QApplication.processEvents()  # ...and the layouts they change settle in the next round
        self.repaint()
