"""The operations layer as a user meets it: the window never reads or writes the database on its
own thread, an unexpected error leaves a crash report whose path the user is shown, and a slow job
shows its progress after 300 ms and stops when the user cancels it."""

from __future__ import annotations

import dataclasses
import threading
import time

from PySide6.QtCore import QElapsedTimer, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

from crc_desktop.app import Settings
from crc_desktop.core.i18n import Translator
from crc_desktop.core.progress import Progress
from crc_desktop.core.rules.workflow import PeriodState
from crc_desktop.core.schemas.report_text import ReportText
from crc_desktop.core.services.report_text import EditableText
from crc_desktop.gui.main_window import PAGES, MainWindow
from crc_desktop.gui.pages.reports_page import ReportsPage
from crc_desktop.gui.tasks import TaskRunner
from tests.gui.pages import crash_report_shown, operations
from tests.gui.user import button, click, press, trigger, when_dialog

SERVICES = (
    "setup", "catalog", "demo", "values", "audit", "periods", "readiness", "reports", "plan",
    "overview", "export", "collection", "certificates", "targets",
)  # fmt: skip


class Watched:
    """A service whose every call made on the GUI thread is noted in `seen`."""

    def __init__(self, name: str, service, seen: list[str]) -> None:
        self._name, self._service, self._seen = name, service, seen

    def __getattr__(self, attribute: str):
        value = getattr(self._service, attribute)
        if not callable(value):
            return value

        def call(*args, **kwargs):
            if threading.current_thread() is threading.main_thread():
                self._seen.append(f"{self._name}.{attribute}")
            return value(*args, **kwargs)

        return call


def _settle(qtbot, window) -> None:
    """Wait as a user waits: until the worker has nothing left and the results are shown."""
    for _ in range(3):
        qtbot.waitUntil(lambda: not window.runner.busy, timeout=60_000)
        QApplication.processEvents()


def _view_action(window, title: str):
    menu = next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "Xem")
    return next(a for a in menu.actions() if a.text() == title)


def test_no_service_is_called_on_the_gui_thread_during_the_page_tour(qtbot, demo_db, paths, monkeypatch):
    tr = Translator("vi")
    info = demo_db.setup.info(counts=False)
    seen: list[str] = []
    watched = dataclasses.replace(demo_db, **{n: Watched(n, getattr(demo_db, n), seen) for n in SERVICES})
    runner = TaskRunner()  # a real worker thread, as in the program
    window = MainWindow(watched, tr, paths, Settings(), runner, info=info)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    try:
        for name, title, _ in PAGES:
            trigger(_view_action(window, tr(title)))
            _settle(qtbot, window)
            assert window.current_page_name() == name

            if name == "plan":
                _open_a_task(qtbot, window, monkeypatch)
            if name == "indicators":
                _move_through_the_grid(qtbot, window)
            if name == "settings":
                _open_the_targets(qtbot, window)
        assert seen == [], f"called on the GUI thread: {sorted(set(seen))}"
    finally:
        runner.wait()
        QApplication.processEvents()


def _open_a_task(qtbot, window, monkeypatch) -> None:
    """Open a task: the dialog shows what the worker read."""
    page = window.plan_page
    assert page.model.rowCount() > 0
    page.view.selectRow(0)
    opened = []
    monkeypatch.setattr(page, "open_dialog", lambda dialog: opened.append(dialog) or False)
    click(page.edit_button)
    _settle(qtbot, window)
    assert opened and opened[0].windowTitle()


def _move_through_the_grid(qtbot, window) -> None:
    """The grid, then the cursor through its cells: each cell's details and history are read."""
    page = window.indicators_page
    assert page.model is not None
    page.view.setFocus()
    for _ in range(12):
        press(page.view, Qt.Key_Right)
        _settle(qtbot, window)
    press(page.view, Qt.Key_Down)
    _settle(qtbot, window)
    assert page.where_label.text() and page.unit_label.text()


def _open_the_targets(qtbot, window) -> None:
    """The province's targets: the dialog's rows come from the worker."""
    rows = []

    def look(dialog) -> None:
        qtbot.waitUntil(lambda: dialog.table.rowCount() > 0, timeout=30_000)
        rows.append(dialog.table.rowCount())
        click(button(dialog, "Hủy"))

    when_dialog(look)
    click(window.settings_page.targets_button)
    _settle(qtbot, window)
    assert rows and rows[0] > 0


class _Broken:
    """The plan service with a programming error in its task list."""

    def __init__(self, plan) -> None:
        self._plan = plan

    def __getattr__(self, attribute: str):
        return getattr(self._plan, attribute)

    def tasks(self):
        raise RuntimeError("a bug no rule of ours expected")


def test_an_unexpected_error_writes_a_crash_report_and_the_window_shows_its_path(qtbot, demo_db, paths):
    tr = Translator("vi")
    broken = dataclasses.replace(demo_db, plan=_Broken(demo_db.plan))
    window = MainWindow(broken, tr, paths, Settings(), TaskRunner(synchronous=True))
    qtbot.addWidget(window)
    window.show()
    said, text = crash_report_shown(qtbot, lambda: trigger(_view_action(window, tr("Plan"))))
    assert "Lỗi" in said
    from crc_desktop import __version__

    assert f"crc-desktop {__version__}" in text
    assert "RuntimeError: a bug no rule of ours expected" in text and "plan_page.py" in text
    assert "action: PlanPage" in text  # which screen, for the support desk
    assert window.isVisible() and window.current_page_name() == "plan"  # the window carries on


class _SlowReports:
    """A report service whose SDMX export takes 4 seconds, reporting its progress as it goes."""

    def __init__(self) -> None:
        self.steps = 0

    def editable_text(self, period: str) -> EditableText:  # the page's text editor reads it
        return EditableText(period=period, state=PeriodState.DRAFT, text=ReportText())

    def drafts(self, period: str) -> list:  # and the sentences drafted beside it
        return []

    def sdmx_csv(self, period: str, path, progress: Progress):
        for step in range(200):
            progress.step(step / 200, "")
            self.steps += 1
            time.sleep(0.02)
        path.write_text("written", "utf-8")
        return path


def test_a_slow_job_shows_its_progress_after_300_ms_and_cancel_stops_it(qtbot, tmp_path, monkeypatch):
    runner = TaskRunner()
    service = _SlowReports()
    page = ReportsPage(service, operations(runner), Translator("vi"), [])
    qtbot.addWidget(page)
    page.show()
    page.period_box.addItem("2025")
    target = tmp_path / "so-lieu.csv"
    monkeypatch.setattr(page, "ask_save_path", lambda *a: target)

    def progress_dialog():
        return next(
            (w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()),
            None,
        )

    clock = QElapsedTimer()
    clock.start()
    click(page.sdmx_button)
    assert progress_dialog() is None  # not at once: a quick job never flashes a dialog
    qtbot.waitUntil(lambda: progress_dialog() is not None, timeout=3000)
    assert clock.elapsed() >= 295
    dialog = progress_dialog()
    assert "SDMX" in dialog.labelText() or dialog.labelText()
    qtbot.waitUntil(lambda: dialog.value() > 0, timeout=3000)  # the bar moves with the job
    click(button(dialog, "Hủy"))
    qtbot.waitUntil(lambda: not runner.busy, timeout=5000)
    QApplication.processEvents()
    assert service.steps < 200  # stopped at its next step
    assert not target.exists()
    assert "Đã ghi" not in page.status.text()
    assert progress_dialog() is None
    assert not any(isinstance(w, QMessageBox) and w.isVisible() for w in QApplication.topLevelWidgets())


def test_values_imported_elsewhere_show_in_the_grid_when_the_user_comes_back(
    qtbot, demo_db, paths, tmp_path, monkeypatch
):
    """The grid, not on screen during an import, is read again when it is shown (not at once,
    while the user looks at another page), and then shows the imported value."""
    from openpyxl import load_workbook

    from crc_desktop.gui.pages import reports_page

    tr = Translator("vi")
    window = MainWindow(demo_db, tr, paths, Settings(), TaskRunner(synchronous=True))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    trigger(_view_action(window, tr("Indicators")))
    grid = window.indicators_page
    before = grid.model
    trigger(_view_action(window, tr("Reports and export")))
    page = window.reports_page
    page.period_box.setCurrentText("2025")
    workbook = tmp_path / "nhap.xlsx"
    monkeypatch.setattr(page, "ask_save_path", lambda *a: workbook)
    click(page.template_button)
    book = load_workbook(workbook)
    book["Số liệu"]["H5"] = 12.5
    book.save(workbook)
    monkeypatch.setattr(page, "ask_open_path", lambda *a: workbook)
    monkeypatch.setattr(reports_page, "confirm", lambda *a: True)
    click(page.import_button)
    assert "1 giá trị thay đổi" in page.status.text()
    assert grid.model is before  # not read again while another page is on screen
    trigger(_view_action(window, tr("Indicators")))
    assert grid.model is not before
    assert grid.model.grid == demo_db.values.grid("2025")  # what the database holds now
    assert before.grid != grid.model.grid


def test_a_run_superseded_after_its_commit_still_announces_its_change(qtbot):
    from PySide6.QtWidgets import QWidget

    from crc_desktop.core.schemas.changes import Changes, Outcome

    runner = TaskRunner()
    ops = operations(runner)
    parent = QWidget()
    qtbot.addWidget(parent)
    committed = threading.Event()
    announced: list[Changes] = []
    ops.changed.connect(lambda changes, _source: announced.append(changes))
    results: list[str] = []

    def first(progress: Progress) -> Outcome:
        progress.no_return()
        committed.wait(10)  # the user moves on while this one commits
        return Outcome(changes=Changes(periods=True, period="2025"))

    ops.run(parent, first, lambda _r: results.append("first"), key="grid")
    ops.run(parent, lambda _p: None, lambda _r: results.append("second"), key="grid")
    committed.set()
    qtbot.waitUntil(lambda: not runner.busy, timeout=10_000)
    QApplication.processEvents()
    assert results == ["second"]  # the superseded run's result is not shown
    assert [c.period for c in announced] == ["2025"]  # but what it committed is announced
