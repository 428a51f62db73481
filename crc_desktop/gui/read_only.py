"""A window on a database another window writes to: every control that would change it is
disabled, with a tooltip saying why, instead of refusing once clicked."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget


def lock(reason: str, *controls: QWidget | QAction) -> None:
    """Disable `controls`, each saying `reason` when the pointer rests on it."""
    for control in controls:
        control.setEnabled(False)
        control.setToolTip(reason)
