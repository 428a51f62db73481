"""How Python runs beside the window: when it collects its long-lived objects (while the user
pauses, not in the middle of work), and how soon the worker hands Python's lock back to the
window. `responsive_python` sets both, in this one place, for a window's process.

At the large scale the program holds millions of Python objects (a period's grid, the snapshot
being signed, a workbook being read); one full collection walks them all, 100-300 ms with
Python's lock held, and the window can neither paint nor take a key meanwhile, whichever thread
set it off (benchmarks/event_loop_stall.py found most of its long stalls there). Python starts
one by itself whenever enough objects have survived. Here the young generations are still
collected by Python as it goes (a few ms each), the old one at an idle moment, as Anki does
(`gc.collect` when no job has run for `IDLE_S` seconds: every change and every long read of the
window is a job on its worker), or, whatever the user does, when so much has piled up that
memory matters more than a pause. Holding the old generation back relies on Python honouring
the third threshold of `gc.set_threshold`: Python 3.14's incremental collector does not, hence
`requires-python < 3.14`, and tests/gui/test_collector.py fails on a Python that collects the old
generation by itself.
"""

from __future__ import annotations

import gc
import logging
import sys
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

IDLE_S = 2.0
CHECK_MS = 500
PENDING = 20  # collections of the middle generation since the last full one: then, when idle
OVERDUE = 5000  # ... and past this many, at once: minutes of work without a pause (a bound on memory)
_NEVER = 1 << 30
# How long the worker may hold Python's lock once the GUI thread asks for it. The GUI thread asks
# at each of the many Python calls of one paint or one timer, and waits up to this long each time:
# Python's 5 ms default made the window stall for 100-300 ms while a long job ran, 0.5 ms still
# 100-150 ms on page changes and the export (benchmarks/event_loop_stall.py). The worker pays for it
# only while the window is busy.
SWITCH_INTERVAL_S = 0.0001
log = logging.getLogger(__name__)


def responsive_python(busy: Callable[[], bool], parent: QObject | None = None) -> IdleCollector:
    """Python set for a window that must answer while its worker runs (`busy`: a job runs): the
    lock handed back within SWITCH_INTERVAL_S, the old generation collected at idle moments.
    `stop` on the collector gives Python its own settings back."""
    return IdleCollector(busy, parent)


class IdleCollector(QObject):
    """Holds back Python's full collections until an idle moment (`busy` tells whether a job
    runs: the window's worker), and hands Python's lock back quickly; `stop` gives Python its
    own rhythm back."""

    def __init__(self, busy: Callable[[], bool], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._busy = busy
        self._last_activity = time.monotonic()  # a job seen running
        self._threshold = gc.get_threshold()
        self._switch_interval = sys.getswitchinterval()
        gc.set_threshold(self._threshold[0], self._threshold[1], _NEVER)
        sys.setswitchinterval(SWITCH_INTERVAL_S)
        self.collections = 0
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._timer.start(CHECK_MS)

    def idle(self) -> bool:
        """No job running or just ended (the user looks at its result) for `IDLE_S` seconds."""
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
        gc.set_threshold(*self._threshold)
        sys.setswitchinterval(self._switch_interval)
