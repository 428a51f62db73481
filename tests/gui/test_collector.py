"""Python's full collection (100-300 ms with Python's lock held at the large scale: the window
freezes) waits until the user pauses: not while a job runs, not while the user types."""

from __future__ import annotations

import gc
import weakref

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from crc_desktop.gui import collector
from crc_desktop.gui.collector import IdleCollector

from .user import press


class Knot:
    """An object in a cycle: only a full collection frees it once it has grown old."""

    def __init__(self) -> None:
        self.me = self


def _old_garbage() -> weakref.ref:
    knot = Knot()
    gc.collect(1)
    gc.collect(1)  # survived twice: now in the oldest generation
    alive = weakref.ref(knot)
    del knot
    for _ in range(collector.PENDING):
        gc.collect(1)  # the churn of a long job
    return alive


def test_old_garbage_is_collected_when_the_user_pauses_not_while_a_job_runs_or_while_typing(
    qtbot, monkeypatch
):
    monkeypatch.setattr(collector, "IDLE_S", 0.6)
    field = QLineEdit()
    qtbot.addWidget(field)
    field.show()
    full: list[int] = []

    def noted(phase: str, info: dict) -> None:
        if phase == "start" and info["generation"] == 2:
            full.append(1)

    threshold = gc.get_threshold()
    busy = [True]
    gc.callbacks.append(noted)
    watcher = IdleCollector(lambda: busy[0])
    try:
        alive = _old_garbage()
        qtbot.wait(1500)
        assert alive() is not None and not full, "collected while a job ran"
        busy[0] = False
        qtbot.wait(300)
        assert alive() is not None, "collected as the job's result came"
        for _ in range(4):  # the user types, a key every 0.3 s
            press(field, Qt.Key_A)
            qtbot.wait(300)
            assert alive() is not None and not full, "collected while the user typed"
        qtbot.waitUntil(lambda: alive() is None, timeout=3000)  # the user paused
        assert watcher.collections == 1
    finally:
        watcher.stop()
        gc.callbacks.remove(noted)
    assert gc.get_threshold() == threshold  # Python's own rhythm back


def test_garbage_piling_up_is_collected_even_while_the_user_works(qtbot, monkeypatch):
    monkeypatch.setattr(collector, "OVERDUE", collector.PENDING)
    watcher = IdleCollector(lambda: True)
    try:
        alive = _old_garbage()
        qtbot.waitUntil(lambda: alive() is None, timeout=3000)
    finally:
        watcher.stop()
