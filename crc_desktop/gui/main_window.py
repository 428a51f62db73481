"""The main window: navigation between the pages, and the status bar.

The window can open before the database's services are loaded: it shows the overview (read
on a read-only connection) at once, starts opening them once it is on screen, and `attach`
hands it the open `AppContext` when the services are ready. Each of the other pages is built
the first time it is shown.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QElapsedTimer, QEventLoop, QSettings, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication, QKeySequence, QUndoGroup
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from crc_desktop.app import Paths, Settings
from crc_desktop.core.i18n import N_, Translator
from crc_desktop.core.schemas.changes import Changes
from crc_desktop.core.schemas.office import DatabaseInfo
from crc_desktop.core.services.overview import OverviewService
from crc_desktop.gui.actions import BACKUP_COMMANDS, PERIOD_COMMANDS, make_actions
from crc_desktop.gui.columns import restore_columns, save_columns
from crc_desktop.gui.icons import application_icon, page_icon
from crc_desktop.gui.key_memory import KeyMemory
from crc_desktop.gui.ops import Operations
from crc_desktop.gui.pages.overview_page import OverviewPage
from crc_desktop.gui.read_only import lock
from crc_desktop.gui.tasks import TaskRunner
from crc_desktop.gui.widgets.change_reason import SessionReasons

if TYPE_CHECKING:
    from crc_desktop.app import AppContext
    from crc_desktop.core.progress import Progress

# (name, title, module of the page); the order is the navigation's, Ctrl+1..9 included
PAGES = (
    ("overview", N_("Overview"), "crc_desktop.gui.pages.overview_page"),
    ("plan", N_("Plan"), "crc_desktop.gui.pages.plan_page"),
    ("recommendations", N_("Recommendations"), "crc_desktop.gui.pages.recommendations_page"),
    ("indicators", N_("Indicators"), "crc_desktop.gui.pages.indicators_page"),
    ("progress", N_("Progress"), "crc_desktop.gui.pages.progress_page"),
    ("periods", N_("Periods and signing"), "crc_desktop.gui.pages.periods_page"),
    ("reports", N_("Reports and export"), "crc_desktop.gui.pages.reports_page"),
    ("collection", N_("Data collection"), "crc_desktop.gui.pages.collection_page"),
    ("settings", N_("Settings"), "crc_desktop.gui.pages.settings_page"),
)
PAGE_NAMES = tuple(name for name, _, _ in PAGES)
# the pages whose buttons share their commands with the menus
PAGE_COMMANDS = {"periods": PERIOD_COMMANDS, "settings": BACKUP_COMMANDS}
RESTART_EXIT_CODE = 75  # run_gui starts the program again when the window ends with this code


def import_pages() -> None:
    """Import the pages' modules (safe off the GUI thread), so the first visit of each is quick."""
    for _, _, module in PAGES:
        importlib.import_module(module)


class MainWindow(QMainWindow):
    guide_opened = Signal(str)  # the user guide's PDF was handed to the system's viewer
    changed = Signal(object, object)  # Changes, the page whose operation made them: pages refresh

    def __init__(
        self,
        context: AppContext | None,
        tr: Translator,
        paths: Paths,
        settings: Settings,
        runner: TaskRunner | None = None,
        *,
        info: DatabaseInfo | None = None,
    ):
        """With `context`, a window ready for work; without it, a window on `info` that shows
        the overview and waits for `attach`."""
        super().__init__()
        self.runner = runner or TaskRunner()
        self.ops = Operations(self.runner, tr, paths.logs)
        self.ops.changed.connect(self.changed)
        self.changed.connect(self._on_changed)
        self._paths, self._settings = paths, settings
        self._context: AppContext | None = None
        self._tr = tr
        if info is None:
            assert context is not None, "a window needs a context or the info of its database"
            info = context.setup.info(counts=False)
        self._info = info
        self._built: dict[str, QWidget] = {}
        self._failed = False
        self._read_only = ""  # why this window may change nothing (another window writes), or empty
        self._held: dict[str, tuple[Changes, object]] = {}  # changes a page not on screen has yet to see
        self._opening: tuple[Callable[[Progress], AppContext], Callable[[Exception], None]] | None = None
        self.setWindowTitle(self._title())
        self.setWindowIcon(application_icon())
        self._undo_group = QUndoGroup(self)
        self.reasons = SessionReasons(self)  # why a reviewed period changes: one per period and sitting
        self._pages = QStackedWidget()
        self._navigation = QListWidget()
        self._navigation.setObjectName("navigation")
        self._navigation.setMaximumWidth(210)
        for name, title, _ in PAGES:
            self._navigation.addItem(QListWidgetItem(page_icon(self, name), tr(title)))
            placeholder = QLabel(tr("Opening the database…"))
            placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self._pages.addWidget(placeholder)
        self._install("overview", OverviewPage(OverviewService(info.path), self.ops, tr, info))
        self._built["overview"].place_requested.connect(  # a step opens its place once the services are open
            lambda *step: self._context and self._on_periods_place_requested(*step)
        )
        splitter = QSplitter()
        splitter.addWidget(self._navigation)
        splitter.addWidget(self._pages)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([200, 1100])
        self._splitter = splitter
        self.setCentralWidget(splitter)
        self._navigation.currentRowChanged.connect(self._on_navigation)
        self._navigation.setCurrentRow(0)
        self._status_label = QLabel(self._status_text())
        self.statusBar().addWidget(self._status_label)
        self.user_label = QLabel(self._user_text())
        self.user_label.setObjectName("user_label")
        self.user_label.setToolTip(tr("Recorded with your changes; change it in Settings (Your name)."))
        self.statusBar().addPermanentWidget(self.user_label)
        # the commands a menu entry and a page's button share, disabled until the services are open
        self._actions = {name: make_actions(commands, tr, self) for name, commands in PAGE_COMMANDS.items()}
        for name, actions in self._actions.items():
            for action in actions.values():
                action.setEnabled(False)
                action.triggered.connect(lambda _=False, n=name, a=action: self._on_command(n, a))
        self._build_menus()
        self._restore_geometry()
        if context is not None:
            self.attach(context)

    # --- the database's services -------------------------------------------------------------

    @property
    def context(self) -> AppContext | None:
        """The open services, or None while they are loading."""
        return self._context

    def open_when_shown(
        self, work: Callable[[Progress], AppContext], failed: Callable[[Exception], None]
    ) -> None:
        """Run `work` on the worker once the window has been painted (or when someone waits for it);
        its context is attached, its error goes to `failed`."""
        self._opening = (work, failed)

    def _start_opening(self) -> None:
        if self._opening is not None:
            work, failed = self._opening
            self._opening = None
            self.runner.run(work, self.attach, failed)

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().paintEvent(event)
        if self._opening is not None:
            # once this paint is on screen: started on showing, the loading held the GIL while the
            # first paint waited for it
            QTimer.singleShot(0, self._start_opening)

    def attach(self, context: AppContext) -> None:
        """The services are open: the page on screen (if not the overview) is built now."""
        self._context = context
        self.user_label.setText(self._user_text())
        for actions in self._actions.values():
            for action in actions.values():
                action.setEnabled(True)  # until its page, once built, says what it allows
        if context.database.held_by is not None:
            self._say_read_only(context.database.held_by)
        self._on_navigation(self._navigation.currentRow())

    def _on_settings_restored(self) -> None:
        """A backup was restored into the database's file: the services on the old content are
        closed, the file is opened again, and every page is built again on what it now holds."""
        old, self._context = self._context, None
        if old is None:
            return
        path, user = old.database.path, old.actor.user_name

        def reopen(_progress) -> AppContext:
            from crc_desktop.app import open_app

            old.close()
            return open_app(path, self._paths, user_name=user, window=True)

        self.ops.run(
            self,
            reopen,
            self._on_reopened,
            failed=lambda error: self.fail(error.render(self._tr)),
            title=self._tr("Opening the restored database…"),
        )

    def _on_reopened(self, context: AppContext) -> None:
        for name in [n for n in self._built if n != "overview"]:
            self._uninstall(name)
        self._held.clear()
        self.attach(context)
        everything = Changes(values=True, plan=True, periods=True, catalog=True, collection=True, office=True)
        self.changed.emit(everything, self)

    def _uninstall(self, name: str) -> None:
        """Put a placeholder back in place of a page built on services now closed."""
        index, current = PAGE_NAMES.index(name), self._pages.currentIndex()
        page, frame = self._built.pop(name), self._pages.widget(index)
        if hasattr(page, "undo_stack"):
            self._undo_group.removeStack(page.undo_stack)
        placeholder = QLabel(self._tr("Opening the database…"))
        placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._pages.insertWidget(index, placeholder)
        self._pages.removeWidget(frame)
        frame.deleteLater()
        self._pages.setCurrentIndex(current)

    def fail(self, message: str) -> None:
        """Opening the database failed: say why on every page that waited for it."""
        self._failed = True
        for index in range(self._pages.count()):
            widget = self._pages.widget(index)
            if isinstance(widget, QLabel):  # a page still waiting for the services
                widget.setText(message)
                widget.setWordWrap(True)

    # --- the pages -----------------------------------------------------------------------------

    def _install(self, name: str, page: QWidget) -> QWidget:
        """Put `page` in its place, in a scroll area: on a small screen a tall page scrolls instead
        of pushing the window's bottom off the screen."""
        index = PAGE_NAMES.index(name)
        placeholder = self._pages.widget(index)
        current = self._pages.currentIndex()
        frame = QScrollArea()
        frame.setObjectName(f"{name}_scroll")
        frame.setWidgetResizable(True)
        frame.setFrameShape(QFrame.Shape.NoFrame)
        frame.setWidget(page)
        self._pages.insertWidget(index, frame)
        self._pages.removeWidget(placeholder)
        placeholder.deleteLater()
        self._pages.setCurrentIndex(current)
        self._built[name] = page
        if self._read_only and hasattr(page, "set_read_only"):
            page.set_read_only(self._read_only)
        self._restore_splitters(name, page)
        restore_columns(self._window_state(), page)
        return page

    def page(self, name: str) -> QWidget:
        """The page called `name`, built the first time it is asked for."""
        if name in self._built:
            return self._built[name]
        if self._context is None:
            raise RuntimeError(f"the page {name} needs the database's services")
        return self._install(name, self._build(name))

    def _build(self, name: str) -> QWidget:
        """A page, given the operations layer and only the services it uses."""
        c, tr, ops = self._context, self._tr, self.ops
        codes = [p.code for p in self._info.periods]
        if name == "plan":
            from crc_desktop.core.services.programmes import ProgrammeService
            from crc_desktop.gui.pages.plan_page import PlanPage

            return PlanPage(c.plan, ops, tr, ProgrammeService(c.database, c.actor))
        if name == "recommendations":
            from crc_desktop.gui.pages.recommendations_page import RecommendationsPage

            page = RecommendationsPage(c.plan, ops, tr)
            page.task_requested.connect(self._on_recommendations_task_requested)
            return page
        if name == "indicators":
            from crc_desktop.gui.pages.indicators_page import IndicatorsPage

            page = IndicatorsPage(c.values, c.audit, ops, tr, codes, self.reasons)
            self._undo_group.addStack(page.undo_stack)
            return page
        if name == "progress":
            from crc_desktop.gui.pages.progress_page import ProgressPage

            return ProgressPage(c.plan, c.periods, ops, tr, codes, self.reasons)
        if name == "periods":
            from crc_desktop.gui.pages.periods_page import PeriodsPage

            page = PeriodsPage(
                c.periods,
                c.readiness,
                c.values,
                c.export,
                c.certificates,
                ops,
                tr,
                lambda: self._current_settings().pkcs11_library,
                KeyMemory(self._paths.config),
                lambda: self._current_settings().bundle_trust,
                actions=self._actions["periods"],
            )
            page.place_requested.connect(self._on_periods_place_requested)
            return page
        if name == "reports":
            from crc_desktop.gui.pages.reports_page import ReportsPage

            return ReportsPage(c.reports, ops, tr, codes, self.reasons)
        if name == "collection":
            from crc_desktop.gui.pages.collection_page import CollectionPage

            return CollectionPage(c.collection, c.periods, ops, tr, codes, self.reasons)
        if name == "settings":
            from crc_desktop.gui.pages.settings_page import SettingsPage, SettingsServices

            page = SettingsPage(
                SettingsServices.of(c),
                ops,
                tr,
                self._paths,
                self._settings,
                self._info.profile,
                actions=self._actions["settings"],
            )
            page.restart_requested.connect(self.restart)
            page.restored.connect(self._on_settings_restored)
            return page
        raise KeyError(name)

    overview_page = property(lambda self: self.page("overview"))
    plan_page = property(lambda self: self.page("plan"))
    recommendations_page = property(lambda self: self.page("recommendations"))
    indicators_page = property(lambda self: self.page("indicators"))
    progress_page = property(lambda self: self.page("progress"))
    periods_page = property(lambda self: self.page("periods"))
    reports_page = property(lambda self: self.page("reports"))
    collection_page = property(lambda self: self.page("collection"))
    settings_page = property(lambda self: self.page("settings"))

    def _on_navigation(self, index: int) -> None:
        if index < 0:
            return
        name = PAGES[index][0]
        if name in self._built or self._context is not None:
            self.page(name)
        self._pages.setCurrentIndex(index)
        page = self._built.get(name)
        self._undo_group.setActiveStack(getattr(page, "undo_stack", None))
        held = self._held.pop(name, None)
        if held is not None and page is not None:
            page.on_changed(*held)  # what changed while the page was not on screen

    def _current_settings(self) -> Settings:
        settings_page = self._built.get("settings")
        return settings_page.settings if settings_page else self._settings

    # --- between the pages ---------------------------------------------------------------------

    def _on_changed(self, changes: Changes, source) -> None:
        """A change was made: the page on screen refreshes what concerns it now, the others when
        they are next shown (a change held for a page merges with the next); the window's own
        lists follow."""
        current = self.current_page_name()
        for name, page in self._built.items():
            if not hasattr(page, "on_changed"):
                continue
            if name == current:
                page.on_changed(changes, source)
            elif name in self._held:
                held, by = self._held[name]
                self._held[name] = (held | changes, by if by is source else None)
            else:
                self._held[name] = (changes, source)
        if changes.periods or changes.office:
            self.ops.run(self, lambda _progress: self._context.setup.info(counts=False), self._on_info)

    def _on_info(self, info: DatabaseInfo) -> None:
        self._info = info
        codes = [p.code for p in info.periods]
        for page in self._built.values():
            if hasattr(page, "set_periods"):
                page.set_periods(codes)
        self._status_label.setText(self._status_text())

    def _on_recommendations_task_requested(self, code: str) -> None:
        self.show_page("plan")
        self.plan_page.select_code(code)

    def _on_periods_place_requested(self, period: str, place) -> None:
        if place.page == "indicators" and place.cell_id is not None:
            self.show_page("indicators")
            self.indicators_page.go_to(period, place.cell_id, place.area_id)
        elif place.page == "progress":
            self.show_page("progress")
            self.progress_page.period_box.setCurrentText(period)
            self.progress_page.select_task(place.task_id)
        elif place.page == "plan":
            self.show_page("plan")
            self.plan_page.select_task(place.task_id)
        elif place.page == "recommendations":
            self.show_page("recommendations")
            self.recommendations_page.select(place.recommendation_id)
        elif place.page == "periods":
            self.show_page("periods")
            self.periods_page.reload(period)

    # --- the frame -----------------------------------------------------------------------------

    def _say_read_only(self, holder) -> None:
        """Another window writes to this database: say who, in the title and the status bar; every
        control that would change it is disabled, saying the same (pages built later too)."""
        tr = self._tr
        self._read_only = tr(
            "Read-only: {user} ({host}) has had this database open since {since}. Close that "
            "window, then open the database again to make changes.",
            user=holder.user,
            host=holder.host,
            since=holder.since.strftime("%H:%M %d/%m/%Y"),
        )
        self.read_only_notice = QLabel(  # short enough for a 1366 px status bar; the rest in its tooltip
            tr("Read-only: {user} ({host}) has this database open.", user=holder.user, host=holder.host)
        )
        self.read_only_notice.setToolTip(self._read_only)
        self.read_only_notice.setObjectName("read_only_notice")
        self.read_only_notice.setStyleSheet("QLabel { background: #fff3c4; color: #5c4400; padding: 2px; }")
        self.statusBar().addPermanentWidget(self.read_only_notice)
        self.setWindowTitle(f"{self._title()} — {tr('read-only')}")
        for name, commands in PAGE_COMMANDS.items():
            lock(self._read_only, *(self._actions[name][c.name] for c in commands if c.changes_data))
        for page in self._built.values():
            if hasattr(page, "set_read_only"):
                page.set_read_only(self._read_only)

    def _title(self) -> str:
        profile = self._info.profile
        province = profile.province_name if profile else ""
        demo = f" — {self._tr('DEMO DATA: not real figures.')}" if self._info.is_demo else ""
        return f"CRC Desktop — {province}{demo}"

    def _user_text(self) -> str:
        name = self._settings_user_name()
        if name:
            return self._tr("Working: {name}", name=name)
        return self._tr("No name given: enter it in Settings")

    def _settings_user_name(self) -> str:
        if self._context is not None and self._context.actor.user_name:
            return self._context.actor.user_name
        return self._settings.user_name

    def _status_text(self) -> str:
        tr, info = self._tr, self._info
        current = info.periods[-1] if info.periods else None
        parts = [tr("Database: {path}", path=info.path)]
        if info.profile:
            parts.append(info.profile.province_name)
        if current:
            parts.append(tr("Period {code}: {state}", code=current.code, state=tr.state(current.state)))
        return "   |   ".join(parts)

    def _build_menus(self) -> None:
        """The menu bar: Tệp, Sửa, Xem, Kỳ báo cáo, Trợ giúp, with their shortcuts shown."""
        tr, bar = self._tr, self.menuBar()
        file_menu = bar.addMenu(tr("&File"))
        file_menu.addActions(list(self._actions["settings"].values()))
        self.restore_action = self._actions["settings"]["restore"]
        file_menu.setToolTipsVisible(True)  # a disabled entry says why
        file_menu.addSeparator()
        self._add(file_menu, tr("&Quit"), QKeySequence.StandardKey.Quit, self.close, "Ctrl+Q")

        edit_menu = bar.addMenu(tr("&Edit"))
        self.undo_action = self._undo_group.createUndoAction(self, tr("&Undo"))
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self._undo_group.createRedoAction(self, tr("&Redo"))
        self.redo_action.setShortcuts([QKeySequence.StandardKey.Redo, QKeySequence("Ctrl+Y")])
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)

        view_menu = bar.addMenu(tr("&View"))
        for index, (_, title, _) in enumerate(PAGES):
            self._add(view_menu, tr(title), f"Ctrl+{index + 1}", lambda i=index: self.show_page(i))

        self.period_menu = bar.addMenu(tr("&Period"))
        self.period_menu.addActions(list(self._actions["periods"].values()))
        self.period_menu.setToolTipsVisible(True)

        help_menu = bar.addMenu(tr("&Help"))
        self.guide_action = self._add(
            help_menu, tr("&User guide"), QKeySequence.StandardKey.HelpContents, self.open_guide, "F1"
        )
        help_menu.addSeparator()
        self._add(help_menu, tr("&About CRC Desktop"), "", self._on_about)

    def _add(self, menu: QMenu, title: str, shortcut, slot, fallback: str = "") -> QAction:
        action = QAction(title, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        if fallback and action.shortcut().isEmpty():
            action.setShortcut(QKeySequence(fallback))
        action.triggered.connect(lambda _=False: slot())
        menu.addAction(action)
        return action

    def _on_command(self, page_name: str, action: QAction) -> None:
        """A page's command was chosen (its menu entry, shortcut or button): its page is shown
        first. A page not built yet is built now and connects to the action, too late to hear
        this trigger: the action is triggered again when the new page allows it."""
        if self._context is None:
            return
        built = page_name in self._built
        self.show_page(page_name)
        if not built and action.isEnabled():
            action.trigger()

    def open_guide(self) -> None:
        """The user guide (PDF) in the system's viewer, made from the guide shipped with the program
        the first time it is asked for in this version."""
        from crc_desktop import __version__
        from crc_desktop.core.services.guide import write_user_guide

        target = self._paths.data / "guide" / f"huong-dan-su-dung-{__version__}.pdf"

        def work(progress):
            if not target.is_file():
                target.parent.mkdir(parents=True, exist_ok=True)
                write_user_guide(target, progress=progress)
            return target

        self.ops.run(
            self, work, self._on_guide_ready, title=self._tr("Preparing the user guide…"), cancellable=True
        )

    def _on_guide_ready(self, path) -> None:
        self.guide_opened.emit(str(path))
        if self.open_file(Path(path)):
            return
        # no PDF viewer on this computer: say where the guide is, and show it in its folder
        self.open_file(Path(path).parent)
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle(self._tr("User guide"))
        box.setText(
            self._tr(
                "No program to read PDF files was found on this computer. The user guide is the file "
                "{path}; its folder is shown. Open it with a PDF reader, or copy it to a computer "
                "that has one.",
                path=str(path),
            )
        )
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.addButton(self._tr("OK"), QMessageBox.ButtonRole.AcceptRole)
        box.exec()

    def open_file(self, path: Path) -> bool:
        """Hand a file or folder to the system (tests replace this); False when nothing opens it."""
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def _on_about(self) -> None:
        from crc_desktop import __version__

        box = QMessageBox(self)
        box.setWindowTitle(self._tr("CRC Desktop"))
        box.setText(
            self._tr(
                "CRC Desktop {version}: the provincial office's plan, indicators and signed reports "
                "for Decision 27/QĐ-TTg. It works without a network.",
                version=__version__,
            )
        )
        box.addButton(self._tr("OK"), QMessageBox.ButtonRole.AcceptRole)
        box.exec()

    def _window_state(self) -> QSettings:
        """Where the window's size, place and layout are kept: beside the user's settings."""
        return QSettings(str(self._paths.config / "window.ini"), QSettings.Format.IniFormat)

    def _restore_geometry(self) -> None:
        """The size and place the user left, kept on the screen; the screen's free area the first
        time (a 1366×768 office screen holds the whole window, status bar included)."""
        state = self._window_state()
        stored = state.value("main_window/geometry")
        screen = QGuiApplication.primaryScreen()
        available = screen.availableGeometry() if screen else None
        if stored is None or not self.restoreGeometry(stored):
            if available is not None:
                self.setGeometry(available)
            else:
                self.resize(1280, 720)
        elif available is not None:
            self.fit_into(available)
        layout = state.value("main_window/splitter")
        if layout is not None:
            self._splitter.restoreState(layout)

    def fit_into(self, area) -> None:
        """Shrink and move the window so that it lies within `area` (a remembered size from a
        larger screen, or a screen that is gone)."""
        frame = self.frameGeometry()
        extra_w, extra_h = frame.width() - self.width(), frame.height() - self.height()
        width = min(self.width(), area.width() - extra_w)
        height = min(self.height(), area.height() - extra_h)
        self.resize(width, height)
        x = min(max(frame.x(), area.x()), area.right() - width - extra_w + 1)
        y = min(max(frame.y(), area.y()), area.bottom() - height - extra_h + 1)
        self.move(x, y)

    def _restore_splitters(self, name: str, page: QWidget) -> None:
        """A page's dividers where the user left them (the layout is kept per page)."""
        state = self._window_state()
        for index, splitter in enumerate(page.findChildren(QSplitter)):
            stored = state.value(f"pages/{name}/splitter{index}")
            if stored is not None:
                splitter.restoreState(stored)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        self._paths.config.mkdir(parents=True, exist_ok=True)
        state = self._window_state()
        state.setValue("main_window/geometry", self.saveGeometry())
        state.setValue("main_window/splitter", self._splitter.saveState())
        for name, page in self._built.items():
            for index, splitter in enumerate(page.findChildren(QSplitter)):
                state.setValue(f"pages/{name}/splitter{index}", splitter.saveState())
        save_columns(state, self)
        state.sync()
        super().closeEvent(event)

    def show_page(self, page: int | str) -> None:
        """Show a page, by its place in the navigation or its name ("periods")."""
        self._navigation.setCurrentRow(PAGE_NAMES.index(page) if isinstance(page, str) else page)

    def current_page_name(self) -> str:
        return PAGE_NAMES[self._navigation.currentRow()]

    def restart(self) -> None:
        """Close the window and start the program again (after the language changed)."""
        if self.close():
            QApplication.exit(RESTART_EXIT_CODE)

    def wait_until_loaded(self, timeout_ms: int = 120_000) -> None:
        """Wait until the services are attached and the pages' background jobs are done, then paint."""
        self._start_opening()
        clock = QElapsedTimer()
        clock.start()
        while self._context is None and not self._failed and clock.elapsed() < timeout_ms:
            self.runner.wait()
            QApplication.processEvents()  # delivers the open context to `attach`
        for _ in range(50):  # a page's result may start the next read (a list, then its selection)
            self.runner.wait()
            QApplication.processEvents()  # the results arrive as queued signals
            if not self.runner.busy:
                break
        settle = QElapsedTimer()  # ...and the layouts they change settle, long lists in batches
        settle.start()
        while settle.elapsed() < 300:
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        self.repaint()
