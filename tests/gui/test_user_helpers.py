"""The test helpers refuse what a user could not click: a widget never laid out, hidden or disabled."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from tests.gui.user import click


def _window(qtbot):
    window = QWidget()
    qtbot.addWidget(window)
    laid_out = QPushButton("Ký", window)
    QVBoxLayout(window).addWidget(laid_out)
    never_laid_out = QPushButton("Xuất")  # created, connected, never added: the old bug
    window.resize(300, 200)
    window.show()
    qtbot.waitExposed(window)
    return window, laid_out, never_laid_out


def test_a_visible_button_is_clicked(qtbot):
    window, button, _ = _window(qtbot)
    clicked = []
    button.clicked.connect(lambda: clicked.append(True))
    click(button)
    assert clicked == [True]


def test_a_button_never_laid_out_is_refused(qtbot):
    window, _, hidden = _window(qtbot)
    with pytest.raises(AssertionError, match="not shown|not visible"):
        click(hidden)


def test_a_disabled_button_is_refused(qtbot):
    window, button, _ = _window(qtbot)
    button.setEnabled(False)
    with pytest.raises(AssertionError, match="disabled"):
        click(button)


def test_a_button_outside_the_window_is_refused(qtbot):
    window, button, _ = _window(qtbot)
    outside = QPushButton("Ngoài", window)
    outside.move(1000, 1000)
    outside.show()
    with pytest.raises(AssertionError, match="outside"):
        click(outside)


def test_no_gui_test_clicks_a_widget_directly():
    """`button.click()` works on a widget nobody can see; every test clicks through the helpers."""
    import re
    from pathlib import Path

    direct = re.compile(r"\.(click|animateClick)\(\)")
    offenders = [
        f"{path.name}:{number}"
        for path in Path(__file__).parent.glob("test_*.py")
        if path.name != Path(__file__).name
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if direct.search(line)
    ]
    assert offenders == []
