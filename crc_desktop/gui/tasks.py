"""Running database and file jobs off the GUI thread, one at a time, with progress and Cancel.

All jobs go through one serial worker (SQLite suits one writer). Results come back to the
GUI thread through Qt signals. Tests make the runner synchronous.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from crc_desktop.core.errors import CrcError
from crc_desktop.core.i18n import Translator
from crc_desktop.core.progress import Cancelled, Progress


class _Signals(QObject):
    finished = Signal(object)
    failed = Signal(object)
    progressed = Signal(float, str)


class _Job(QRunnable):
    def __init__(self, work: Callable[[Progress], object]) -> None:
        super().__init__()
        self.signals = _Signals()
        self.progress = Progress(lambda fraction, message: self.signals.progressed.emit(fraction, message))
        self._work = work

    def run(self) -> None:
        try:
            result = self._work(self.progress)
        except CrcError as error:
            self.signals.failed.emit(error)
        except Exception as error:  # noqa: BLE001 - reported to the user, logged by the window
            self.signals.failed.emit(error)
        else:
            self.signals.finished.emit(result)


# How long the worker may hold Python's lock before it hands it to the GUI thread: Python's 5 ms
# default, paid at each of the many Python calls of one paint or one timer, made the window stall
# for 100-300 ms while a long job ran (benchmarks/event_loop_stall.py).
GIL_SWITCH_INTERVAL_S = 0.0005


class TaskRunner(QObject):
    """`run(work, on_done, on_error)`; `work` receives a Progress and runs on the worker."""

    def __init__(self, *, synchronous: bool = False) -> None:
        super().__init__()
        if not synchronous:
            sys.setswitchinterval(min(sys.getswitchinterval(), GIL_SWITCH_INTERVAL_S))
        self._pool = QThreadPool()
        self._pool.setMaxThreadCount(1)
        self._synchronous = synchronous
        self._jobs: set[_Job] = set()

    def run(
        self,
        work: Callable[[Progress], object],
        on_done: Callable[[object], None],
        on_error: Callable[[Exception], None],
        on_progress: Callable[[float, str], None] | None = None,
    ) -> Progress:
        job = _Job(work)
        job.setAutoDelete(False)
        self._jobs.add(job)
        connection = Qt.DirectConnection if self._synchronous else Qt.QueuedConnection
        job.signals.finished.connect(lambda result: self._done(job, on_done, result), connection)
        job.signals.failed.connect(lambda error: self._done(job, on_error, error), connection)
        if on_progress:
            job.signals.progressed.connect(on_progress, connection)
        if self._synchronous:
            job.run()
        else:
            self._pool.start(job)
        return job.progress

    def _done(self, job: _Job, callback, value) -> None:
        self._jobs.discard(job)
        callback(value)

    @property
    def busy(self) -> bool:
        """A job is running or waiting to run."""
        return bool(self._jobs)

    def wait(self) -> None:
        self._pool.waitForDone()


def run_with_dialog(
    runner: TaskRunner,
    parent: QWidget,
    tr: Translator,
    title: str,
    work: Callable[[Progress], object],
    on_done: Callable[[object], None],
    on_error: Callable[[Exception], None],
) -> None:
    """Run `work` with a modal progress dialog whose Cancel stops it at its next step."""
    dialog = QProgressDialog(title, tr("Cancel"), 0, 1000, parent)
    dialog.setWindowTitle(tr("CRC Desktop"))
    dialog.setWindowModality(Qt.WindowModal)
    dialog.setMinimumDuration(300)

    def finish(callback, value) -> None:
        dialog.reset()
        if isinstance(value, Cancelled):
            return
        callback(value)

    def progressed(fraction: float, message: str) -> None:
        dialog.setValue(int(fraction * 1000))
        if message:
            dialog.setLabelText(f"{title}\n{message}")

    progress = runner.run(work, lambda r: finish(on_done, r), lambda e: finish(on_error, e), progressed)
    dialog.canceled.connect(progress.cancel)
