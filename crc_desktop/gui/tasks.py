"""Running database and file jobs off the GUI thread, one at a time, with progress and Cancel.

All jobs go through one serial worker (SQLite suits one writer). Results come back to the
GUI thread through Qt signals. Tests make the runner synchronous. Windows run their work
through the operations layer (gui/ops.py), which adds the progress dialog and the error reports.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal

from crc_desktop.core.errors import CrcError
from crc_desktop.core.progress import Progress


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


class TaskRunner(QObject):
    """`run(work, on_done, on_error)`; `work` receives a Progress and runs on the worker."""

    def __init__(self, *, synchronous: bool = False) -> None:
        super().__init__()
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
