"""The one way pages run work (the shape of Anki's aqt.operations): a call runs on the serial
worker, its result comes back on the GUI thread, a progress dialog appears when it takes longer
than 300 ms (with Cancel when the job allows it), a `CrcError` becomes a message where the user
acted, anything else writes a crash report into the log folder and says where it is, and a change
to the database is announced once, as the `Changes` the service's `Outcome` carries, for every
page to refresh what concerns it.

    self._ops.run(self, lambda _p: plan.delete_task(task_id, reason), done=...)

`work` receives a `Progress`; it must not touch a widget. `done`, `failed` and the `changed`
signal run on the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from crc_desktop.core.crash import write_crash_report
from crc_desktop.core.errors import CrcError
from crc_desktop.core.i18n import Translator
from crc_desktop.core.progress import Cancelled, Progress
from crc_desktop.core.schemas.changes import changes_of
from crc_desktop.gui.messages import show_error
from crc_desktop.gui.tasks import TaskRunner

PROGRESS_AFTER_MS = 300
log = logging.getLogger(__name__)


class UnexpectedError(CrcError):
    """An error no rule of ours expected, after its crash report was written."""

    def __init__(self, report: Path) -> None:
        super().__init__("Unexpected error. A report was written to {path}.", path=str(report))
        self.report = report


class Operations(QObject):
    """Runs the pages' work on `runner`; `changed(Changes, source)` follows every change made."""

    changed = Signal(object, object)  # Changes, the widget whose operation made them
    crashed = Signal(str)  # the path of a crash report just written

    def __init__(self, runner: TaskRunner, tr: Translator, logs: Path) -> None:
        super().__init__()
        self.runner, self._tr, self._logs = runner, tr, logs
        self._latest: dict[object, int] = {}  # key -> the serial number of its latest run
        self._pending: dict[object, Progress] = {}  # key -> the progress of its latest run
        self._serial = 0

    def run(
        self,
        parent: QWidget,
        work: Callable[[Progress], Any],
        done: Callable[[Any], None] | None = None,
        *,
        failed: Callable[[CrcError], None] | None = None,
        title: str = "",
        cancellable: bool = False,
        key: object = None,
    ) -> Progress:
        """Run `work` on the worker; `done(result)` on the GUI thread, then what the result says
        it changed (`changes_of`: a service's `Outcome`) is announced. A `CrcError` goes to
        `failed` (or a message over `parent`). With a `key`, a later run with the same key
        supersedes this one: this one is asked to stop and its result is dropped (the user has
        moved on); a keyed run without a `title` (what follows the cursor) shows no progress
        dialog."""
        self._serial += 1
        serial = self._serial
        if key is not None:
            self._latest[key] = serial
        progress_box: list[QProgressDialog] = []
        running = [True]
        label = title or self._tr("Working…")

        def current() -> bool:
            return key is None or self._latest.get(key) == serial

        def finish() -> None:
            running[0] = False
            if progress_box:
                progress_box[0].reset()
                progress_box[0].deleteLater()
                progress_box.clear()

        def succeeded(result: Any) -> None:
            finish()
            if done is not None and current():
                done(result)
            # announced even for a superseded or late-cancelled run: what it committed is changed
            changes = changes_of(result)
            if changes:
                self.changed.emit(changes, parent)

        def went_wrong(error: Exception) -> None:
            finish()
            if isinstance(error, Cancelled) or not current():
                return
            if not isinstance(error, CrcError):
                action = f"{type(parent).__name__}: {label} ({getattr(work, '__qualname__', '?')})"
                error = self.crash_report(error, action)
            if failed is not None and not isinstance(error, UnexpectedError):
                failed(error)
            else:
                show_error(parent, self._tr, error)

        def progressed(fraction: float, message: str) -> None:
            if progress_box:
                dialog = progress_box[0]
                dialog.setMaximum(1000)
                dialog.setValue(int(fraction * 1000))
                if message:
                    dialog.setLabelText(f"{label}\n{message}")

        progress = self.runner.run(work, succeeded, went_wrong, progressed)
        if key is not None:
            earlier = self._pending.get(key)
            if earlier is not None:
                earlier.cancel()  # stops at its next step, if it is still running
            self._pending[key] = progress

        def show_progress() -> None:
            if not running[0] or not current() or parent is None:
                return
            dialog = QProgressDialog(label, self._tr("Cancel"), 0, 0, parent)
            dialog.setObjectName("operation_progress")
            dialog.setWindowTitle(self._tr("CRC Desktop"))
            dialog.setWindowModality(Qt.WindowModal)
            dialog.setMinimumDuration(0)
            dialog.setAutoClose(False)
            dialog.setAutoReset(False)
            if cancellable:
                dialog.canceled.connect(progress.cancel)
                dialog.canceled.connect(lambda: dialog.setLabelText(self._tr("Cancelling…")))
            else:
                dialog.setCancelButton(None)
            progress_box.append(dialog)
            dialog.show()

        if running[0] and (title or key is None):
            timer = QTimer(self)
            timer.setSingleShot(True)
            timer.setTimerType(Qt.TimerType.PreciseTimer)  # a coarse timer may fire 5 % early
            timer.timeout.connect(show_progress)
            timer.timeout.connect(timer.deleteLater)
            timer.start(PROGRESS_AFTER_MS)
        return progress

    def crash_report(self, error: BaseException, action: str) -> UnexpectedError:
        """Write the report of an unexpected error; the error to show in its place."""
        log.error("unexpected error in %s", action, exc_info=(type(error), error, error.__traceback__))
        report = write_crash_report(self._logs, error, action)
        self.crashed.emit(str(report))
        return UnexpectedError(report)


PAINT_WAIT_MS = 300  # how long `after_paint` waits for a paint that may not come (a hidden page)


def after_paint(widget: QWidget, callback: Callable[[], None]) -> None:
    """Call `callback` once `widget` has been painted (or after PAINT_WAIT_MS): a read started
    while the window paints a new large view competes with it for Python's lock, and each of the
    paint's many calls into Python waits for the worker (the grid's first showing stalled 130 ms)."""
    _AfterPaint(widget, callback)


class _AfterPaint(QObject):
    def __init__(self, widget: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(widget)
        self._callback: Callable[[], None] | None = callback
        widget.installEventFilter(self)
        QTimer.singleShot(PAINT_WAIT_MS, self, self._fire)

    def eventFilter(self, _watched, event) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint and self._callback is not None:
            QTimer.singleShot(0, self, self._fire)  # once this paint is over
        return False

    def _fire(self) -> None:
        if self._callback is None:
            return
        callback, self._callback = self._callback, None
        self.parent().removeEventFilter(self)
        self.deleteLater()
        callback()
