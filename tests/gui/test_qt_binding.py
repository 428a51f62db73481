"""The Qt binding itself: PySide6 6.12 on Python 3.11 dropped a reference to None at every call
of a method returning nothing (setText, setItalic...), and the program died with "Fatal Python
error: none_dealloc" after some thousands of them: scrolling the indicator grid was enough."""

from __future__ import annotations

import sys

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel


def test_calling_qt_methods_does_not_use_up_none(qtbot):
    label, font = QLabel(), QFont()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(500):
        label.setText("Đắk Lắk")
        font.setItalic(False)
    assert sys.getrefcount(None) >= before - 10  # 1,000 calls; a leak would show as -1,000
