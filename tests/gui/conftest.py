"""GUI tests: a dialog nobody answers fails the test instead of hanging the whole run."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog

STUCK_AFTER_MS = 20_000


@pytest.fixture(autouse=True)
def _no_dialog_left_waiting(qtbot):
    """A modal dialog that stays open this long is one the test did not expect: it is closed and
    the test fails, naming its text."""
    left: list[str] = []
    opened: dict[int, int] = {}
    timer = QTimer()

    def look() -> None:
        dialog = QApplication.activeModalWidget() or next(
            (
                w
                for w in QApplication.topLevelWidgets()
                if isinstance(w, QDialog) and w.isModal() and w.isVisible()
            ),
            None,
        )
        if dialog is None:
            opened.clear()
            return
        key = id(dialog)
        opened[key] = opened.get(key, 0) + 500
        if opened[key] >= STUCK_AFTER_MS:
            text = getattr(dialog, "text", lambda: "")() or dialog.windowTitle()
            left.append(f"{type(dialog).__name__}: {text}")
            if isinstance(dialog, QDialog):
                dialog.reject()
            else:
                dialog.close()

    timer.timeout.connect(look)
    timer.start(500)
    yield
    timer.stop()
    assert not left, f"a dialog was left waiting for an answer: {left}"


@pytest.fixture(autouse=True)
def _qt_as_it_ships_after_each_test():
    """A test that starts the program installs its Vietnamese translation of Qt's texts; the next
    test starts without it (each test installs what it needs)."""
    yield
    from crc_desktop.gui.main import use_qt_texts

    use_qt_texts("en")
