"""When Python collects its long-lived objects: while the user pauses, not in the middle of work.

At the large scale the program holds millions of Python objects (a period's grid, the snapshot
being signed, a workbook being read); one full collection walks them all, 100-300 ms with
Python's lock held, and the window can neither paint nor take a key meanwhile, whichever thread
set it off (benchmarks/event_loop_stall.py found most of its long stalls there). Python starts
one by itself whenever enough objects have survived. Here the young generations are still
collected by Python as it goes (a few ms each), the old one only when the user pauses (no key or
mouse button pressed, no job running or ended, for `IDLE_S` seconds), or, whatever the user does,
when so much has piled up that memory matters more than a pause.
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

IDLE_S = 2.0
CHECK_MS = 500
PENDING = 20  # collections of the middle generation since the last full one: then, when idle
OVERDUE = 5000  # ... and past this many, at once: minutes of work without a pause (a bound on memory)
_NEVER = 1 << 30
log = logging.getLogger(__name__)
_INPUT = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.Wheel,
        QEvent.Type.InputMethod,
    }
)


class IdleCollector(QObject):
    """Holds back Python's full collections until the user pauses (`busy` tells whether a job
    runs: the window's worker); `stop` gives Python its own rhythm back."""

    def __init__(self, busy: Callable[[], bool], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._busy = busy
        self._last_activity = time.monotonic()  # a key or button pressed, a job seen running
        self._threshold = gc.get_threshold()
        gc.set_threshold(self._threshold[0], self._threshold[1], _NEVER)
        self.collections = 0
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._timer.start(CHECK_MS)
        QApplication.instance().installEventFilter(self)

    def eventFilter(self, _watched, event) -> bool:  # noqa: N802 - Qt override
        if event.type() in _INPUT:
            self._last_activity = time.monotonic()
        return False

    def idle(self) -> bool:
        """No key or button pressed, and no job running or just ended (the user looks at its
        result), for `IDLE_S` seconds."""
        if self._busy():
            self._last_activity = time.monotonic()
        return time.monotonic() - self._last_activity >= IDLE_S

    def _on_timer_timeout(self) -> None:
        idle, pending = self.idle(), gc.get_count()[2]  # a job is looked for at each beat
        if pending >= OVERDUE or (pending >= PENDING and idle):
            started = time.perf_counter()
            gc.collect()
            self.collections += 1
            log.info(
                "full collection (%s, %d collections of the middle generation since the last): %.0f ms",
                "the user paused" if idle else "overdue",
                pending,
                (time.perf_counter() - started) * 1000,
            )

    def stop(self) -> None:
        self._timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        gc.set_threshold(*self._threshold)
