"""Python's full collection (100-300 ms with Python's lock held at the large scale: the window
freezes) waits for an idle moment: not while a job runs, nor as its result comes. This fails on a
Python that collects the old generation by itself (3.14's incremental collector ignores the third
threshold: see gui/collector.py and requires-python)."""

from __future__ import annotations

import gc
import sys
import weakref

import pytest

from crc_desktop.gui import collector
from crc_desktop.gui.collector import IdleCollector


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


def test_old_garbage_is_collected_at_an_idle_moment_not_while_a_job_runs(qtbot, monkeypatch):
    monkeypatch.setattr(collector, "IDLE_S", 0.6)
    full: list[int] = []

    def noted(phase: str, info: dict) -> None:
        if phase == "start" and info["generation"] == 2:
            full.append(1)

    threshold, switch = gc.get_threshold(), sys.getswitchinterval()
    busy = [True]
    gc.callbacks.append(noted)
    watcher = IdleCollector(lambda: busy[0])
    try:
        alive = _old_garbage()
        qtbot.wait(1500)
        assert alive() is not None and not full, "collected while a job ran"
        busy[0] = False
        qtbot.wait(300)
        assert alive() is not None and not full, "collected as the job's result came"
        assert sys.getswitchinterval() == pytest.approx(collector.SWITCH_INTERVAL_S)  # the lock back soon
        qtbot.waitUntil(lambda: alive() is None, timeout=3000)  # an idle moment
        assert watcher.collections == 1
    finally:
        watcher.stop()
        gc.callbacks.remove(noted)
    assert gc.get_threshold() == threshold  # Python's own rhythm back
    assert sys.getswitchinterval() == switch


def test_garbage_piling_up_is_collected_even_while_the_user_works(qtbot, monkeypatch):
    monkeypatch.setattr(collector, "OVERDUE", collector.PENDING)
    watcher = IdleCollector(lambda: True)
    try:
        alive = _old_garbage()
        qtbot.waitUntil(lambda: alive() is None, timeout=3000)
    finally:
        watcher.stop()
